// demo_test.cpp — the built-in demo shows what it promises, and a run is a
// pure function of its seed (DESIGN.md §2.2): same seed, same bytes.
#include <catch2/catch.hpp>

#include <sstream>

#include "app/demo.hpp"
#include "core/trace_json.hpp"

using namespace postino;

namespace {
struct Captured {
    std::string bytes;
    app::RunSummary summary;
    std::vector<trace::Event> events;
};
Captured run(std::uint64_t seed) {
    std::ostringstream out;
    trace::JsonlWriter writer(out, trace::Header{trace::kFormatVersion, seed, "demo", "test"});
    trace::MemorySink mem;
    Captured c;
    c.summary = app::run_demo(seed, {&writer, &mem});
    c.bytes = out.str();
    c.events = std::move(mem.events);
    return c;
}
std::size_t count(const std::vector<trace::Event>& ev, const std::string& kind, const std::string& what) {
    std::size_t n = 0;
    for (const auto& e : ev) {
        if (e.kind == kind && (e.get_str("ev") == what || (what == "retransmit" && e.get_bool("retransmit").value_or(false)))) ++n;
    }
    return n;
}
}  // namespace

TEST_CASE("the demo runs DNS, an echo exchange, a retransmission and a refused connection", "[demo]") {
    auto c = run(1);
    CHECK(count(c.events, "dns", "answer") == 1);
    CHECK(count(c.events, "tcp", "established") == 2);
    CHECK(count(c.events, "segment", "lost") >= 1);
    CHECK(count(c.events, "segment", "retransmit") >= 1);
    CHECK(count(c.events, "tcp", "refused") == 1);
    CHECK(count(c.events, "fault", "begin") == 1);
    CHECK(count(c.events, "fault", "end") == 1);
    std::size_t echo_lines = 0;
    for (const auto& e : c.events) {
        if (e.kind == "line" && e.get_str("dir") == "recv" && e.host == "pc.alice.example") ++echo_lines;
    }
    CHECK(echo_lines == 2);
    CHECK(c.summary.events == c.events.size());
}

TEST_CASE("same seed gives a byte-identical trace, another seed changes the random parts", "[demo][determinism]") {
    auto a = run(42);
    auto b = run(42);
    CHECK(a.bytes == b.bytes);
    CHECK(a.summary.fingerprint == b.summary.fingerprint);
    CHECK(a.summary.end == b.summary.end);
    auto c = run(43);
    CHECK(c.bytes != a.bytes);
    CHECK(c.summary.fingerprint != a.summary.fingerprint);
    // The story is the same, only jitter, query ids and ports differ.
    CHECK(count(c.events, "tcp", "refused") == 1);
    CHECK(count(a.events, "segment", "send") > 0);
}
