// seek_test.cpp — step back is exact: the state at any cursor position equals
// the state after applying the events before it, whether reached from a
// snapshot, by stepping, by seeking in time or by playing.
#include <catch2/catch.hpp>

#include <random>

#include "model/session.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

WorldState replay(const TraceModel& m, std::uint32_t k) {
    WorldState w;
    for (std::uint32_t i = 0; i < k; ++i) apply(w, m, i);
    return w;
}

}  // namespace

TEST_CASE("snapshot + replay equals replay from the start at random positions", "[viz][seek]") {
    for (const char* name : {"demo.jsonl", "mail-bounce.jsonl", "mail-mailbox.jsonl", "mail-imap.jsonl"}) {
        INFO(name);
        const auto m = vizt::load(name);
        for (std::uint32_t interval : {1u, 3u, 16u, 512u}) {
            INFO("interval " << interval);
            Snapshots snaps(interval);
            snaps.extend(m);
            std::mt19937 rng(interval * 7919u + static_cast<unsigned>(m.size()));
            std::uniform_int_distribution<std::uint32_t> pos(0, static_cast<std::uint32_t>(m.size()));
            WorldState cursor;  // moved around with seek(): forward by applying, back via snapshots
            for (int trial = 0; trial < 60; ++trial) {
                const std::uint32_t k = pos(rng);
                const WorldState expected = replay(m, k);
                REQUIRE(snaps.state_at(m, k) == expected);
                snaps.seek(cursor, m, k);
                REQUIRE(cursor == expected);
            }
            CHECK(snaps.tip() == replay(m, static_cast<std::uint32_t>(m.size())));
        }
    }
}

TEST_CASE("states differ where they should (the equality is not vacuous)", "[viz][seek]") {
    const auto m = vizt::load("mail-bounce.jsonl");
    std::size_t changes = 0;
    WorldState prev = replay(m, 0);
    for (std::uint32_t k = 1; k <= m.size(); ++k) {
        WorldState cur = replay(m, k);
        WorldState cur_without_count = cur;
        cur_without_count.applied = prev.applied;
        if (!(cur_without_count == prev)) ++changes;
        prev = std::move(cur);
    }
    CHECK(changes > m.size() / 2);
}

TEST_CASE("stepping forward then back visits exactly the same states", "[viz][seek]") {
    Session s(vizt::load("mail-bounce.jsonl"), Session::kDefaultMaxGap, 8);
    std::vector<WorldState> forward;
    forward.push_back(s.state());
    while (!s.at_end()) {
        s.step_forward();
        forward.push_back(s.state());
        REQUIRE(s.state() == replay(s.model(), s.index()));
    }
    REQUIRE(forward.size() == s.size() + 1);
    for (std::size_t i = forward.size() - 1; i-- > 0;) {
        s.step_back();
        REQUIRE(s.state() == forward[i]);
    }
    CHECK(s.index() == 0);
}

TEST_CASE("seeking by time applies every event at or before that time", "[viz][seek]") {
    Session s(vizt::load("demo.jsonl"));
    const auto& m = s.model();
    const std::int64_t t = m.ev(20).t;
    s.seek_time(t);
    CHECK(s.time() == t);
    CHECK(m.ev(s.index() - 1).t <= t);
    if (s.index() < s.size()) CHECK(m.ev(s.index()).t > t);
    CHECK(s.state() == replay(m, s.index()));
    s.seek_time(t - 1);
    CHECK(m.ev(s.index()).t > t - 1);
    CHECK(s.state() == replay(m, s.index()));
}
