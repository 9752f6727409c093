// time.cpp — parsing and printing simulated durations for people.
#include "core/time.hpp"

#include <array>
#include <cstdio>

namespace postino {
namespace {

struct Unit {
    std::string_view name;
    std::int64_t ns;
};

// Longest names first so "ms" is not read as "m" followed by garbage.
constexpr std::array<Unit, 7> kUnits{{
    {"ms", 1'000'000},
    {"us", 1'000},
    {"ns", 1},
    {"d", 86'400'000'000'000},
    {"h", 3'600'000'000'000},
    {"m", 60'000'000'000},
    {"s", 1'000'000'000},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
    auto fail = [&](std::size_t at, const std::string& what) -> Result<Duration> {
        return Error{what + " in duration \"" + std::string(text) + "\"",
                     "offset " + std::to_string(at)};
    };
    if (text.empty()) return fail(0, "empty string; expected e.g. 250ms, 5m, 2h30m, 5d");
    if (text == "0") return Duration{};

    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t total = 0;
    std::int64_t last_unit = kMax;
    bool had_fraction = false;
    std::size_t i = 0;
    while (i < text.size()) {
        if (had_fraction) return fail(i, "a fractional component must be the last one");
        const std::size_t start = i;
        std::int64_t whole = 0;
        while (i < text.size() && is_digit(text[i])) {
            if (whole > (kMax - 9) / 10) return fail(start, "number too large");
            whole = whole * 10 + (text[i] - '0');
            ++i;
        }
        if (i == start) return fail(i, "expected a digit");
        std::int64_t frac_num = 0, frac_den = 1;
        if (i < text.size() && text[i] == '.') {
            ++i;
            const std::size_t fstart = i;
            while (i < text.size() && is_digit(text[i])) {
                if (frac_den >= 1'000'000'000) return fail(i, "too many fractional digits (at most 9)");
                frac_num = frac_num * 10 + (text[i] - '0');
                frac_den *= 10;
                ++i;
            }
            if (i == fstart) return fail(i, "expected a digit after '.'");
            had_fraction = true;
        }
        const Unit* unit = nullptr;
        for (const auto& u : kUnits) {
            if (text.substr(i, u.name.size()) == u.name) { unit = &u; break; }
        }
        if (unit == nullptr) {
            return fail(i, "expected a unit (d, h, m, s, ms, us, ns)");
        }
        if (unit->ns >= last_unit) {
            return fail(i, "units must go from largest to smallest, each at most once");
        }
        last_unit = unit->ns;
        i += unit->name.size();
        if (whole > kMax / unit->ns) return fail(start, "duration too large");
        std::int64_t part = whole * unit->ns;
        // frac_den <= 1e9 and unit <= 8.64e13, so compute in two steps to stay in range.
        const std::int64_t frac_part = (unit->ns / frac_den) * frac_num +
                                       ((unit->ns % frac_den) * frac_num) / frac_den;
        if (part > kMax - frac_part || total > kMax - part - frac_part) {
            return fail(start, "duration too large");
        }
        total += part + frac_part;
    }
    return Duration::from_ns(total);
}

std::string format_duration(Duration d) {
    std::int64_t ns = d.ns();
    if (ns == 0) return "0s";
    std::string out;
    if (ns < 0) {
        out += '-';
        ns = -ns;
    }
    struct Step { std::int64_t ns; const char* name; };
    constexpr std::array<Step, 7> steps{{{86'400'000'000'000, "d"},
                                         {3'600'000'000'000, "h"},
                                         {60'000'000'000, "m"},
                                         {1'000'000'000, "s"},
                                         {1'000'000, "ms"},
                                         {1'000, "us"},
                                         {1, "ns"}}};
    for (const auto& s : steps) {
        if (ns >= s.ns) {
            out += std::to_string(ns / s.ns);
            out += s.name;
            ns %= s.ns;
        }
    }
    return out;
}

std::string format_timestamp(Time t) {
    std::int64_t ns = t.ns();
    const char* sign = "+";
    if (ns < 0) {
        sign = "-";
        ns = -ns;
    }
    const std::int64_t us = (ns / 1'000) % 1'000'000;
    std::int64_t s = ns / 1'000'000'000;
    const std::int64_t dd = s / 86'400;
    s %= 86'400;
    std::array<char, 64> buf{};
    std::snprintf(buf.data(), buf.size(), "%s%lldd%02lld:%02lld:%02lld.%06lld", sign,
                  static_cast<long long>(dd), static_cast<long long>(s / 3600),
                  static_cast<long long>((s / 60) % 60), static_cast<long long>(s % 60),
                  static_cast<long long>(us));
    return buf.data();
}

}  // namespace postino
