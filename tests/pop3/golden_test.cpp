// golden_test.cpp — every POP3 transcript under tests/pop3/golden, fed
// whole, byte by byte, at seeded random split points and as a dialogue,
// must give the transcript's output, the same policy log (server) or client
// summary and downloaded messages (client), and no broken invariant.
#include <catch2/catch.hpp>

#include <filesystem>

#include "pop3/golden_driver.hpp"

using namespace postino;
using namespace postino::pop3::testing;

namespace {

constexpr std::uint64_t kSplitSeeds = 12;

void check_run(const Transcript& t, FeedMode mode, std::uint64_t seed) {
    INFO("mode " << to_string(mode) << ", seed " << seed);
    auto run = run_transcript(t, mode, seed);
    if (!run.ok()) FAIL(run.error().message());
    const RunResult& r = *run;
    for (const auto& p : r.problems) FAIL_CHECK(p);
    CHECK(smtp::escape(r.output) == smtp::escape(r.expected_output));
    CHECK(r.summary == t.expects);
    CHECK(r.messages == r.expected_messages);
}

}  // namespace

TEST_CASE("pop3 golden transcripts: every file parses", "[pop3][golden]") {
    const auto files = golden_files();
    REQUIRE(files.size() >= 20);
    for (const auto& f : files) {
        INFO(f);
        auto t = load_transcript(f);
        if (!t.ok()) FAIL(t.error().message());
        CHECK(!t->steps.empty());
    }
}

TEST_CASE("pop3 golden transcripts: whole, byte by byte, random splits and dialogue agree", "[pop3][golden]") {
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
