// inspect_test.cpp — the event inspector's layers: a line and the segments
// that carried it (including a loss and its retransmission), a segment and
// the line it carried, the link transfer.
#include <catch2/catch.hpp>

#include "model/inspect.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {
std::uint32_t find(const TraceModel& m, std::string_view label, Kind kind) {
    for (std::uint32_t i = 0; i < m.size(); ++i) {
        if (m.ev(i).kind == kind && m.label(i) == label) return i;
    }
    FAIL("not found: " << label);
    return kNone;
}
}  // namespace

TEST_CASE("a line sent while the link was down: its segments, lost and retransmitted", "[viz][inspect]") {
    const auto m = vizt::load("demo.jsonl");
    const auto i = find(m, "this line is sent while the link is down", Kind::line);
    const auto L = layers_of(m, i);
    REQUIRE(L.has_line);
    CHECK(L.dir == "send");
    CHECK(L.bytes == "this line is sent while the link is down\r\n");
    CHECK(L.stream_offset == 22);  // after "HELLO server.example\r\n"
    // First transmission + 4 retransmissions lost, the 5th... : every copy of seq 23 len 42
    REQUIRE(L.segments.size() >= 3);
    CHECK(L.segments[0].seqno == 23);
    CHECK_FALSE(L.segments[0].retransmit);
    CHECK(L.segments[0].fate.rfind("lost", 0) == 0);
    CHECK(L.segments.back().retransmit);
    CHECK(L.segments.back().fate == "received");
    REQUIRE(L.has_transfer);
    CHECK(L.transfer.from == "pc.alice.example");
    CHECK(L.transfer.to == "server.example");
    CHECK(L.transfer.t_end - L.transfer.t_send > 3'000'000'000 - 200'000'000);
}

TEST_CASE("a segment shows the line it carried and its fate", "[viz][inspect]") {
    const auto m = vizt::load("demo.jsonl");
    const auto i = find(m, "PSH,ACK seq=1 ack=1 len=22", Kind::segment);
    const auto L = layers_of(m, i);
    REQUIRE(L.is_segment);
    REQUIRE(L.segments.size() == 1);
    CHECK(L.segments[0].flags == "PSH,ACK");
    CHECK(L.segments[0].fate == "received");
    REQUIRE(L.carried_lines.size() == 1);
    CHECK(m.label(L.carried_lines[0]) == "HELLO server.example");
    const auto rows = field_rows(m.full(i));
    CHECK(rows[0] == std::make_pair(std::string("ev"), std::string("send")));
}

TEST_CASE("a lost segment's transfer says why", "[viz][inspect]") {
    const auto m = vizt::load("demo.jsonl");
    std::uint32_t lost = kNone;
    for (std::uint32_t i = 0; i < m.size() && lost == kNone; ++i) {
        if (m.ev(i).flags & flag::lost) lost = i;
    }
    REQUIRE(lost != kNone);
    const auto L = layers_of(m, lost);
    REQUIRE(L.has_transfer);
    CHECK(L.transfer.lost);
    CHECK(L.transfer.lost_reason == "link of server.example is down");
}
