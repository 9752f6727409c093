// golden_driver.hpp — runs a golden transcript (docs/transcript-format.md)
// against the HTTP server engine (tests/http/golden/*.txt): the C lines are
// the client's octets, the S lines what the engine must write. The host of
// the test answers every request with 200 and a plain-text echo of what the
// engine parsed (method, target, version, fields, body), so the transcript
// shows the parse. Input is fed whole, one octet at a time, or at seeded
// random points; in dialogue mode the output after each client run must be
// exactly the S lines up to the next run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "proto/smtp/transcript.hpp"

namespace postino::http::testing {

enum class Feed : std::uint8_t { Whole, ByteByByte, Random };

struct GoldenOutcome {
    std::string output;                  // everything the engine wrote
    std::vector<std::string> mismatches; // dialogue / @close / schema problems
};

GoldenOutcome run_golden(const smtp::Transcript& t, Feed feed, std::uint64_t seed, bool dialogue);
// The client's lines with the engine's output written in as S lines (for recording a new file).
std::string record_golden(const smtp::Transcript& t, const std::string& original_text);

}  // namespace postino::http::testing
