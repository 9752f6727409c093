// time.hpp — simulated time (DESIGN.md §2.2).
//
// Time in Postino is an int64 count of nanoseconds of *simulated* time since
// the start of a run. There is one type, Duration, used both for spans and for
// instants (an instant is the span since t=0); `Time` is an alias that says
// "instant" in signatures. No wall clock is read anywhere in sim/ except
// sim/wire/.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace postino {

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration from_ns(std::int64_t ns) { return Duration(ns); }
    static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

    [[nodiscard]] constexpr std::int64_t ns() const { return ns_; }
    [[nodiscard]] constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
    constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
    constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
    constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }
    constexpr Duration operator*(std::int64_t k) const { return Duration(ns_ * k); }
    constexpr Duration operator/(std::int64_t k) const { return Duration(ns_ / k); }
    constexpr std::int64_t operator/(Duration o) const { return ns_ / o.ns_; }

private:
    constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

using Time = Duration;  // an instant: the Duration since the start of the run

constexpr Duration nanoseconds(std::int64_t n) { return Duration::from_ns(n); }
constexpr Duration microseconds(std::int64_t n) { return Duration::from_ns(n * 1'000); }
constexpr Duration milliseconds(std::int64_t n) { return Duration::from_ns(n * 1'000'000); }
constexpr Duration seconds(std::int64_t n) { return Duration::from_ns(n * 1'000'000'000); }
constexpr Duration minutes(std::int64_t n) { return seconds(n * 60); }
constexpr Duration hours(std::int64_t n) { return minutes(n * 60); }
constexpr Duration days(std::int64_t n) { return hours(n * 24); }

// Parses a duration written for people: a sequence of <integer><unit> with
// units d, h, m, s, ms, us, ns, e.g. "250ms", "5m", "2h30m", "5d", "1.5s" (one
// decimal fraction is allowed on the last component). "0" alone is zero.
// Errors name the offending offset.
Result<Duration> parse_duration(std::string_view text);

// Formats a duration compactly for people and round-trips through
// parse_duration: "0s", "250ms", "2h30m", "5d", "1m0.5s" is never produced —
// sub-second parts are printed with their own unit ("1m500ms").
std::string format_duration(Duration d);

// Formats an instant as a fixed-width timeline stamp: "+0d00:05:00.000000".
std::string format_timestamp(Time t);

}  // namespace postino
