// retry_profile.hpp — when a mail server retries a deferred message and when
// it gives up (RFC 5321 §4.5.4.1: retry at least 30 minutes apart, give up
// after at least 4–5 days), as the profiles of DESIGN.md §3.
//
// A profile is a list of rules in the style of Exim's retry configuration:
// each rule applies while the message's age (time since it was deposited in
// the spool) is below `until`; a Fixed rule retries every `interval`, a
// Geometric rule starts at `interval` and multiplies it by `factor` after each
// failure, never above `cap`. After `lifetime` the message is returned to its
// sender. The last attempt is placed exactly at the end of the lifetime, so a
// message is bounced at deposit + lifetime if that attempt fails too.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace postino::agents {

struct RetryRule {
    enum class Kind : std::uint8_t { Fixed, Geometric };
    Kind kind = Kind::Fixed;
    Duration until;      // the rule applies while age < until
    Duration interval;   // fixed interval, or the first geometric interval
    double factor = 1.0; // geometric growth
    Duration cap = Duration::max();
};

struct RetryProfile {
    std::string name;
    std::vector<RetryRule> rules;
    Duration lifetime;            // give up when this old
    Duration delay_warning{};     // send a "delayed" DSN once this old (0: never)
};

// The built-in profiles: postfix, exim, rfc5321, classroom.
Result<RetryProfile> builtin_profile(std::string_view name);
std::vector<std::string> builtin_profile_names();

// Parses Exim's retry syntax, e.g. "F,2h,15m; G,16h,1h,1.5; F,4d,6h", into a
// profile whose lifetime is the last rule's `until`.
Result<RetryProfile> parse_exim_rules(std::string_view text, std::string name = "custom");

// The retry state of one spool entry.
struct RetryState {
    int failures = 0;
    std::size_t rule = 0;
    Duration last_interval{};
};

// After a failed attempt at `now` for a message deposited at `deposit`:
// the time of the next attempt, or nullopt when the lifetime is over (bounce).
std::optional<Time> next_attempt(const RetryProfile& p, RetryState& s, Time deposit, Time now);

}  // namespace postino::agents
