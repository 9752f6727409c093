// scheduler_test.cpp — event order (time, then insertion), cancel, run modes.
#include <catch2/catch.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/scheduler.hpp"

#include <algorithm>

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

TEST_CASE("random schedules and cancels run in exactly (time, sequence) order", "[scheduler][property]") {
    // Model check against a plain sorted list, over many seeded random mixes
    // of scheduling (including from inside events) and cancelling.
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        Rng rng(seed);
        Scheduler s;
        struct Expected {
            std::int64_t t;
            int id;
        };
        std::vector<Expected> expected;
        std::vector<int> ran;
        std::vector<EventId> ids;
        std::vector<Expected> all;
        int next = 0;
        for (int i = 0; i < 500; ++i) {
            const std::int64_t t = rng.uniform_int(0, 50);  // many equal times
            const int id = next++;
            all.push_back({t, id});
            ids.push_back(s.schedule_at(nanoseconds(t), [&ran, id] { ran.push_back(id); }));
        }
        std::vector<bool> cancelled(all.size(), false);
        for (int i = 0; i < 100; ++i) {
            const auto k = static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(all.size()) - 1));
            if (!cancelled[k]) {
                CHECK(s.cancel(ids[k]));
                cancelled[k] = true;
            }
        }
        for (std::size_t k = 0; k < all.size(); ++k) {
            if (!cancelled[k]) expected.push_back(all[k]);
        }
        std::stable_sort(expected.begin(), expected.end(), [](const Expected& a, const Expected& b) { return a.t < b.t; });
        s.run_until_idle();
        REQUIRE(ran.size() == expected.size());
        for (std::size_t k = 0; k < ran.size(); ++k) REQUIRE(ran[k] == expected[k].id);
    }
}

TEST_CASE("sweeping out cancelled events keeps the (time, sequence) order and the handles", "[scheduler][property]") {
    // Enough entries, and enough of them cancelled, that the heap is swept
    // several times, also while events run (a timer re-armed by an event).
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
        Rng rng(seed);
        Scheduler s;
        std::vector<int> ran;
        std::vector<EventId> ids;
        std::vector<std::int64_t> at;
        std::vector<bool> cancelled;
        constexpr int kEvents = 6000;
        for (int id = 0; id < kEvents; ++id) {
            at.push_back(rng.uniform_int(0, 200));  // many equal times
            cancelled.push_back(false);
            ids.push_back(s.schedule_at(nanoseconds(at.back()), [&ran, id] { ran.push_back(id); }));
        }
        for (int i = 0; i < kEvents * 4 / 5; ++i) {
            const auto k = static_cast<std::size_t>(rng.uniform_int(0, kEvents - 1));
            CHECK(s.cancel(ids[k]) == !cancelled[k]);
            cancelled[k] = true;
        }
        CHECK(s.live_events() == static_cast<std::size_t>(std::count(cancelled.begin(), cancelled.end(), false)));
        // A handle of a cancelled event stays harmless after its slot is reused.
        const EventId stale = ids[static_cast<std::size_t>(std::find(cancelled.begin(), cancelled.end(), true) - cancelled.begin())];
        std::vector<int> late;
        for (int i = 0; i < 2000; ++i) s.schedule_at(nanoseconds(300), [&late, i] { late.push_back(i); });
        CHECK_FALSE(s.pending(stale));
        CHECK_FALSE(s.cancel(stale));
        std::vector<std::size_t> expected;
        for (std::size_t k = 0; k < at.size(); ++k) {
            if (!cancelled[k]) expected.push_back(k);
        }
        std::stable_sort(expected.begin(), expected.end(), [&](std::size_t a, std::size_t b) { return at[a] < at[b]; });
        s.run_until_idle();
        REQUIRE(ran.size() == expected.size());
        for (std::size_t k = 0; k < ran.size(); ++k) REQUIRE(ran[k] == static_cast<int>(expected[k]));
        REQUIRE(late.size() == 2000);
        for (int i = 0; i < 2000; ++i) REQUIRE(late[static_cast<std::size_t>(i)] == i);
    }
}

TEST_CASE("an event that cancels and re-arms timers runs them in order through the sweeps", "[scheduler]") {
    // The pattern of an SMTP link: each step cancels the pending timeout and
    // arms a new one; only the last one armed may fire.
    Scheduler s;
    EventId timeout;
    int steps = 0;
    std::vector<std::int64_t> fired;
    std::function<void()> step = [&] {
        s.cancel(timeout);
        timeout = s.schedule_in(seconds(300), [&] { fired.push_back(s.now().ns()); });
        if (++steps < 20000) s.schedule_in(milliseconds(1), [&] { step(); });
    };
    s.schedule_at(Time{}, [&] { step(); });
    s.run_until_idle();
    CHECK(steps == 20000);
    REQUIRE(fired.size() == 1);
    CHECK(fired[0] == (milliseconds(19999) + seconds(300)).ns());
}
