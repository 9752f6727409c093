// timeline_test.cpp — timed callbacks fed to the scheduler one at a time run
// exactly where scheduling them all up front would run them
// (core/timeline.hpp).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "core/timeline.hpp"

using namespace postino;

TEST_CASE("timeline entries run in time order, ties in the order they were added", "[timeline]") {
    Scheduler s;
    Timeline tl(s);
    std::string order;
    tl.add(seconds(2), [&] { order += 'c'; });
    tl.add(seconds(1), [&] { order += 'a'; });
    tl.add(seconds(2), [&] { order += 'd'; });
    tl.add(seconds(1), [&] { order += 'b'; });
    tl.start();
    CHECK(s.live_events() == 1);  // only the next entry is in the queue
    s.run_until_idle();
    CHECK(order == "abcd");
    CHECK(s.events_run() == 4);
}

TEST_CASE("a timeline interleaves with other events exactly as schedule_at at add() time would", "[timeline]") {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        Rng script(seed);
        // One script, run twice: once with every "action" scheduled up front,
        // once with the actions on a Timeline. Other events are scheduled
        // before, between and after the actions, and each callback schedules
        // follow-ups at equal and later times, so ties are everywhere.
        struct Item {
            bool action;
            std::int64_t at;
        };
        std::vector<Item> items;
        for (int i = 0; i < 60; ++i) items.push_back(Item{script.uniform_int(0, 2) != 0, script.uniform_int(0, 20)});
        struct Ctx {
            Scheduler s;
            std::vector<std::string> log;
            Rng follow;
        };
        auto run = [&](bool use_timeline) {
            Ctx c{Scheduler{}, {}, Rng(seed * 7919)};
            Timeline tl(c.s);
            auto make = [&c](std::string name) {
                return [ctx = &c, name] {
                    ctx->log.push_back(name + "@" + std::to_string(ctx->s.now().ns()));
                    const auto n = ctx->follow.uniform_int(0, 2);
                    for (std::int64_t k = 0; k < n; ++k) {
                        const auto later = ctx->follow.uniform_int(0, 3);
                        ctx->s.schedule_in(nanoseconds(later), [ctx, name, k] {
                            ctx->log.push_back(name + "." + std::to_string(k) + "@" + std::to_string(ctx->s.now().ns()));
                        });
                    }
                };
            };
            for (std::size_t i = 0; i < items.size(); ++i) {
                const std::string name = (items[i].action ? "a" : "e") + std::to_string(i);
                if (items[i].action && use_timeline) tl.add(nanoseconds(items[i].at), make(name));
                else c.s.schedule_at(nanoseconds(items[i].at), make(name));
            }
            tl.start();
            c.s.run_until_idle();
            return c.log;
        };
        INFO("seed " << seed);
        CHECK(run(true) == run(false));
    }
}

TEST_CASE("an empty timeline schedules nothing", "[timeline]") {
    Scheduler s;
    Timeline tl(s);
    tl.start();
    CHECK(s.live_events() == 0);
    CHECK(s.run_until_idle() == 0);
}
