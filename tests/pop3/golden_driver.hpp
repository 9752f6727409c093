// golden_driver.hpp — runs a POP3 golden transcript (docs/transcript-format.md,
// with the POP3 directives of docs/pop3.md) against the POP3 server or
// client engine, feeding the input whole, one octet at a time, at seeded
// random split points, or as a dialogue (each input run checked against the
// output that follows it). The file format and its reader are the SMTP
// tests' (sim/proto/smtp/transcript.hpp); only the directives' meaning is POP3.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "proto/smtp/transcript.hpp"

namespace postino::pop3::testing {

using smtp::Transcript;

enum class FeedMode : std::uint8_t { Whole, ByteByByte, RandomSplit, Dialogue };
const char* to_string(FeedMode m);

struct RunResult {
    std::string output;           // every octet the engine wrote
    std::string expected_output;  // the transcript's lines for the engine's side
    bool close_requested = false;
    std::vector<std::string> summary;   // server: the policy's log; client: ClientResult::summary()
    std::vector<std::string> messages;  // client: downloaded messages, "number=N uidl=U\ncontent"
    std::vector<std::string> expected_messages;
    std::vector<std::string> problems;  // broken invariants (trace schema, response syntax, bounds)
};

Result<RunResult> run_transcript(const Transcript& t, FeedMode mode, std::uint64_t seed);

// Every *.txt under tests/pop3/golden, sorted.
std::vector<std::string> golden_files();
Result<Transcript> load_transcript(const std::string& path);

}  // namespace postino::pop3::testing
