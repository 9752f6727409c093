// scheduler.cpp — 4-ary heap event queue ordered by (time, sequence).
#include "core/scheduler.hpp"

#include <algorithm>

namespace postino {

EventId Scheduler::schedule_at(Time at, Callback cb) { return push(at, next_seq_++, std::move(cb)); }

EventId Scheduler::schedule_reserved(Time at, std::uint64_t seq, Callback cb) { return push(at, seq, std::move(cb)); }

EventId Scheduler::push(Time at, std::uint64_t seq, Callback&& cb) {
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
    heap_.push_back(HeapEntry{at.ns(), seq, slot});
    sift_up(heap_.size() - 1);
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
    // the entry can never point at a reused slot. Agents re-arm timeouts on
    // every exchange, so dead entries pile up: once they are most of the
    // heap, sweep them out.
    if (heap_.size() >= kCompactMinEntries && heap_.size() - live_ > heap_.size() / 2) compact();
    return true;
}

void Scheduler::compact() {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < heap_.size(); ++i) {
        const HeapEntry e = heap_[i];
        if (slots_[e.slot].live) heap_[kept++] = e;
        else release(e.slot);
    }
    heap_.resize(kept);
    // Rebuild the heap bottom-up. (time, seq) is a total order, so the
    // events run in exactly the order they would have without the sweep.
    if (kept > 1) {
        for (std::size_t i = (kept - 2) / 4 + 1; i-- > 0;) sift_down(i);
    }
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
        pop_head();
        release(slot);
    }
}

void Scheduler::sift_up(std::size_t i) {
    const HeapEntry e = heap_[i];
    while (i > 0) {
        const std::size_t parent = (i - 1) / 4;
        if (!Later{}(heap_[parent], e)) break;
        heap_[i] = heap_[parent];
        i = parent;
    }
    heap_[i] = e;
}

void Scheduler::sift_down(std::size_t i) {
    const std::size_t n = heap_.size();
    const HeapEntry e = heap_[i];
    for (;;) {
        const std::size_t first = 4 * i + 1;
        if (first >= n) break;
        std::size_t best = first;
        const std::size_t last = std::min(first + 4, n);
        for (std::size_t c = first + 1; c < last; ++c) {
            if (Later{}(heap_[best], heap_[c])) best = c;
        }
        if (!Later{}(e, heap_[best])) break;
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = e;
}

void Scheduler::pop_head() {
    // Bottom-up deletion (Floyd): the hole the head leaves sinks along the
    // earliest children to a leaf, with no comparison against the entry that
    // fills it; the last entry then goes into the hole and sifts up, which
    // is short because it came from the bottom. (time, seq) is a total
    // order, so the events run in the same order as with a plain sift-down.
    const HeapEntry last = heap_.back();
    heap_.pop_back();
    const std::size_t n = heap_.size();
    if (n == 0) return;
    std::size_t i = 0;
    for (;;) {
        const std::size_t first = 4 * i + 1;
        if (first >= n) break;
        std::size_t best = first;
        const std::size_t end = std::min(first + 4, n);
        for (std::size_t c = first + 1; c < end; ++c) {
            if (Later{}(heap_[best], heap_[c])) best = c;
        }
        heap_[i] = heap_[best];
        i = best;
    }
    heap_[i] = last;
    sift_up(i);
}

Time Scheduler::next_time() {
    drop_dead_head();
    return heap_.empty() ? Duration::max() : Duration::from_ns(heap_.front().time);
}

bool Scheduler::step() {
    drop_dead_head();
    if (heap_.empty()) return false;
    const HeapEntry e = heap_.front();
    pop_head();
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
