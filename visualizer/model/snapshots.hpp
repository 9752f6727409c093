// snapshots.hpp — fast, exact seeking: copies of the world state taken as
// the trace is read, so the state at any cursor k is a copy of the snapshot at
// or before k plus the events after it, applied. A snapshot is taken every
// `interval` events, or less often when the state is big (every
// kSizeFactor x its size), so copying costs O(1) per event and memory stays
// bounded for traces with many mailbox messages. Exactness is by construction
// (the snapshots are made by the same apply()) and is tested against a replay
// from the start. Grows with the trace in follow mode.
#pragma once

#include <cstdint>
#include <vector>

#include "model/world.hpp"

namespace postino::viz {

class Snapshots {
public:
    explicit Snapshots(std::uint32_t interval = 512) : interval_(interval == 0 ? 1 : interval) {}

    // Takes in the events the model gained since the last call.
    void extend(const TraceModel& model);

    // The state after the first k events (k <= model.size()).
    [[nodiscard]] WorldState state_at(const TraceModel& model, std::uint32_t k) const;

    // Brings `state` to k events: forward by applying when that is cheap,
    // otherwise from the nearest snapshot.
    void seek(WorldState& state, const TraceModel& model, std::uint32_t k) const;

    [[nodiscard]] std::uint32_t interval() const { return interval_; }
    [[nodiscard]] std::size_t count() const { return snaps_.size(); }
    [[nodiscard]] const WorldState& tip() const { return tip_; }

    static constexpr std::size_t kSizeFactor = 4;

private:
    [[nodiscard]] const WorldState& nearest(std::uint32_t k) const;  // the last snapshot at or before k

    std::uint32_t interval_;
    std::vector<WorldState> snaps_;  // in order of `applied`; snaps_[0] is the empty state
    WorldState tip_;                 // the state after every event seen so far
};

}  // namespace postino::viz
