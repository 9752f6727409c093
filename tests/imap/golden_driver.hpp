// golden_driver.hpp — runs an IMAP golden transcript (docs/transcript-format.md
// with the IMAP directives of docs/imap.md) against the IMAP server engine
// over a real MailStore and the agents' store adapter, feeding the client's
// octets whole, one at a time, at seeded random splits, or as a dialogue
// (each run of client lines checked against the output before it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "proto/smtp/transcript.hpp"

namespace postino::imap::testing {

using smtp::Transcript;

enum class FeedMode : std::uint8_t { Whole, ByteByByte, RandomSplit, Dialogue };
const char* to_string(FeedMode m);

struct RunResult {
    std::string output;
    std::string expected_output;
    bool close_requested = false;
    std::vector<std::string> summary;   // the store at the end (see docs/imap.md), when @expect is used
    std::vector<std::string> problems;  // broken invariants
};

Result<RunResult> run_transcript(const Transcript& t, FeedMode mode, std::uint64_t seed);
std::vector<std::string> golden_files();
Result<Transcript> load_transcript(const std::string& path);

}  // namespace postino::imap::testing
