// deadline_timer_test.cpp — a timer whose deadline moves: it expires when
// an eagerly re-armed timer would, with fewer scheduler operations, and
// leaves nothing behind when disarmed (core/deadline_timer.hpp).
#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <vector>

#include "core/deadline_timer.hpp"
#include "core/rng.hpp"
#include "core/scheduler.hpp"

using namespace postino;

namespace {
// An owner as the links and TCP use one: the wake-up calls due(), then
// records the expiry.
struct Owner {
    Scheduler& s;
    DeadlineTimer timer;
    std::vector<Time> expired;

    explicit Owner(Scheduler& sched) : s(sched) {}
    Scheduler::Callback wake() {
        return [this] {
            if (timer.due(s, [this] { return wake(); })) expired.push_back(s.now());
        };
    }
    void arm(Time at) { timer.arm(s, at, [this] { return wake(); }); }
};
}  // namespace

TEST_CASE("a deadline moved later expires once, at the last deadline, with one wake-up in the queue", "[deadline]") {
    Scheduler s;
    Owner o(s);
    o.arm(milliseconds(10));
    o.arm(milliseconds(20));
    o.arm(milliseconds(30));
    CHECK(s.live_events() == 1);  // the wake-up for 10 ms stays, nothing was cancelled
    s.run_until_idle();
    REQUIRE(o.expired.size() == 1);
    CHECK(o.expired[0] == milliseconds(30));
    CHECK(s.events_run() == 2);  // the early wake-up at 10 ms, then the one at 30 ms
    CHECK_FALSE(o.timer.armed());
}

TEST_CASE("a deadline moved earlier expires at the earlier time", "[deadline]") {
    Scheduler s;
    Owner o(s);
    o.arm(milliseconds(30));
    o.arm(milliseconds(10));
    s.run_until_idle();
    REQUIRE(o.expired.size() == 1);
    CHECK(o.expired[0] == milliseconds(10));
    CHECK(s.events_run() == 1);
}

TEST_CASE("a disarmed timer leaves no event: the run ends where it was", "[deadline]") {
    Scheduler s;
    Owner o(s);
    s.schedule_at(milliseconds(5), [] {});
    o.arm(milliseconds(10));
    o.arm(milliseconds(50));
    o.timer.disarm(s);
    s.run_until_idle();
    CHECK(o.expired.empty());
    CHECK(s.now() == milliseconds(5));
}

TEST_CASE("under random re-arming the deadline timer expires exactly when eager re-arming does", "[deadline]") {
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        Rng rng(seed);
        Scheduler lazy_s;
        Owner lazy(lazy_s);
        // The eager timer: cancel and schedule again at every move.
        struct Eager {
            Scheduler s;
            EventId id;
            std::vector<Time> expired;
            void set(std::optional<Time> at) {
                if (id.valid()) s.cancel(id);
                id = EventId{};
                if (!at) return;
                id = s.schedule_at(*at, [this] {
                    id = EventId{};
                    expired.push_back(s.now());
                });
            }
        } eager;
        // The same script on both: at each step, at a random time, the
        // deadline moves (later or earlier) or is removed.
        struct Step {
            Time at;
            bool disarm;
            Duration delta;
        };
        Time t{};
        for (int i = 0; i < 40; ++i) {
            t = t + milliseconds(rng.uniform_int(0, 30));
            const Step st{t, rng.uniform_int(0, 5) == 0, milliseconds(rng.uniform_int(0, 100))};
            lazy_s.schedule_at(st.at, [o = &lazy, st] {
                if (st.disarm) o->timer.disarm(o->s);
                else o->arm(st.at + st.delta);
            });
            eager.s.schedule_at(st.at, [e = &eager, st] { e->set(st.disarm ? std::nullopt : std::optional<Time>(st.at + st.delta)); });
        }
        lazy_s.run_until_idle();
        eager.s.run_until_idle();
        INFO("seed " << seed);
        CHECK(lazy.expired == eager.expired);
        CHECK(lazy_s.now() == eager.s.now());  // no wake-up outlives the last real event
    }
}
