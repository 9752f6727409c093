// retry_profile_test.cpp — attempt times of every built-in profile, exactly.
#include <catch2/catch.hpp>

#include "agents/retry_profile.hpp"

using namespace postino;
using namespace postino::agents;

namespace {
// Attempt times (as offsets from deposit) when every attempt fails; the
// first attempt is at deposit.
std::vector<Duration> attempts(const RetryProfile& p, std::size_t max = 1000) {
    std::vector<Duration> out{Duration{}};
    RetryState s;
    Time now{};
    while (out.size() < max) {
        auto next = next_attempt(p, s, Time{}, now);
        if (!next) break;
        now = *next;
        out.push_back(now);
    }
    return out;
}
}  // namespace

TEST_CASE("postfix: 300 s, doubling to a 4000 s cap, bounce after 5 days", "[retry]") {
    auto p = builtin_profile("postfix");
    REQUIRE(p.ok());
    auto t = attempts(*p);
    REQUIRE(t.size() > 6);
    CHECK(t[1] == seconds(300));
    CHECK(t[2] == seconds(300 + 600));
    CHECK(t[3] == seconds(300 + 600 + 1200));
    CHECK(t[4] == seconds(300 + 600 + 1200 + 2400));
    CHECK(t[5] == seconds(300 + 600 + 1200 + 2400 + 4000));  // capped
    CHECK(t[6] - t[5] == seconds(4000));
    CHECK(t.back() == days(5));  // the last attempt is at the end of the lifetime
    // One more failure there means: give up.
    RetryState s;
    CHECK_FALSE(next_attempt(*p, s, Time{}, days(5)).has_value());
    CHECK(t.size() == 112);  // 0, 300, 900, 2100, 4500, 8500, then 105 x 4000 s, then the 5-day mark
}

TEST_CASE("exim: every 15 min for 2 h, then geometric from 1 h by 1.5 to 16 h, then every 6 h to 4 d", "[retry]") {
    auto p = builtin_profile("exim");
    REQUIRE(p.ok());
    CHECK(p->lifetime == days(4));
    auto t = attempts(*p);
    CHECK(t[1] == minutes(15));
    CHECK(t[8] == hours(2));                           // 8 fixed retries of 15 min
    CHECK(t[9] == hours(3));                           // geometric starts at 1 h
    CHECK(t[10] == hours(3) + minutes(90));            // x1.5
    CHECK(t[11] == hours(3) + minutes(90) + minutes(135));
    // Past 16 h, every 6 h until the 4-day lifetime.
    Duration prev{};
    for (std::size_t i = 1; i < t.size(); ++i) {
        if (t[i - 1] >= hours(16) && t[i] < days(4)) CHECK(t[i] - t[i - 1] == hours(6));
        prev = t[i];
    }
    CHECK(prev == days(4));
}

TEST_CASE("rfc5321: 30 minutes apart, 5 days, classroom: compressed with a delay warning", "[retry]") {
    auto r = attempts(*builtin_profile("rfc5321"));
    CHECK(r[1] == minutes(30));
    CHECK(r.back() == days(5));
    CHECK(r.size() == 241);
    auto c = builtin_profile("classroom");
    REQUIRE(c.ok());
    CHECK(c->delay_warning == minutes(5));
    auto t = attempts(*c);
    CHECK(t[1] == seconds(20));
    CHECK(t[2] == seconds(60));
    CHECK(t[4] - t[3] == seconds(160));  // 20, 40, 80, then capped at 160
    CHECK(t.back() == minutes(15));
}

TEST_CASE("custom Exim-style rules parse, and bad ones say where and what", "[retry]") {
    auto p = parse_exim_rules("F,1h,10m; G,1d,30m,2");
    REQUIRE(p.ok());
    CHECK(p->rules.size() == 2);
    CHECK(p->lifetime == days(1));
    CHECK(p->rules[1].factor == 2.0);
    for (const char* bad : {"", "X,1h,10m", "F,1h", "G,1h,10m", "F,1h,0s", "F,1h,10m; F,30m,5m", "G,1d,1h,zero",
                            "F,1h,10x"}) {
        INFO(bad);
        auto r = parse_exim_rules(bad);
        REQUIRE_FALSE(r.ok());
        CHECK_FALSE(r.error().where.empty());
    }
    CHECK_FALSE(builtin_profile("sendmail").ok());
}
