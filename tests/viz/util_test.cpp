// util_test.cpp — durations and countdowns, hex dumps, header splitting,
// narration language, --at and --size parsing, the Open dialog's listing.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "model/file_list.hpp"
#include "model/text_util.hpp"

using namespace postino;
using namespace postino::viz;

TEST_CASE("durations and countdowns for people", "[viz][text]") {
    CHECK(short_duration(0) == "0 s");
    CHECK(short_duration(66'818'303) == "66.8 ms");
    CHECK(short_duration(1'500'000'000) == "1.50 s");
    CHECK(short_duration(252'000'000'000) == "4 min 12 s");
    CHECK(short_duration(7'380'000'000'000) == "2 h 3 min");
    CHECK(short_duration(183'600'000'000'000) == "2 d 3 h");
    CHECK(countdown(10'000'000'000, 4'000'000'000) == "in 6.00 s");
    CHECK(countdown(5, 5) == "due now");
    CHECK(countdown(1'000'000'000, 4'000'000'000) == "overdue 3.00 s");
    CHECK(stamp(66'818'303) == "+0d00:00:00.066818");
}

TEST_CASE("hex dump rows", "[viz][text]") {
    const std::string d = hex_dump("HELO x\r\n0123456789");
    CHECK(d == "0000  48 45 4c 4f 20 78 0d 0a  30 31 32 33 34 35 36 37  HELO x..01234567\n"
               "0010  38 39                                             89\n");
    CHECK(hex_dump("") == "");
}

TEST_CASE("header sections unfold and find the body", "[viz][text]") {
    const auto h = split_header("From: a@b\r\nSubject: long\r\n  subject\r\nX:\r\n\r\nBody\r\n");
    REQUIRE(h.fields.size() == 3);
    CHECK(h.fields[0] == std::make_pair(std::string("From"), std::string("a@b")));
    CHECK(h.fields[1].second == "long subject");
    CHECK(h.fields[2].second.empty());
    CHECK(h.body_offset == 43);
    CHECK(split_header("no body").body_offset == 7);
}

TEST_CASE("narration picks the requested language only when the trace has it", "[viz][text]") {
    trace::Event n("note", "h");
    n.set("text", "The mail waits").set("it", "La posta aspetta");
    bool tr = false;
    CHECK(note_text(n, "it", &tr) == "La posta aspetta");
    CHECK(tr);
    CHECK(note_text(n, "fr", &tr) == "The mail waits");
    CHECK_FALSE(tr);
    CHECK(note_text(n, "en") == "The mail waits");
}

TEST_CASE("the --at and --size options parse", "[viz][text]") {
    auto a = parse_at("#42");
    REQUIRE(a.ok());
    CHECK(a->is_event);
    CHECK(a->event == 42);
    auto b = parse_at("1.5s");
    REQUIRE(b.ok());
    CHECK_FALSE(b->is_event);
    CHECK(b->t == 1'500'000'000);
    CHECK(parse_at("250ms")->t == 250'000'000);
    CHECK_FALSE(parse_at("#").ok());
    CHECK_FALSE(parse_at("#4x").ok());
    CHECK_FALSE(parse_at("soon").ok());
    CHECK(parse_size("1920x1080").value() == std::make_pair(1920, 1080));
    CHECK_FALSE(parse_size("1920").ok());
    CHECK_FALSE(parse_size("10x10").ok());
}

TEST_CASE("the Open dialog lists directories, traces and scenarios", "[viz][files]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "postino-viz-list-test";
    fs::remove_all(dir);
    fs::create_directories(dir / "sub");
    for (const char* f : {"b.jsonl", "a.yaml", "c.txt", ".hidden.jsonl"}) std::ofstream(dir / f) << "x";
    auto l = list_dir(dir.string());
    REQUIRE(l.ok());
    REQUIRE(l->size() == 3);
    CHECK((*l)[0].name == "sub");
    CHECK((*l)[0].is_dir);
    CHECK((*l)[1].name == "a.yaml");
    CHECK((*l)[2].name == "b.jsonl");
    CHECK(list_dir(dir.string(), true)->size() == 4);
    CHECK_FALSE(list_dir((dir / "nope").string()).ok());
    CHECK(is_scenario_path("x.yml"));
    CHECK(is_trace_path("x.jsonl"));
    CHECK_FALSE(is_trace_path("x.yaml"));
    fs::remove_all(dir);
}
