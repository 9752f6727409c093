// time_axis.hpp — the sequence diagram's time axis: simulated time with long
// idle gaps compressed.
//
// A mail story mixes milliseconds (a handshake) with minutes or days (retry
// intervals). Drawn linearly the bursts would vanish. So every gap between
// consecutive events longer than `max_gap` is shown as exactly `max_gap` of
// "compressed time" (ct), and the diagram marks it as a break with its true
// length. Inside a burst ct advances exactly like simulated time, so arrows
// still slant with the real link latency. Playback advances ct, so idle time
// flies by at a constant on-screen pace. max_gap 0 turns compression off.
#pragma once

#include <cstdint>
#include <vector>

#include "model/trace_model.hpp"

namespace postino::viz {

class TimeAxis {
public:
    struct Gap {
        std::uint32_t before = 0;  // index of the first event after the gap
        std::int64_t t0 = 0, t1 = 0;  // the gap in simulated time
        std::int64_t ct0 = 0;         // where it starts on the compressed axis
    };

    void rebuild(const TraceModel& model, std::int64_t max_gap_ns);
    void extend(const TraceModel& model);  // follow mode: new events appended

    [[nodiscard]] std::int64_t max_gap() const { return max_gap_; }
    [[nodiscard]] std::int64_t ct_of(std::uint32_t i) const { return ct_[i]; }
    [[nodiscard]] std::int64_t to_ct(std::int64_t t) const;
    [[nodiscard]] std::int64_t to_t(std::int64_t ct) const;
    [[nodiscard]] std::int64_t end_ct() const { return ct_.empty() ? 0 : ct_.back(); }
    [[nodiscard]] std::int64_t end_t() const { return t_.empty() ? 0 : t_.back(); }
    [[nodiscard]] const std::vector<Gap>& gaps() const { return gaps_; }
    [[nodiscard]] std::size_t size() const { return t_.size(); }
    // Index of the first event with ct >= c (size() if none).
    [[nodiscard]] std::uint32_t first_at_or_after(std::int64_t c) const;

private:
    std::int64_t max_gap_ = 0;
    std::vector<std::int64_t> t_;   // event times
    std::vector<std::int64_t> ct_;  // compressed event times
    std::vector<Gap> gaps_;
};

}  // namespace postino::viz
