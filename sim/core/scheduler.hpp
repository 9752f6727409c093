// scheduler.hpp — the discrete-event scheduler (DESIGN.md §2.2).
//
// Events run in order of (time, insertion sequence): two events at the same
// simulated time run in the order they were scheduled, never by pointer value
// or container iteration order. Cancelling marks an event dead; it is skipped
// when it reaches the head of the queue, or swept out with the others once
// dead entries are more than half the heap (agents re-arm their timeouts on
// every exchange, so most cancelled timers would otherwise sit in the heap
// for minutes of simulated time and make every push and pop slower). Event slots are recycled through a
// free list and callbacks are stored inline, so a steady-state run allocates
// nothing per event beyond amortized growth of the heap and slot vectors.
#pragma once

#include <cstdint>
#include <vector>

#include "core/inplace_function.hpp"
#include "core/time.hpp"

namespace postino {

// Handle to a scheduled event. Stale handles (the event ran or was cancelled
// and its slot reused) are detected by the generation counter.
struct EventId {
    std::uint32_t slot = UINT32_MAX;
    std::uint32_t generation = 0;
    [[nodiscard]] bool valid() const { return slot != UINT32_MAX; }
};

class Scheduler {
public:
    // 48 bytes of capture: a pointer and a std::string, or six pointers. Larger
    // state lives in the agent and the callback captures a pointer to it.
    using Callback = InplaceFunction<void(), 48>;

    [[nodiscard]] Time now() const { return now_; }

    // Schedules `cb` at absolute time `at` (clamped to now if in the past).
    EventId schedule_at(Time at, Callback cb);
    EventId schedule_in(Duration delay, Callback cb) { return schedule_at(now_ + delay, std::move(cb)); }

    // A place in the order, taken now for an event scheduled later: a long
    // timeline (a scenario's 100,000 sends) is fed to the queue one entry at
    // a time instead of sitting in the heap all run, yet each entry runs
    // exactly where it would have had it been scheduled at reservation.
    // reserve_sequence(n) takes n consecutive numbers and returns the first;
    // schedule_reserved() schedules with one of them (each used once, and
    // while `at` is still ahead of, or at, now).
    std::uint64_t reserve_sequence(std::uint64_t n) {
        const std::uint64_t first = next_seq_;
        next_seq_ += n;
        return first;
    }
    EventId schedule_reserved(Time at, std::uint64_t seq, Callback cb);

    // Cancels a pending event; returns false if it already ran or was cancelled.
    bool cancel(EventId id);
    [[nodiscard]] bool pending(EventId id) const;

    // Runs the next live event; returns false when there is none.
    bool step();
    // Runs every event with time <= `until`, then sets now to `until`.
    void run_until(Time until);
    // Runs until no event is left, or `max_events` have run (a hang guard).
    // Returns the number of events run.
    std::uint64_t run_until_idle(std::uint64_t max_events = UINT64_MAX);

    [[nodiscard]] std::size_t live_events() const { return live_; }
    [[nodiscard]] std::uint64_t events_run() const { return events_run_; }
    // Time of the next live event, or Duration::max() when idle.
    [[nodiscard]] Time next_time();

private:
    struct HeapEntry {
        std::int64_t time;
        std::uint64_t seq;
        std::uint32_t slot;
    };
    struct Slot {
        Callback cb;
        std::uint32_t generation = 0;
        bool live = false;
    };
    // A function object (not a function pointer) so the heap operations inline it.
    struct Later {
        bool operator()(const HeapEntry& a, const HeapEntry& b) const {
            return a.time != b.time ? a.time > b.time : a.seq > b.seq;
        }
    };
    void drop_dead_head();
    // A 4-ary min-heap on (time, seq): half the depth of a binary heap, which
    // matters once a million events are pending and each level is a cache miss.
    void sift_up(std::size_t i);
    void sift_down(std::size_t i);
    void pop_head();
    void release(std::uint32_t slot);
    EventId push(Time at, std::uint64_t seq, Callback&& cb);
    // Drops the entries of cancelled events and rebuilds the heap.
    void compact();
    // Below this many entries dead ones are left to be popped (a sweep is
    // not worth it). Small: a mail world has a dozen live events and every
    // closed session leaves its timeouts behind, so a heap of mostly dead
    // entries costs more per pop than the sweeps do (docs/BENCHMARKS.md).
    static constexpr std::size_t kCompactMinEntries = 16;

    std::vector<HeapEntry> heap_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_;
    Time now_{};
    std::uint64_t next_seq_ = 0;
    std::uint64_t events_run_ = 0;
    std::size_t live_ = 0;
};

}  // namespace postino
