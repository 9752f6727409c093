// timeline.hpp — timed callbacks known before the run starts (a scenario's
// actions: 100,000 sends in the MTA benchmark), fed to the scheduler one at
// a time (DESIGN.md §2.2).
//
// Scheduled all at once they would sit in the scheduler's heap for the
// whole run and make every push and pop of every other event walk a heap
// of 100,000 more entries. A Timeline takes each entry's place in the
// (time, sequence) order when it is added (Scheduler::reserve_sequence)
// and keeps only the next entry in the heap: each entry runs exactly where
// schedule_at() at add() time would have run it, so traces do not change.
#pragma once

#include <cstdint>
#include <vector>

#include "core/scheduler.hpp"

namespace postino {

class Timeline {
public:
    explicit Timeline(Scheduler& s) : sched_(s) {}
    Timeline(const Timeline&) = delete;
    Timeline& operator=(const Timeline&) = delete;

    // An entry at `at`, ordered among every other event as if scheduled now.
    void add(Time at, Scheduler::Callback cb);
    // Hands the earliest entry to the scheduler; each entry hands on the
    // next as it runs. Call once, after the last add().
    void start();

    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    struct Entry {
        Time at;
        std::uint64_t seq;
        Scheduler::Callback cb;
    };
    void feed();
    void run();

    Scheduler& sched_;
    std::vector<Entry> entries_;
    std::vector<std::uint32_t> order_;  // entries_ by (at, seq)
    std::size_t next_ = 0;               // in order_: the entry in the scheduler
};

}  // namespace postino
