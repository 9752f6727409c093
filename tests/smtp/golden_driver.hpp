// golden_driver.hpp — runs a golden transcript (docs/transcript-format.md)
// against the SMTP server or client engine, feeding the input whole, one
// octet at a time, at seeded random split points, or as a dialogue (each
// input run checked against the output run that follows it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "proto/smtp/transcript.hpp"

namespace postino::smtp::testing {

enum class FeedMode : std::uint8_t { Whole, ByteByByte, RandomSplit, Dialogue };
const char* to_string(FeedMode m);

struct RunResult {
    std::string output;           // every octet the engine wrote
    std::string expected_output;  // the transcript's lines for the engine's side
    bool close_requested = false;
    std::vector<std::string> messages;  // server: accepted messages, "envelope\ncontent"
    std::vector<std::string> expected_messages;
    std::vector<std::string> summary;   // client: SessionResult::summary()
    std::vector<std::string> problems;  // broken invariants (schema, reply syntax, ordering, bounds)
};

// Runs one transcript in one mode. `seed` drives RandomSplit.
Result<RunResult> run_transcript(const Transcript& t, FeedMode mode, std::uint64_t seed);

// Every *.txt under tests/smtp/golden, sorted.
std::vector<std::string> golden_files();
Result<Transcript> load_transcript(const std::string& path);

}  // namespace postino::smtp::testing
