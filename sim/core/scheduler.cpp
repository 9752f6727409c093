// scheduler.cpp — binary-heap event queue ordered by (time, sequence).
#include "core/scheduler.hpp"

#include <algorithm>

namespace postino {

EventId Scheduler::schedule_at(Time at, Callback cb) {
    if (at < now_) at = now_;
    std::uint32_t slot;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& s = slots_[slot];
    s.cb = std::move(cb);
    s.live = true;
    ++live_;
    heap_.push_back(HeapEntry{at.ns(), next_seq_++, slot});
    std::push_heap(heap_.begin(), heap_.end(), later);
    return EventId{slot, s.generation};
}

bool Scheduler::pending(EventId id) const {
    return id.valid() && id.slot < slots_.size() && slots_[id.slot].generation == id.generation &&
           slots_[id.slot].live;
}

bool Scheduler::cancel(EventId id) {
    if (!pending(id)) return false;
    Slot& s = slots_[id.slot];
    s.live = false;
    s.cb.reset();
    --live_;
    // The heap entry stays; the slot is released when the entry is popped so
    // the entry can never point at a reused slot.
    return true;
}

void Scheduler::release(std::uint32_t slot) {
    Slot& s = slots_[slot];
    s.cb.reset();
    s.live = false;
    ++s.generation;
    free_.push_back(slot);
}

void Scheduler::drop_dead_head() {
    while (!heap_.empty() && !slots_[heap_.front().slot].live) {
        const std::uint32_t slot = heap_.front().slot;
        std::pop_heap(heap_.begin(), heap_.end(), later);
        heap_.pop_back();
        release(slot);
    }
}

Time Scheduler::next_time() {
    drop_dead_head();
    return heap_.empty() ? Duration::max() : Duration::from_ns(heap_.front().time);
}

bool Scheduler::step() {
    drop_dead_head();
    if (heap_.empty()) return false;
    const HeapEntry e = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    Slot& s = slots_[e.slot];
    Callback cb = std::move(s.cb);
    --live_;
    release(e.slot);
    now_ = Duration::from_ns(e.time);
    ++events_run_;
    cb();
    return true;
}

void Scheduler::run_until(Time until) {
    while (next_time() <= until) step();
    if (until > now_) now_ = until;
}

std::uint64_t Scheduler::run_until_idle(std::uint64_t max_events) {
    std::uint64_t n = 0;
    while (n < max_events && step()) ++n;
    return n;
}

}  // namespace postino
