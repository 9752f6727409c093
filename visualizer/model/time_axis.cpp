// time_axis.cpp — compressed time for the sequence diagram and playback.
#include "model/time_axis.hpp"

#include <algorithm>

namespace postino::viz {

void TimeAxis::rebuild(const TraceModel& model, std::int64_t max_gap_ns) {
    max_gap_ = std::max<std::int64_t>(0, max_gap_ns);
    t_.clear();
    ct_.clear();
    gaps_.clear();
    t_.reserve(model.size());
    ct_.reserve(model.size());
    extend(model);
}

void TimeAxis::extend(const TraceModel& model) {
    for (std::size_t i = t_.size(); i < model.size(); ++i) {
        const std::int64_t t = model.ev(i).t;
        const std::int64_t prev_t = t_.empty() ? 0 : t_.back();
        const std::int64_t prev_ct = ct_.empty() ? 0 : ct_.back();
        const std::int64_t gap = t - prev_t;
        std::int64_t ct = prev_ct + gap;
        if (max_gap_ > 0 && gap > max_gap_) {
            ct = prev_ct + max_gap_;
            gaps_.push_back(Gap{static_cast<std::uint32_t>(i), prev_t, t, prev_ct});
        }
        t_.push_back(t);
        ct_.push_back(ct);
    }
}

std::int64_t TimeAxis::to_ct(std::int64_t t) const {
    if (t_.empty() || t <= 0) return t;
    // The last event at or before t, and the segment up to the next one.
    const auto it = std::upper_bound(t_.begin(), t_.end(), t);
    if (it == t_.end()) return ct_.back() + (t - t_.back());
    const auto j = static_cast<std::size_t>(it - t_.begin());
    const std::int64_t t0 = j == 0 ? 0 : t_[j - 1];
    const std::int64_t c0 = j == 0 ? 0 : ct_[j - 1];
    const std::int64_t gap = t_[j] - t0;
    const std::int64_t cgap = ct_[j] - c0;
    if (gap == cgap || gap == 0) return c0 + (t - t0);
    return c0 + static_cast<std::int64_t>(static_cast<double>(t - t0) * static_cast<double>(cgap) / static_cast<double>(gap));
}

std::int64_t TimeAxis::to_t(std::int64_t ct) const {
    if (ct_.empty() || ct <= 0) return ct;
    const auto it = std::upper_bound(ct_.begin(), ct_.end(), ct);
    if (it == ct_.end()) return t_.back() + (ct - ct_.back());
    const auto j = static_cast<std::size_t>(it - ct_.begin());
    const std::int64_t t0 = j == 0 ? 0 : t_[j - 1];
    const std::int64_t c0 = j == 0 ? 0 : ct_[j - 1];
    const std::int64_t gap = t_[j] - t0;
    const std::int64_t cgap = ct_[j] - c0;
    if (gap == cgap || cgap == 0) return t0 + (ct - c0);
    return t0 + static_cast<std::int64_t>(static_cast<double>(ct - c0) * static_cast<double>(gap) / static_cast<double>(cgap));
}

std::uint32_t TimeAxis::first_at_or_after(std::int64_t c) const {
    return static_cast<std::uint32_t>(std::lower_bound(ct_.begin(), ct_.end(), c) - ct_.begin());
}

}  // namespace postino::viz
