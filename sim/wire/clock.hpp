// clock.hpp — the wall clock of `postino serve`, in the engines' time type.
//
// DESIGN.md §2.2: sim/wire is the only place that reads a real clock. The
// engines take Time (nanoseconds); here Time is the steady clock's offset
// from the server's start, so deadlines an engine asks for map one-to-one
// onto Boost.Asio steady timers. Unix time is read only for Maildir file
// names, queue ids and the Received: date.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/time.hpp"

namespace postino::wire {

class WallClock {
public:
    using Steady = std::chrono::steady_clock;

    WallClock() : start_(Steady::now()) {}

    [[nodiscard]] Time now() const { return to_time(Steady::now()); }
    [[nodiscard]] Time to_time(Steady::time_point tp) const {
        return Duration::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(tp - start_).count());
    }
    [[nodiscard]] Steady::time_point to_steady(Time t) const {
        return start_ + std::chrono::duration_cast<Steady::duration>(std::chrono::nanoseconds(t.ns()));
    }
    // Seconds and microseconds since the Unix epoch (system clock).
    static void unix_now(std::int64_t& seconds, std::int64_t& micros);

private:
    Steady::time_point start_;
};

}  // namespace postino::wire
