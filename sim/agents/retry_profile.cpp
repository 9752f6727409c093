// retry_profile.cpp — built-in retry profiles and the next-attempt rule.
#include "agents/retry_profile.hpp"

#include <algorithm>

namespace postino::agents {
namespace {
RetryRule fixed(Duration until, Duration interval) { return {RetryRule::Kind::Fixed, until, interval, 1.0, Duration::max()}; }
RetryRule geometric(Duration until, Duration start, double factor, Duration cap = Duration::max()) {
    return {RetryRule::Kind::Geometric, until, start, factor, cap};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}
}  // namespace

std::vector<std::string> builtin_profile_names() { return {"postfix", "exim", "rfc5321", "classroom"}; }

Result<RetryProfile> builtin_profile(std::string_view name) {
    if (name == "postfix") {
        // Postfix defaults: minimal_backoff_time 300s, maximal_backoff_time
        // 4000s, maximal_queue_lifetime 5d; the backoff doubles per deferral.
        // (Real Postfix starts attempts at queue scans every queue_run_delay
        // = 300s; this model retries at the exact backoff times.)
        return RetryProfile{"postfix", {geometric(days(5), seconds(300), 2.0, seconds(4000))}, days(5), {}};
    }
    if (name == "exim") {
        auto p = parse_exim_rules("F,2h,15m; G,16h,1h,1.5; F,4d,6h", "exim");
        return p;
    }
    if (name == "rfc5321") {
        // RFC 5321 §4.5.4.1: at least 30 minutes between attempts; give up
        // after at least 4-5 days.
        return RetryProfile{"rfc5321", {fixed(days(5), minutes(30))}, days(5), {}};
    }
    if (name == "classroom") {
        // The postfix shape compressed so a whole story fits in a lesson.
        return RetryProfile{"classroom", {geometric(minutes(15), seconds(20), 2.0, seconds(160))}, minutes(15), minutes(5)};
    }
    return Error{"unknown retry profile \"" + std::string(name) + "\" (expected postfix, exim, rfc5321 or classroom)", ""};
}

Result<RetryProfile> parse_exim_rules(std::string_view text, std::string name) {
    RetryProfile p;
    p.name = std::move(name);
    std::size_t start = 0;
    int index = 0;
    while (start <= text.size()) {
        std::size_t semi = text.find(';', start);
        if (semi == std::string_view::npos) semi = text.size();
        const std::string_view rule = trim(text.substr(start, semi - start));
        ++index;
        const std::string where = "retry rule " + std::to_string(index);
        std::vector<std::string_view> parts;
        std::size_t s = 0;
        while (s <= rule.size()) {
            std::size_t c = rule.find(',', s);
            if (c == std::string_view::npos) c = rule.size();
            parts.push_back(trim(rule.substr(s, c - s)));
            s = c + 1;
        }
        if (parts.empty() || (parts[0] != "F" && parts[0] != "G")) {
            return Error{"expected F,<until>,<interval> or G,<until>,<start>,<factor>", where};
        }
        const bool geo = parts[0] == "G";
        if (parts.size() != (geo ? 4U : 3U)) {
            return Error{geo ? "a G rule has 4 parts: G,<until>,<start>,<factor>" : "an F rule has 3 parts: F,<until>,<interval>", where};
        }
        auto until = parse_duration(parts[1]);
        if (!until) return Error{until.error().what, where};
        auto interval = parse_duration(parts[2]);
        if (!interval) return Error{interval.error().what, where};
        if (interval->ns() <= 0) return Error{"the interval must be positive", where};
        if (!p.rules.empty() && *until <= p.rules.back().until) {
            return Error{"each rule must end later than the one before", where};
        }
        RetryRule r = geo ? geometric(*until, *interval, 1.0) : fixed(*until, *interval);
        if (geo) {
            char* end = nullptr;
            const std::string f(parts[3]);
            r.factor = std::strtod(f.c_str(), &end);
            if (end == f.c_str() || *end != '\0' || !(r.factor >= 1.0) || r.factor > 100.0) {
                return Error{"the factor must be a number from 1 to 100", where};
            }
        }
        p.rules.push_back(r);
        start = semi + 1;
    }
    if (p.rules.empty()) return Error{"no retry rules", "retry rules"};
    p.lifetime = p.rules.back().until;
    return p;
}

std::optional<Time> next_attempt(const RetryProfile& p, RetryState& s, Time deposit, Time now) {
    ++s.failures;
    const Duration age = now - deposit;
    if (age >= p.lifetime) return std::nullopt;
    std::size_t rule = 0;
    while (rule + 1 < p.rules.size() && age >= p.rules[rule].until) ++rule;
    const RetryRule& r = p.rules[rule];
    Duration interval;
    if (r.kind == RetryRule::Kind::Fixed) {
        interval = r.interval;
    } else if (s.failures == 1 || rule != s.rule || s.last_interval <= Duration{}) {
        interval = r.interval;
    } else {
        interval = nanoseconds(static_cast<std::int64_t>(static_cast<double>(s.last_interval.ns()) * r.factor));
    }
    interval = std::min(interval, r.cap);
    s.rule = rule;
    s.last_interval = interval;
    return std::min(now + interval, deposit + p.lifetime);
}

}  // namespace postino::agents
