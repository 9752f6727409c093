// date.cpp — civil calendar arithmetic (proleptic Gregorian, days counted
// from 1970-01-01) and RFC 5322 §3.3 date-time formatting and parsing.
#include "mail/date.hpp"

#include <array>
#include <cstdio>

#include "mail/chars.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 of a civil date (years counted from March so the
// leap day is last; eras of 400 years have 146097 days).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (m + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
    z += 719468;
    const std::int64_t era = floor_div(z, 146097);
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2 ? 1 : 0);
}

int days_in_month(std::int64_t y, int m) {
    static constexpr int kLen[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : kLen[m - 1];
}

}  // namespace

DateTime to_date_time(Time t, const DateContext& ctx) {
    return DateTime{ctx.epoch_unix_seconds + floor_div(t.ns(), 1'000'000'000), ctx.zone_minutes};
}

CivilTime to_civil(const DateTime& dt) {
    const std::int64_t local = dt.unix_seconds + std::int64_t{dt.zone_minutes} * 60;
    const std::int64_t days = floor_div(local, 86400);
    const std::int64_t secs = local - days * 86400;
    CivilTime c;
    civil_from_days(days, c.year, c.month, c.day);
    c.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday
    c.hour = static_cast<int>(secs / 3600);
    c.minute = static_cast<int>(secs / 60 % 60);
    c.second = static_cast<int>(secs % 60);
    return c;
}

std::string format_date_time(const DateTime& dt) {
    const CivilTime c = to_civil(dt);
    const int zone = dt.zone_minutes < 0 ? -dt.zone_minutes : dt.zone_minutes;
    if (c.year < 0 || c.year > 9999 || zone / 60 > 99) {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%s, %d %s %04lld %02d:%02d:%02d %c%02d%02d",
                      kDays[static_cast<std::size_t>(c.weekday)].data(), c.day,
                      kMonths[static_cast<std::size_t>(c.month - 1)].data(), static_cast<long long>(c.year), c.hour,
                      c.minute, c.second, dt.zone_minutes < 0 ? '-' : '+', zone / 60, zone % 60);
        return buf;
    }
    // The usual case by hand: a message and a Received: line each carry a
    // date, and snprintf costs twenty times as much.
    std::string out;
    out.reserve(31);
    auto two = [&out](int v) {
        out.push_back(static_cast<char>('0' + v / 10));
        out.push_back(static_cast<char>('0' + v % 10));
    };
    out += kDays[static_cast<std::size_t>(c.weekday)];
    out += ", ";
    if (c.day >= 10) out.push_back(static_cast<char>('0' + c.day / 10));
    out.push_back(static_cast<char>('0' + c.day % 10));
    out.push_back(' ');
    out += kMonths[static_cast<std::size_t>(c.month - 1)];
    out.push_back(' ');
    const int year = static_cast<int>(c.year);
    two(year / 100);
    two(year % 100);
    out.push_back(' ');
    two(c.hour);
    out.push_back(':');
    two(c.minute);
    out.push_back(':');
    two(c.second);
    out.push_back(' ');
    out.push_back(dt.zone_minutes < 0 ? '-' : '+');
    two(zone / 60);
    two(zone % 60);
    return out;
}

std::string format_date(Time t, const DateContext& ctx) { return format_date_time(to_date_time(t, ctx)); }

Result<DateTime> parse_date_time(std::string_view s) {
    std::size_t i = 0;
    auto skip = [&]() -> Status {
        while (i < s.size()) {
            if (chars::is_wsp(s[i]) || s[i] == '\r' || s[i] == '\n') {
                ++i;
            } else if (s[i] == '(') {
                const std::size_t open = i;
                int depth = 0;
                do {
                    if (s[i] == '\\') ++i;
                    else if (s[i] == '(') ++depth;
                    else if (s[i] == ')') --depth;
                    ++i;
                } while (i < s.size() && depth > 0);
                if (depth > 0) return make_error(Errc::unterminated_comment, open, "comment without its ')'");
            } else {
                break;
            }
        }
        return {};
    };
    auto fail = [&](std::string_view what) -> Result<DateTime> {
        return make_error(Errc::date_syntax, i, std::string(what) + " (RFC 5322 §3.3)");
    };
    auto number = [&](std::size_t min_digits, std::size_t max_digits, std::int64_t& v) {
        const std::size_t start = i;
        v = 0;
        while (i < s.size() && chars::is_digit(s[i]) && i - start < max_digits) v = v * 10 + (s[i++] - '0');
        return i - start >= min_digits && !(i < s.size() && chars::is_digit(s[i]));
    };
    if (Status st = skip(); !st.ok()) return st.error();
    int wday = -1;
    if (i < s.size() && chars::is_alpha(s[i])) {
        const std::string_view w = s.substr(i, 3);
        for (std::size_t k = 0; k < kDays.size(); ++k)
            if (w == kDays[k]) wday = static_cast<int>(k);
        if (wday < 0) return fail("unknown day of week");
        i += 3;
        if (Status st = skip(); !st.ok()) return st.error();
        if (i >= s.size() || s[i] != ',') return fail("expected ',' after the day of week");
        ++i;
        if (Status st = skip(); !st.ok()) return st.error();
    }
    std::int64_t day, year, hh, mm, ss = 0;
    if (!number(1, 2, day)) return fail("expected the day of the month");
    if (Status st = skip(); !st.ok()) return st.error();
    int month = 0;
    const std::string_view mon = s.substr(i, 3);
    for (std::size_t k = 0; k < kMonths.size(); ++k)
        if (mon == kMonths[k]) month = static_cast<int>(k) + 1;
    if (month == 0) return fail("expected a month name");
    i += 3;
    if (Status st = skip(); !st.ok()) return st.error();
    if (!number(4, 9, year) || year < 1900) return fail("expected a four-digit year (1900 or later)");
    if (Status st = skip(); !st.ok()) return st.error();
    if (!number(2, 2, hh) || hh > 23) return fail("expected the hour");
    if (Status st = skip(); !st.ok()) return st.error();
    if (i >= s.size() || s[i] != ':') return fail("expected ':'");
    ++i;
    if (Status st = skip(); !st.ok()) return st.error();
    if (!number(2, 2, mm) || mm > 59) return fail("expected the minute");
    if (Status st = skip(); !st.ok()) return st.error();
    if (i < s.size() && s[i] == ':') {
        ++i;
        if (Status st = skip(); !st.ok()) return st.error();
        if (!number(2, 2, ss) || ss > 60) return fail("expected the second");
    }
    if (Status st = skip(); !st.ok()) return st.error();
    if (i >= s.size() || (s[i] != '+' && s[i] != '-')) return fail("expected a numeric zone such as +0100");
    const int sign = s[i] == '-' ? -1 : 1;
    ++i;
    std::int64_t zone;
    if (!number(4, 4, zone) || zone % 100 > 59) return fail("expected four zone digits");
    if (Status st = skip(); !st.ok()) return st.error();
    if (i != s.size()) return fail("unexpected text after the zone");
    if (day > days_in_month(year, month)) return fail("no such day in that month");
    DateTime dt;
    dt.zone_minutes = sign * static_cast<int>(zone / 100 * 60 + zone % 100);
    const std::int64_t days = days_from_civil(year, month, static_cast<int>(day));
    // A leap second (60) is counted as the next second's start.
    dt.unix_seconds = days * 86400 + hh * 3600 + mm * 60 + ss - std::int64_t{dt.zone_minutes} * 60;
    if (wday >= 0) {
        const std::int64_t local_days = days;
        if (static_cast<int>(((local_days % 7) + 7 + 3) % 7) != wday)
            return make_error(Errc::date_syntax, 0, "the day of week does not match the date (RFC 5322 §3.3)");
    }
    return dt;
}

}  // namespace postino::mail
