// load_test.cpp — TraceModel reads traces exactly as the validating reader
// does (same events, same errors with file:line), in one piece or in chunks.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "core/trace_reader.hpp"
#include "model/fast_line.hpp"
#include "model/trace_model.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The reader's verdict on a text, for comparison.
std::string reader_error(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    auto r = trace::read_trace(in, name);
    return r ? std::string() : r.error().message();
}

}  // namespace

TEST_CASE("every fixture loads to the same events as trace::read_trace", "[viz][load]") {
    for (const char* name : {"demo.jsonl", "mail-bounce.jsonl", "mail-mailbox.jsonl"}) {
        INFO(name);
        const auto model = vizt::load(name);
        auto file = trace::read_trace_file(vizt::fixture(name));
        REQUIRE(file.ok());
        REQUIRE(model.size() == file->events.size());
        CHECK(model.header() == file->header);
        for (std::size_t i = 0; i < model.size(); ++i) {
            INFO("event " << i);
            REQUIRE(model.full(i) == file->events[i]);
            CHECK(model.ev(i).t == file->events[i].t.ns());
            CHECK(model.host_name(model.ev(i).host) == file->events[i].host);
        }
    }
}

TEST_CASE("the fast path agrees with the reader on escapes, octets and UTF-8", "[viz][load]") {
    const std::vector<std::string> lines = {
        R"({"seq":0,"t":5,"kind":"line","host":"a","peer":"b","conn":3,"proto":"smtp","dir":"send","bytes":"MAIL FROM:<a@b>\r\n\u0000\u00ff\u007f\"\\"})",
        R"({"seq":0,"t":0,"kind":"note","host":"","text":"tab\there \u00e8 \"q\" \/ \b\f"})",
        R"({"seq":0,"t":0,"kind":"note","host":"x","text":"Il messaggio è nello spool ✉"})",
        R"({"seq":0,"t":-3,"kind":"note","host":"x","text":"negative time"})",
        R"({"seq":0,"t":1,"kind":"segment","host":"a","peer":"b","conn":1,"ev":"send","id":9,"flags":"SYN","seqno":0,"ackno":0,"len":0,"sport":1,"dport":2,"retransmit":true})",
    };
    for (const auto& l : lines) {
        INFO(l);
        auto slow = trace::parse_event_line(l, "x:2");
        REQUIRE(slow.ok());
        trace::Event fast;
        if (fast_parse_event(l, fast)) CHECK(fast == slow.value());
        auto m = TraceModel::from_text("{\"postino_trace\":1}\n" + l + "\n", "x");
        if (l.find("\"t\":-3") != std::string::npos) {
            // The reader rejects time before the start: so do we, at the same line.
            REQUIRE(m.error());
            CHECK(m.error()->message() == reader_error("{\"postino_trace\":1}\n" + l + "\n", "x"));
            continue;
        }
        REQUIRE_FALSE(m.error());
        CHECK(m.full(0) == slow.value());
    }
}

TEST_CASE("the fast path refuses what the reader refuses", "[viz][load]") {
    trace::Event e;
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"note","host":"x"})", e));             // no text
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"nope","host":"x"})", e));             // unknown kind
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0.5,"kind":"note","host":"x","text":""})", e));  // fraction
    CHECK_FALSE(fast_parse_event(R"({"seq":-1,"t":0,"kind":"note","host":"x","text":""})", e));   // negative seq
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"note","host":"x","text":"a","text":"b"})", e));
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"line","host":"x","proto":"smtp","dir":"send","bytes":"\u0100"})", e));
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"note","host":"x","text":"a"} )", e));  // trailing space
    CHECK_FALSE(fast_parse_event(R"({"seq":0,"t":0,"kind":"note","host":"x","text":"a")", e));    // truncated
    CHECK(fast_parse_event(R"({"seq":0,"t":0,"kind":"note","host":"x","text":"a"})", e));
}

TEST_CASE("bad traces are reported with file:line exactly as the reader does", "[viz][load][errors]") {
    const std::string head = R"({"postino_trace":1,"seed":1,"scenario":"s","generator":"g"})" "\n";
    const std::string ok0 = R"({"seq":0,"t":10,"kind":"note","host":"a","text":"zero"})" "\n";
    const std::string ok1 = R"({"seq":1,"t":20,"kind":"note","host":"a","text":"one"})" "\n";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"truncated line", head + ok0 + R"({"seq":1,"t":20,"kind":"no)"},
        {"bad JSON", head + ok0 + "{nope}\n"},
        {"sequence gap", head + ok0 + R"({"seq":2,"t":20,"kind":"note","host":"a","text":"x"})" "\n"},
        {"time backwards", head + ok0 + R"({"seq":1,"t":5,"kind":"note","host":"a","text":"x"})" "\n"},
        {"empty line", head + ok0 + "\n" + ok1},
        {"missing field", head + ok0 + R"({"seq":1,"t":20,"kind":"segment","host":"a","ev":"send"})" "\n"},
        {"unknown kind", head + ok0 + R"({"seq":1,"t":20,"kind":"teleport","host":"a"})" "\n"},
        {"not a trace", "hello world\n"},
        {"wrong version", R"({"postino_trace":2})" "\n"},
        {"empty file", ""},
        {"bytes above 0xff", head + R"({"seq":0,"t":0,"kind":"line","host":"a","proto":"smtp","dir":"send","bytes":"\u0101"})" "\n"},
    };
    for (const auto& [what, text] : cases) {
        INFO(what);
        const auto m = TraceModel::from_text(text, "bad.jsonl");
        REQUIRE(m.error());
        CHECK(m.error()->message() == reader_error(text, "bad.jsonl"));
        CHECK(m.error()->message().rfind("bad.jsonl:", 0) == 0);  // file:line first
    }
    // The events before the problem stay usable.
    const auto m = TraceModel::from_text(head + ok0 + ok1 + "{broken\n", "bad.jsonl");
    REQUIRE(m.error());
    CHECK(m.error()->where == "bad.jsonl:4");
    CHECK(m.size() == 2);
    CHECK(m.label(1) == "one");
}

TEST_CASE("a missing file is an error, not a crash", "[viz][load][errors]") {
    const auto m = TraceModel::load_file("/nonexistent/dir/trace.jsonl");
    REQUIRE(m.error());
    CHECK(m.error()->message().find("/nonexistent/dir/trace.jsonl") != std::string::npos);
    CHECK(m.size() == 0);
}

TEST_CASE("feeding a trace in chunks gives the same model as reading it whole", "[viz][load]") {
    const std::string text = slurp(vizt::fixture("mail-bounce.jsonl"));
    const auto whole = TraceModel::from_text(text, "f");
    REQUIRE_FALSE(whole.error());
    for (std::size_t step : {std::size_t{1}, std::size_t{7}, std::size_t{113}, std::size_t{4096}}) {
        TraceModel m("f");
        for (std::size_t i = 0; i < text.size(); i += step) m.feed(std::string_view(text).substr(i, step));
        m.finish();
        REQUIRE_FALSE(m.error());
        REQUIRE(m.size() == whole.size());
        REQUIRE(m.arrows().size() == whole.arrows().size());
        for (std::size_t i = 0; i < m.size(); ++i) {
            CHECK(m.full(i) == whole.full(i));
            CHECK(m.label(i) == whole.label(i));
            CHECK(m.ev(i).arrow == whole.ev(i).arrow);
        }
    }
}

TEST_CASE("a line without its newline waits for more input until finish()", "[viz][load]") {
    TraceModel m("live");
    m.feed(R"({"postino_trace":1})" "\n" R"({"seq":0,"t":1,"kind":"note","host":"a","text":"hel)");
    CHECK(m.size() == 0);
    CHECK_FALSE(m.error());
    m.feed(R"(lo"})" "\n");
    CHECK(m.size() == 1);
    CHECK(m.label(0) == "hello");
}

TEST_CASE("a large trace file loads to the same model and the same errors as its text", "[viz][load]") {
    // Read in one piece from the file, fed line by line from the text.
    vizt::Builder b;
    for (int i = 0; i < 15000; ++i) {
        b.at(i * 1000).add(vizt::seg("send", "a", "b", 1, i, "ACK", 1, 1, 0));
        b.at(i * 1000 + 500).add(vizt::seg("recv", "b", "a", 1, i, "ACK", 1, 1, 0));
    }
    const std::string text = b.text();
    const std::string path =
        (std::filesystem::temp_directory_path() / ("postino-viz-large-" + std::to_string(::getpid()) + ".jsonl")).string();
    const auto write = [&](const std::string& t) {
        std::ofstream out(path, std::ios::binary);
        out << t;
    };
    const auto same = [](const TraceModel& a, const TraceModel& m) {
        REQUIRE(m.size() == a.size());
        REQUIRE(m.arrows().size() == a.arrows().size());
        for (std::size_t i = 0; i < m.size(); i += 97) {
            CHECK(m.full(i) == a.full(i));
            CHECK(m.label(i) == a.label(i));
            CHECK(m.ev(i).arrow == a.ev(i).arrow);
            CHECK(m.ev(i).off == a.ev(i).off);
        }
    };
    write(text);
    const auto whole = TraceModel::from_text(text, path);
    const auto loaded = TraceModel::load_file(path);
    REQUIRE_FALSE(loaded.error());
    CHECK(loaded.size() == 30000);
    same(whole, loaded);
    // Without the last newline.
    write(text.substr(0, text.size() - 1));
    same(whole, TraceModel::load_file(path));
    // A bad line deep inside (a later batch), an empty line, a broken last line:
    // the error and the events before it are the feed() path's.
    std::size_t cut = 0;
    for (int n = 0; n < 20000; ++n) cut = text.find('\n', cut) + 1;
    for (const std::string& bad : {text.substr(0, cut) + "{broken\n" + text.substr(cut), text.substr(0, cut) + "\n" + text.substr(cut),
                                   text + "{\"seq\": 1"}) {
        write(bad);
        const auto ref = TraceModel::from_text(bad, path);
        const auto m = TraceModel::load_file(path);
        REQUIRE(ref.error());
        REQUIRE(m.error());
        CHECK(m.error()->message() == ref.error()->message());
        CHECK(m.size() == ref.size());
    }
    std::remove(path.c_str());
}
