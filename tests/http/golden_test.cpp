// golden_test.cpp — every tests/http/golden/*.txt against the HTTP server
// engine, fed whole, one octet at a time, at 8 seeded random split patterns
// and as a dialogue (DESIGN.md §4). HTTP_RECORD=path runs the hidden
// "[.record]" test, which prints that file with the engine's output filled in.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "golden_driver.hpp"

using namespace postino;
using namespace postino::http::testing;

namespace {
std::string slurp(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}
std::string expected_output(const smtp::Transcript& t) {
    std::string s;
    for (const auto& st : t.steps) {
        if (st.kind == smtp::TranscriptStep::Kind::Server) s += st.bytes;
    }
    return s;
}
}  // namespace

TEST_CASE("http golden transcripts: whole, byte by byte, random splits, dialogue", "[http][golden]") {
    const std::filesystem::path dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests/http/golden";
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 15);
    for (const auto& f : files) {
        auto t = smtp::parse_transcript(slurp(f), f.filename().string());
        INFO(f.filename().string());
        REQUIRE(t.ok());
        const std::string want = expected_output(*t);
        REQUIRE(!want.empty());
        struct Mode { Feed feed; std::uint64_t seed; bool dialogue; const char* name; };
        std::vector<Mode> modes{{Feed::Whole, 1, false, "whole"}, {Feed::ByteByByte, 1, false, "byte by byte"},
                                {Feed::Whole, 1, true, "dialogue"}};
        for (std::uint64_t s = 1; s <= 8; ++s) modes.push_back({Feed::Random, s, false, "random"});
        for (const auto& m : modes) {
            INFO(m.name << " seed " << m.seed);
            const auto out = run_golden(*t, m.feed, m.seed, m.dialogue);
            CHECK(out.output == want);
            for (const auto& p : out.mismatches) FAIL_CHECK(p);
        }
    }
}

TEST_CASE("http golden: record a transcript", "[.record]") {
    const char* path = std::getenv("HTTP_RECORD");
    REQUIRE(path != nullptr);
    const std::string text = slurp(path);
    auto t = smtp::parse_transcript(text, path);
    REQUIRE(t.ok());
    std::cout << record_golden(*t, text);
}
