// time_axis_test.cpp — long idle gaps are compressed, bursts keep true time.
#include <catch2/catch.hpp>

#include "model/time_axis.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {
TraceModel notes_at(std::initializer_list<std::int64_t> times) {
    vizt::Builder b;
    for (auto t : times) b.at(t).add(trace::Event("note", "h").set("text", "x"));
    return b.model();
}
}  // namespace

TEST_CASE("gaps longer than max_gap shrink to max_gap, bursts stay linear", "[viz][axis]") {
    const auto m = notes_at({0, 10, 30, 1'000'030, 1'000'050});
    TimeAxis ax;
    ax.rebuild(m, 100);
    CHECK(ax.ct_of(0) == 0);
    CHECK(ax.ct_of(1) == 10);
    CHECK(ax.ct_of(2) == 30);
    CHECK(ax.ct_of(3) == 130);  // the 1 ms gap counts as 100 ns
    CHECK(ax.ct_of(4) == 150);
    REQUIRE(ax.gaps().size() == 1);
    CHECK(ax.gaps()[0].t1 - ax.gaps()[0].t0 == 1'000'000);
    CHECK(ax.gaps()[0].before == 3);
    // Inside the gap, time runs proportionally faster.
    CHECK(ax.to_ct(500'030) == 80);
    CHECK(ax.to_t(80) == 500'030);
    CHECK(ax.to_ct(1'000'040) == 140);
    CHECK(ax.to_t(140) == 1'000'040);
    // After the end, linear.
    CHECK(ax.to_ct(1'000'150) == 250);
    // Off: identity.
    ax.rebuild(m, 0);
    CHECK(ax.ct_of(3) == 1'000'030);
    CHECK(ax.gaps().empty());
}

TEST_CASE("to_ct is monotonic and to_t inverts it", "[viz][axis]") {
    const auto m = vizt::load("mail-bounce.jsonl");
    TimeAxis ax;
    ax.rebuild(m, 250'000'000);
    std::int64_t prev = -1;
    for (std::int64_t t = 0; t < m.ev(m.size() - 1).t; t += 997'000'123) {
        const std::int64_t c = ax.to_ct(t);
        CHECK(c >= prev);
        prev = c;
        CHECK(std::llabs(ax.to_t(c) - t) <= 2'000'000);  // rounding inside compressed gaps only
    }
    CHECK(ax.end_ct() < m.ev(m.size() - 1).t / 100);  // days of waiting become a few seconds
}
