// golden_test.cpp — every transcript under tests/smtp/golden, fed whole,
// byte by byte, at seeded random split points and as a dialogue, must give
// the transcript's output, the same messages (or client results) and no
// broken invariant (docs/transcript-format.md).
#include <catch2/catch.hpp>

#include <filesystem>

#include "smtp/golden_driver.hpp"

using namespace postino::smtp;
using namespace postino::smtp::testing;

namespace {

// Random split runs per transcript, each with its own seed.
constexpr std::uint64_t kSplitSeeds = 12;

void check_run(const Transcript& t, FeedMode mode, std::uint64_t seed) {
    INFO("mode " << to_string(mode) << ", seed " << seed);
    auto run = run_transcript(t, mode, seed);
    if (!run.ok()) FAIL(run.error().message());
    const RunResult& r = *run;
    for (const auto& p : r.problems)
        FAIL_CHECK(p);
    CHECK(escape(r.output) == escape(r.expected_output));
    CHECK(r.messages == r.expected_messages);
    if (t.role == "client") CHECK(r.summary == t.expects);
}

}  // namespace

TEST_CASE("golden transcripts: every file parses and has the expected role data", "[smtp][golden]") {
    const auto files = golden_files();
    REQUIRE(files.size() >= 30);
    for (const auto& f : files) {
        INFO(f);
        auto t = load_transcript(f);
        REQUIRE(t.ok());
        CHECK(!t->steps.empty());
        if (t->role == "client") CHECK(!t->expects.empty());
    }
}

TEST_CASE("golden transcripts: whole, byte by byte, random splits and dialogue agree", "[smtp][golden]") {
    // A plain loop rather than GENERATE: every file runs even after a failure.
    for (const auto& file : golden_files()) {
        INFO(std::filesystem::path(file).filename().string());
        auto t = load_transcript(file);
        REQUIRE(t.ok());
        check_run(*t, FeedMode::Whole, 0);
        check_run(*t, FeedMode::ByteByByte, 0);
        check_run(*t, FeedMode::Dialogue, 0);
        for (std::uint64_t seed = 1; seed <= kSplitSeeds; ++seed)
            check_run(*t, FeedMode::RandomSplit, seed);
    }
}
