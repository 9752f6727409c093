// snapshots.cpp — periodic world-state snapshots for exact seeking.
#include "model/snapshots.hpp"

#include <algorithm>

namespace postino::viz {

void Snapshots::extend(const TraceModel& model) {
    if (snaps_.empty()) snaps_.push_back(WorldState{});
    const auto n = static_cast<std::uint32_t>(model.size());
    while (tip_.applied < n) {
        apply(tip_, model, tip_.applied);
        const std::uint32_t since = tip_.applied - snaps_.back().applied;
        if (since >= interval_ && since >= kSizeFactor * tip_.size_hint()) snaps_.push_back(tip_);
    }
}

const WorldState& Snapshots::nearest(std::uint32_t k) const {
    auto it = std::upper_bound(snaps_.begin(), snaps_.end(), k, [](std::uint32_t x, const WorldState& w) { return x < w.applied; });
    return *std::prev(it);  // snaps_[0] (applied 0) is always at or before k
}

WorldState Snapshots::state_at(const TraceModel& model, std::uint32_t k) const {
    k = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(model.size()));
    WorldState s = snaps_.empty() ? WorldState{} : nearest(k);
    while (s.applied < k) apply(s, model, s.applied);
    return s;
}

void Snapshots::seek(WorldState& state, const TraceModel& model, std::uint32_t k) const {
    k = std::min<std::uint32_t>(k, static_cast<std::uint32_t>(model.size()));
    if (k == state.applied) return;
    // Forward from where we are, unless a snapshot is closer.
    if (k > state.applied && (snaps_.empty() || nearest(k).applied <= state.applied + interval_)) {
        while (state.applied < k) apply(state, model, state.applied);
        return;
    }
    state = state_at(model, k);
}

}  // namespace postino::viz
