// golden_test.cpp — every IMAP transcript under tests/imap/golden, fed
// whole, byte by byte, at seeded random splits and as a dialogue, must give
// the transcript's output, the expected store (when it has @expect lines)
// and no broken invariant.
#include <catch2/catch.hpp>

#include <filesystem>

#include "imap/golden_driver.hpp"

using namespace postino;
using namespace postino::imap::testing;

namespace {

constexpr std::uint64_t kSplitSeeds = 8;

void check_run(const Transcript& t, FeedMode mode, std::uint64_t seed) {
    INFO("mode " << to_string(mode) << ", seed " << seed);
    auto run = run_transcript(t, mode, seed);
    if (!run.ok()) FAIL(run.error().message());
    for (const auto& p : run->problems) FAIL_CHECK(p);
    CHECK(smtp::escape(run->output) == smtp::escape(run->expected_output));
    if (!t.expects.empty()) CHECK(run->summary == t.expects);
}

}  // namespace

TEST_CASE("imap golden transcripts: every file parses", "[imap][golden]") {
    const auto files = golden_files();
    REQUIRE(files.size() >= 10);
    for (const auto& f : files) {
        INFO(f);
        auto t = load_transcript(f);
        if (!t.ok()) FAIL(t.error().message());
        CHECK(!t->steps.empty());
    }
}

TEST_CASE("imap golden transcripts: whole, byte by byte, random splits and dialogue agree", "[imap][golden]") {
    for (const auto& file : golden_files()) {
        INFO(std::filesystem::path(file).filename().string());
        auto t = load_transcript(file);
        REQUIRE(t.ok());
        check_run(*t, FeedMode::Whole, 0);
        check_run(*t, FeedMode::ByteByByte, 0);
        check_run(*t, FeedMode::Dialogue, 0);
        for (std::uint64_t seed = 1; seed <= kSplitSeeds; ++seed) check_run(*t, FeedMode::RandomSplit, seed);
    }
}
