// scheduler_test.cpp — event order (time, then insertion), cancel, run modes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/scheduler.hpp"

using namespace postino;

TEST_CASE("simultaneous events run in the order they were scheduled", "[scheduler]") {
    Scheduler s;
    std::string order;
    s.schedule_at(seconds(2), [&] { order += 'c'; });
    s.schedule_at(seconds(1), [&] { order += 'a'; });
    s.schedule_at(seconds(2), [&] { order += 'd'; });
    s.schedule_at(seconds(1), [&] { order += 'b'; });
    s.schedule_at(seconds(2), [&] {
        order += 'e';
        s.schedule_in(Duration{}, [&] { order += 'f'; });  // same time, scheduled later: runs after
    });
    s.run_until_idle();
    CHECK(order == "abcdef");
    CHECK(s.now() == seconds(2));
    CHECK(s.events_run() == 6);
}

TEST_CASE("cancelled events never run and stale handles are harmless", "[scheduler]") {
    Scheduler s;
    int ran = 0;
    auto a = s.schedule_in(seconds(1), [&] { ran += 1; });
    auto b = s.schedule_in(seconds(2), [&] { ran += 10; });
    CHECK(s.pending(a));
    CHECK(s.cancel(a));
    CHECK_FALSE(s.cancel(a));
    CHECK_FALSE(s.pending(a));
    CHECK(s.live_events() == 1);
    s.run_until_idle();
    CHECK(ran == 10);
    CHECK_FALSE(s.cancel(b));  // already ran
    // The freed slot is reused; the old handle must not cancel the new event.
    auto c = s.schedule_in(seconds(1), [&] { ran += 100; });
    CHECK((c.slot == a.slot || c.slot == b.slot));
    CHECK_FALSE(s.cancel(a));
    CHECK_FALSE(s.cancel(b));
    s.run_until_idle();
    CHECK(ran == 110);
}

TEST_CASE("run_until stops at the time and advances the clock", "[scheduler]") {
    Scheduler s;
    std::vector<std::int64_t> times;
    for (int i = 1; i <= 5; ++i) s.schedule_at(seconds(i), [&] { times.push_back(s.now().ns()); });
    s.run_until(seconds(3));
    CHECK(times.size() == 3);
    CHECK(s.now() == seconds(3));
    s.run_until(milliseconds(3500));
    CHECK(s.now() == milliseconds(3500));
    CHECK(s.next_time() == seconds(4));
    CHECK(s.step());
    CHECK(s.now() == seconds(4));
    s.run_until_idle();
    CHECK(times.size() == 5);
    CHECK_FALSE(s.step());
    CHECK(s.next_time() == Duration::max());
}

TEST_CASE("events scheduled in the past run now, and the idle guard bounds a loop", "[scheduler]") {
    Scheduler s;
    s.run_until(seconds(10));
    Time seen{};
    s.schedule_at(seconds(1), [&] { seen = s.now(); });
    s.run_until_idle();
    CHECK(seen == seconds(10));
    std::function<void()> forever = [&] { s.schedule_in(seconds(1), [&] { forever(); }); };
    forever();
    CHECK(s.run_until_idle(1000) == 1000);
}
