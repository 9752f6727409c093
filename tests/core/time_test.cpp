// time_test.cpp — durations parsed and printed for people.
#include <catch2/catch.hpp>

#include "core/time.hpp"

using namespace postino;

TEST_CASE("durations parse from the forms people write", "[time]") {
    CHECK(parse_duration("250ms")->ns() == milliseconds(250).ns());
    CHECK(*parse_duration("5m") == minutes(5));
    CHECK(*parse_duration("2h30m") == hours(2) + minutes(30));
    CHECK(*parse_duration("5d") == days(5));
    CHECK(*parse_duration("1.5s") == milliseconds(1500));
    CHECK(*parse_duration("0") == Duration{});
    CHECK(*parse_duration("1d2h3m4s5ms6us7ns") ==
          days(1) + hours(2) + minutes(3) + seconds(4) + milliseconds(5) + microseconds(6) + nanoseconds(7));
}

TEST_CASE("bad durations are refused with the offset", "[time]") {
    for (const char* bad : {"", "5", "m", "5x", "5m5h", "5m5m", "1.5m3s", "-5s", "5 m", "1.s",
                            "99999999999999999999s", "200000d"}) {
        INFO(bad);
        auto r = parse_duration(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().where.rfind("offset ", 0) == 0);
    }
    CHECK(parse_duration("5m5h").error().what.find("largest to smallest") != std::string::npos);
}

TEST_CASE("durations print compactly and round-trip", "[time]") {
    CHECK(format_duration(Duration{}) == "0s");
    CHECK(format_duration(milliseconds(250)) == "250ms");
    CHECK(format_duration(hours(2) + minutes(30)) == "2h30m");
    CHECK(format_duration(days(5)) == "5d");
    CHECK(format_duration(minutes(1) + milliseconds(500)) == "1m500ms");
    for (auto d : {nanoseconds(1), seconds(4000), days(4) + hours(23) + nanoseconds(3)}) {
        CHECK(*parse_duration(format_duration(d)) == d);
    }
    CHECK(format_timestamp(seconds(300) + microseconds(12)) == "+0d00:05:00.000012");
    CHECK(format_timestamp(days(2) + hours(1)) == "+2d01:00:00.000000");
}
