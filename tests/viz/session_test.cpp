// session_test.cpp — the player: steps that respect filters, jumps to
// important events, playback by time and by events per second.
#include <catch2/catch.hpp>

#include "model/session.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

TEST_CASE("step forward and back skip hidden events but apply them", "[viz][session]") {
    Session s(vizt::load("demo.jsonl"));
    s.filter().fold_tcp = true;  // hide segments
    s.step_forward();
    CHECK(s.index() == 1);  // the first note
    s.step_forward();
    CHECK(s.model().ev(s.current()).kind == Kind::dns);
    s.step_forward();  // skips nothing: the datagram is shown (DNS)
    CHECK(s.model().ev(s.current()).kind == Kind::datagram);
    // Go to the first segment-free stretch after the SYN and check no segment is ever "current".
    for (int i = 0; i < 30; ++i) {
        s.step_forward();
        CHECK(s.model().ev(s.current()).kind != Kind::segment);
    }
    const std::uint32_t here = s.index();
    s.step_back();
    CHECK(s.index() < here);
    CHECK(s.model().ev(s.current()).kind != Kind::segment);
    s.step_forward();
    CHECK(s.index() == here);
}

TEST_CASE("category and host filters", "[viz][session]") {
    Session s(vizt::load("mail-bounce.jsonl"));
    s.filter().cats.fill(false);
    s.filter().cats[static_cast<std::size_t>(Cat::mail)] = true;
    s.step_forward();
    CHECK(s.model().ev(s.current()).cat == Cat::mail);
    s.filter().cats.fill(true);
    s.filter().set_host(*s.model().host_id("pc.alice.example"), false);
    for (int i = 0; i < 20; ++i) {
        s.step_forward();
        const Ev& v = s.model().ev(s.current());
        CHECK(s.model().host_name(v.host) != "pc.alice.example");
        CHECK(s.model().host_name(v.peer) != "pc.alice.example");
    }
}

TEST_CASE("jump to next and previous important events", "[viz][session]") {
    Session s(vizt::load("mail-bounce.jsonl"));
    const auto& m = s.model();
    std::vector<Mark> seen;
    while (s.next_mark()) seen.push_back(m.ev(s.current()).mark);
    // host-down begins at 0, handshake, 2 deferrals (with their timeouts marked as faults), expiry, bounce, delivery, end
    REQUIRE(seen.size() >= 6);
    CHECK(seen.front() == Mark::fault);
    CHECK(std::count(seen.begin(), seen.end(), Mark::deferral) == 2);
    CHECK(std::count(seen.begin(), seen.end(), Mark::bounce) == 2);
    CHECK(std::count(seen.begin(), seen.end(), Mark::handshake) == 1);
    CHECK(std::count(seen.begin(), seen.end(), Mark::delivery) == 1);
    const std::uint32_t last = s.current();
    REQUIRE(s.prev_mark());
    CHECK(s.current() < last);
    CHECK(m.ev(s.current()).mark != Mark::none);
    // Only deferrals.
    s.to_start();
    for (auto& e : s.mark_enabled) e = false;
    s.mark_enabled[static_cast<std::size_t>(Mark::deferral)] = true;
    int n = 0;
    while (s.next_mark()) {
        CHECK(m.ev(s.current()).mark == Mark::deferral);
        ++n;
    }
    CHECK(n == 2);
}

TEST_CASE("playing at one event per second steps once per second", "[viz][session]") {
    Session s(vizt::load("demo.jsonl"));
    s.set_speed(Speed{Speed::Mode::events, 1});
    s.play();
    s.tick(0.5);
    CHECK(s.index() == 0);
    s.tick(0.6);
    CHECK(s.index() == 1);
    s.tick(2.0);
    CHECK(s.index() == 3);
    s.pause();
    s.tick(5);
    CHECK(s.index() == 3);
}

TEST_CASE("playing in time advances compressed time and stops at the end", "[viz][session]") {
    Session s(vizt::load("demo.jsonl"));
    s.set_speed(Speed{Speed::Mode::time, 0.01});  // 10 ms of trace per second
    s.play();
    s.tick(1.0);
    CHECK(s.time() == 10'000'000);
    CHECK(s.model().ev(s.index() - 1).t <= s.time());
    s.set_speed(Speed{Speed::Mode::time, 1000});
    s.tick(1.0);
    CHECK(s.at_end());
    CHECK_FALSE(s.playing());
    s.play();  // from the end, play starts over
    CHECK(s.index() == 0);
}

TEST_CASE("speed names", "[viz][session]") {
    CHECK(speed_name(Speed{Speed::Mode::events, 1}) == "1 event/s");
    CHECK(speed_name(Speed{Speed::Mode::time, 0.1}) == "0.1x time");
    CHECK(speed_choices().front() == Speed{Speed::Mode::events, 1});
}
