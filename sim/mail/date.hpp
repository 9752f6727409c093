// date.hpp — RFC 5322 date-time from simulated time, and back.
//
// RFC 5322 §3.3 (date-time: [day-of-week ","] day month year hour ":" minute
// [":" second] zone), with the zone as +hhmm/-hhmm. Simulated time is
// nanoseconds since the start of a run (core/time.hpp); a DateContext says
// which calendar instant t=0 is and which zone a host writes in. No wall
// clock is read (DESIGN.md §2.2).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace postino::mail {

// The calendar instant of simulated t=0 unless a scenario says otherwise:
// 2024-01-01T00:00:00Z, as Unix seconds.
inline constexpr std::int64_t kDefaultEpochUnixSeconds = 1'704'067'200;
// RFC 5322 §3.3: a zone is at most 99 hours 59 minutes from UT.
inline constexpr int kMaxZoneMinutes = 99 * 60 + 59;

struct DateContext {
    std::int64_t epoch_unix_seconds = kDefaultEpochUnixSeconds;
    int zone_minutes = 0;  // east of UT, e.g. +60 for +0100
};

struct DateTime {
    std::int64_t unix_seconds = 0;  // the instant (UT)
    int zone_minutes = 0;           // the zone it was written in
    friend bool operator==(const DateTime&, const DateTime&) = default;
};

// The calendar fields of an instant in its zone.
struct CivilTime {
    std::int64_t year = 1970;
    int month = 1, day = 1, hour = 0, minute = 0, second = 0;
    int weekday = 3;  // 0 = Monday
};
CivilTime to_civil(const DateTime& dt);

// "Mon, 1 Jan 2024 00:00:00 +0000" for simulated instant t.
std::string format_date(Time t, const DateContext& ctx = {});
std::string format_date_time(const DateTime& dt);
DateTime to_date_time(Time t, const DateContext& ctx = {});

// Strict RFC 5322 §3.3 parse (comments and folding whitespace allowed around
// tokens; obsolete two-digit years and alphabetic zones are refused).
Result<DateTime> parse_date_time(std::string_view s);

}  // namespace postino::mail
