// timeline.cpp — a scenario's timed callbacks, fed to the scheduler one at a time.
#include "core/timeline.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace postino {

void Timeline::add(Time at, Scheduler::Callback cb) {
    if (at < sched_.now()) at = sched_.now();  // as schedule_at() clamps
    entries_.push_back(Entry{at, sched_.reserve_sequence(1), std::move(cb)});
}

void Timeline::start() {
    order_.resize(entries_.size());
    std::iota(order_.begin(), order_.end(), 0U);
    // Sequence numbers grow with the index, so a stable sort by time is the
    // (time, sequence) order.
    std::stable_sort(order_.begin(), order_.end(),
                     [this](std::uint32_t a, std::uint32_t b) { return entries_[a].at < entries_[b].at; });
    next_ = 0;
    feed();
}

void Timeline::feed() {
    if (next_ >= order_.size()) return;
    const Entry& e = entries_[order_[next_]];
    sched_.schedule_reserved(e.at, e.seq, [this] { run(); });
}

void Timeline::run() {
    Scheduler::Callback cb = std::move(entries_[order_[next_]].cb);
    ++next_;
    feed();  // a reserved number: scheduling the next entry first changes no other event's place
    cb();
}

}  // namespace postino
