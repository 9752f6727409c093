// session.cpp — the cursor, stepping, jumping and playback over a trace.
#include "model/session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace postino::viz {

const std::vector<Speed>& speed_choices() {
    static const std::vector<Speed> kChoices{
        {Speed::Mode::events, 1},    {Speed::Mode::events, 2},   {Speed::Mode::events, 5},
        {Speed::Mode::events, 20},   {Speed::Mode::time, 0.001}, {Speed::Mode::time, 0.01},
        {Speed::Mode::time, 0.1},    {Speed::Mode::time, 1},     {Speed::Mode::time, 10},
        {Speed::Mode::time, 100},    {Speed::Mode::time, 3600},
    };
    return kChoices;
}

std::string speed_name(const Speed& s) {
    char buf[48];
    if (s.mode == Speed::Mode::events) {
        std::snprintf(buf, sizeof buf, "%g event%s/s", s.rate, s.rate == 1 ? "" : "s");
    } else {
        std::snprintf(buf, sizeof buf, "%gx time", s.rate);
    }
    return buf;
}

Session::Session() : Session(TraceModel{}) {}

Session::Session(TraceModel model, std::int64_t max_gap_ns, std::uint32_t snapshot_interval)
    : model_(std::move(model)), snaps_(snapshot_interval) {
    snaps_.extend(model_);
    axis_.rebuild(model_, max_gap_ns);
    known_size_ = size();
    time_ = 0;
}

void Session::grown() {
    const bool was_at_end = index() >= known_size_;  // also a live file that started empty
    snaps_.extend(model_);
    axis_.extend(model_);
    known_size_ = size();
    if (was_at_end) seek(size());
}

void Session::set_max_gap(std::int64_t ns) {
    if (ns == axis_.max_gap()) return;
    axis_.rebuild(model_, ns);
}

void Session::seek(std::uint32_t k) {
    k = std::min(k, size());
    snaps_.seek(state_, model_, k);
    time_ = k == 0 ? 0 : model_.ev(k - 1).t;
}

void Session::seek_time(std::int64_t t) {
    const auto evs = model_.events();
    const auto it = std::upper_bound(evs.begin(), evs.end(), t, [](std::int64_t x, const Ev& v) { return x < v.t; });
    const auto k = static_cast<std::uint32_t>(it - evs.begin());
    snaps_.seek(state_, model_, k);
    time_ = std::max<std::int64_t>(t, 0);
}

void Session::step_forward() {
    std::uint32_t j = index();
    while (j < size() && !shown(j)) ++j;
    seek(j < size() ? j + 1 : size());
}

void Session::step_back() {
    if (index() == 0) return;
    // The shown event currently on screen (the last shown one applied)...
    std::int64_t j = static_cast<std::int64_t>(index()) - 1;
    while (j >= 0 && !shown(static_cast<std::uint32_t>(j))) --j;
    if (j < 0) return seek(0);
    // ...is undone: go to just after the shown event before it.
    std::int64_t i = j - 1;
    while (i >= 0 && !shown(static_cast<std::uint32_t>(i))) --i;
    seek(static_cast<std::uint32_t>(i + 1));
}

void Session::to_start() {
    playing_ = false;
    seek(0);
}

void Session::to_end() {
    playing_ = false;
    seek(size());
}

bool Session::next_mark() {
    std::uint32_t best = kNone;
    for (std::size_t m = 1; m < kMarkCount; ++m) {
        if (!mark_enabled[m]) continue;
        const auto& list = model_.marked(static_cast<Mark>(m));
        for (auto it = std::lower_bound(list.begin(), list.end(), index()); it != list.end(); ++it) {
            if (shown(*it)) {
                best = std::min(best, *it);
                break;
            }
        }
    }
    if (best == kNone) return false;
    seek(best + 1);
    return true;
}

bool Session::prev_mark() {
    // The mark to go to is strictly before the current event.
    const std::uint32_t cur = current();
    if (cur == kNone) return false;
    std::int64_t best = -1;
    for (std::size_t m = 1; m < kMarkCount; ++m) {
        if (!mark_enabled[m]) continue;
        const auto& list = model_.marked(static_cast<Mark>(m));
        auto it = std::lower_bound(list.begin(), list.end(), cur);
        while (it != list.begin()) {
            --it;
            if (shown(*it)) {
                best = std::max<std::int64_t>(best, *it);
                break;
            }
        }
    }
    if (best < 0) return false;
    seek(static_cast<std::uint32_t>(best) + 1);
    return true;
}

void Session::play() {
    if (at_end()) seek(0);
    playing_ = true;
    event_credit_ = 0;
}

void Session::toggle_play() {
    if (playing_) {
        pause();
    } else {
        play();
    }
}

void Session::tick(double dt) {
    if (!playing_ || dt <= 0) return;
    if (speed_.mode == Speed::Mode::events) {
        event_credit_ += dt * speed_.rate;
        while (event_credit_ >= 1.0 && !at_end()) {
            event_credit_ -= 1.0;
            step_forward();
        }
    } else {
        const std::int64_t ct = axis_.to_ct(time_) + static_cast<std::int64_t>(std::llround(dt * speed_.rate * 1e9));
        const std::int64_t end_t = model_.empty() ? 0 : model_.ev(size() - 1).t;
        const std::int64_t t = std::min(axis_.to_t(ct), end_t);
        seek_time(std::max(t, time_));
        if (t >= end_t) seek(size());
    }
    if (at_end()) playing_ = false;
}

}  // namespace postino::viz
