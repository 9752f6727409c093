// tcp_test.cpp — the simulated TCP: handshake timing, segmentation and
// bandwidth, loss and retransmission, refused / timed-out / reset
// connections, half-close.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "net/host.hpp"
#include "sim_fixture.hpp"

using namespace postino;
using namespace postino::net;
using postino::testing::SimFixture;

namespace {
// Echo server on `port`: returns every byte, closes when the client closes.
void echo_server(Host& h, std::uint16_t port) {
    h.listen(port, [](std::shared_ptr<TcpConnection> c) {
        TcpConnection* raw = c.get();
        c->on_data = [raw](std::string_view d) { raw->send(d); };
        c->on_eof = [raw] { raw->close(); };
    });
}
}  // namespace

TEST_CASE("the three-way handshake takes exactly the link latencies", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("client.example", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("server.example", SimFixture::latency_only(milliseconds(20)));
    Time server_accepted{}, client_connected{};
    b.listen(25, [&](std::shared_ptr<TcpConnection>) { server_accepted = f.sched.now(); });
    auto c = a.connect(b.ip(), 25);
    c->on_connected = [&] { client_connected = f.sched.now(); };
    f.sched.run_until_idle();
    // SYN a->b: 10+20 ms; SYN-ACK b->a: 30 ms; ACK a->b: 30 ms.
    CHECK(client_connected == milliseconds(60));
    CHECK(server_accepted == milliseconds(90));
    CHECK(f.count("segment", "send") == 3);
    const auto* syn = f.first("segment", "send");
    REQUIRE(syn != nullptr);
    CHECK(syn->get_str("flags") == "SYN");
    CHECK(f.count("tcp", "established") == 2);
}

TEST_CASE("bytes are split into MSS segments and delayed by serialization", "[tcp]") {
    SimFixture f;
    LinkParams slow;
    slow.latency = milliseconds(1);
    slow.bandwidth_bps = 1'000'000;  // 1 Mbit/s: 1 octet = 8 us
    Host& a = f.net->add_host("a", slow);
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(1)));
    std::string got;
    Time last_byte{};
    b.listen(9, [&](std::shared_ptr<TcpConnection> c) {
        c->on_data = [&](std::string_view d) {
            got.append(d);
            last_byte = f.sched.now();
        };
    });
    auto c = a.connect(b.ip(), 9);
    const std::string payload(10'000, 'x');
    c->on_connected = [&] { c->send(payload); };
    f.sched.run_until_idle();
    CHECK(got == payload);
    std::size_t data_segments = 0;
    for (const auto& e : f.sink.events) {
        if (e.kind == "segment" && e.get_str("ev") == "send" && e.host == "a" && e.get_int("len").value() > 0) {
            ++data_segments;
            CHECK(e.get_int("len").value() <= 1460);
        }
    }
    CHECK(data_segments == 7);  // 6 x 1460 + 1240
    // Handshake: the SYN and the SYN-ACK each cross a's 1 Mbit/s link once
    // (40 octets = 320 us) plus 2 ms of latency. Then a's uplink serializes
    // the final ACK (40 octets) and 7 segments (10000 payload + 7*40 header
    // octets) back to back, and the last one needs 2 ms more to reach b.
    const Time connected = (microseconds(320) + milliseconds(2)) * 2;
    const Time expected = connected + microseconds(8 * (40 + 10'000 + 7 * 40)) + milliseconds(2);
    CHECK(last_byte == expected);
}

TEST_CASE("lost segments are retransmitted and the bytes arrive intact and in order", "[tcp]") {
    SimFixture f(7);
    LinkParams lossy;
    lossy.latency = milliseconds(5);
    lossy.loss = 0.2;
    Host& a = f.net->add_host("a", lossy);
    Host& b = f.net->add_host("b", lossy);
    std::string received;
    bool server_closed = false;
    b.listen(7, [&](std::shared_ptr<TcpConnection> c) {
        TcpConnection* raw = c.get();
        c->on_data = [&](std::string_view d) { received.append(d); };
        c->on_eof = [raw] { raw->close(); };
        c->on_closed = [&](CloseReason r) { server_closed = r == CloseReason::Normal; };
    });
    Rng rng(99);
    std::string payload;
    for (int i = 0; i < 200'000; ++i) payload.push_back(static_cast<char>(rng.uniform_int(0, 255)));
    auto c = a.connect(b.ip(), 7);
    CloseReason client_reason = CloseReason::Aborted;
    c->on_connected = [&] {
        c->send(payload);
        c->close();
    };
    c->on_closed = [&](CloseReason r) { client_reason = r; };
    f.sched.run_until_idle();
    CHECK(received == payload);
    CHECK(client_reason == CloseReason::Normal);
    CHECK(server_closed);
    CHECK(f.count("segment", "lost") > 10);
    std::size_t retransmits = 0;
    for (const auto& e : f.sink.events) {
        if (e.kind == "segment" && e.get_bool("retransmit").value_or(false)) ++retransmits;
    }
    CHECK(retransmits > 0);
}

TEST_CASE("a SYN to a port nobody listens on is refused with RST", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    auto c = a.connect(b.ip(), 13);
    std::optional<CloseReason> reason;
    Time at{};
    c->on_closed = [&](CloseReason r) {
        reason = r;
        at = f.sched.now();
    };
    f.sched.run_until_idle();
    REQUIRE(reason.has_value());
    CHECK(*reason == CloseReason::Refused);
    CHECK(at == milliseconds(40));
    const auto* rst = f.first("segment", "send", "b");
    REQUIRE(rst != nullptr);
    CHECK(rst->get_str("flags") == "RST,ACK");
    CHECK(f.count("tcp", "refused") == 1);
}

TEST_CASE("a closed port refuses even with a listener (port-closed fault)", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a");
    Host& b = f.net->add_host("b");
    b.listen(25, [](std::shared_ptr<TcpConnection>) { FAIL("must not accept"); });
    f.net->set_port_closed("b", 25, true);
    auto c = a.connect(b.ip(), 25);
    std::optional<CloseReason> reason;
    c->on_closed = [&](CloseReason r) { reason = r; };
    f.sched.run_until_idle();
    CHECK(reason == CloseReason::Refused);
}

TEST_CASE("connecting to a down host times out after the SYN retries", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    b.listen(25, [](std::shared_ptr<TcpConnection>) {});
    f.net->set_host_up("b", false);
    auto c = a.connect(b.ip(), 25);
    std::optional<CloseReason> reason;
    Time at{};
    c->on_closed = [&](CloseReason r) {
        reason = r;
        at = f.sched.now();
    };
    f.sched.run_until_idle();
    CHECK(reason == CloseReason::Timeout);
    CHECK(at == seconds(1 + 2 + 4 + 8 + 16 + 32));  // syn_retries = 5, RTO doubling from 1 s
    CHECK(f.count("segment", "send", "a") == 6);     // SYN + 5 retransmissions
    CHECK(f.count("segment", "lost") == 6);
}

TEST_CASE("a crashed and restarted server resets the connection", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    std::optional<CloseReason> server_reason;
    b.listen(25, [&](std::shared_ptr<TcpConnection> c) {
        c->on_closed = [&](CloseReason r) { server_reason = r; };
    });
    auto c = a.connect(b.ip(), 25);
    std::optional<CloseReason> client_reason;
    c->on_closed = [&](CloseReason r) { client_reason = r; };
    f.sched.run_until(milliseconds(200));
    REQUIRE(c->established());
    f.net->set_host_up("b", false);
    CHECK(server_reason == CloseReason::HostDown);
    f.net->set_host_up("b", true);
    c->send("hello?\r\n");
    f.sched.run_until_idle();
    CHECK(client_reason == CloseReason::Reset);
    CHECK(f.count("tcp", "reset", "a") == 1);
}

TEST_CASE("half-close: the peer can still send after our FIN", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a");
    Host& b = f.net->add_host("b");
    b.listen(80, [&](std::shared_ptr<TcpConnection> c) {
        TcpConnection* raw = c.get();
        c->on_eof = [raw] {
            raw->send("response after your FIN");
            raw->close();
        };
    });
    auto c = a.connect(b.ip(), 80);
    std::string got;
    bool eof = false;
    std::optional<CloseReason> reason;
    c->on_connected = [&] {
        c->send("request");
        c->shutdown();
    };
    c->on_data = [&](std::string_view d) { got.append(d); };
    c->on_eof = [&] { eof = true; };
    c->on_closed = [&](CloseReason r) { reason = r; };
    f.sched.run_until_idle();
    CHECK(got == "response after your FIN");
    CHECK(eof);
    CHECK(reason == CloseReason::Normal);
    CHECK(a.open_connections() == 0);
    CHECK(b.open_connections() == 0);
    CHECK_FALSE(c->send("too late"));
}

TEST_CASE("FIN-WAIT-2 is bounded: a peer that never sends its FIN is let go", "[tcp]") {
    // The server sends a little late data, then never closes (its FIN could
    // as well be lost every time): the client leaves FIN-WAIT-2 after
    // fin_wait2_timeout counted from the last data, with a normal close.
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    std::shared_ptr<TcpConnection> server_side;
    b.listen(80, [&](std::shared_ptr<TcpConnection> c) {
        server_side = c;
        TcpConnection* raw = c.get();
        c->on_eof = [raw, &f] {
            f.sched.schedule_in(seconds(30), [raw] { raw->send("late data"); });
        };
    });
    auto c = a.connect(b.ip(), 80);
    std::optional<CloseReason> reason;
    Time closed_at{};
    std::string got;
    c->on_connected = [&] { c->shutdown(); };
    c->on_data = [&](std::string_view d) { got.append(d); };
    c->on_closed = [&](CloseReason r) {
        reason = r;
        closed_at = f.sched.now();
    };
    f.sched.run_until(seconds(200));
    CHECK(got == "late data");
    REQUIRE(reason == CloseReason::Normal);
    const Duration bound = f.net->tcp_config().fin_wait2_timeout;
    // FIN sent at 40 ms; the late data arrives 30 s after the server saw it.
    CHECK(closed_at > seconds(30) + bound);
    CHECK(closed_at < seconds(31) + bound);
    bool traced = false;
    for (const auto& e : f.sink.events) {
        if (e.kind == "tcp" && e.host == "a" && e.get_str("ev") == "closed" &&
            e.get_str("reason").find("FIN-WAIT-2") != std::string::npos) {
            traced = true;
        }
    }
    CHECK(traced);
}

TEST_CASE("an echo exchange over a link that goes down for a while still completes", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    echo_server(b, 7);
    auto c = a.connect(b.ip(), 7);
    std::string got;
    c->on_connected = [&] { c->send("ping\r\n"); };
    c->on_data = [&](std::string_view d) { got.append(d); };
    // The link of b is down from 60 ms (just as "ping" leaves) to 1.5 s.
    f.sched.schedule_at(milliseconds(60), [&] { f.net->set_link_up("b", false); });
    f.sched.schedule_at(milliseconds(1500), [&] { f.net->set_link_up("b", true); });
    f.sched.run_until(seconds(10));
    CHECK(got == "ping\r\n");
    CHECK(f.count("segment", "lost") >= 1);
    bool saw_retransmit = false;
    for (const auto& e : f.sink.events) saw_retransmit |= e.get_bool("retransmit").value_or(false);
    CHECK(saw_retransmit);
}

TEST_CASE("data on an established connection times out when the peer vanishes", "[tcp]") {
    TcpConfig cfg;
    cfg.data_retries = 3;
    SimFixture f(1, cfg);
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(10)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(10)));
    b.listen(7, [](std::shared_ptr<TcpConnection>) {});
    auto c = a.connect(b.ip(), 7);
    std::optional<CloseReason> reason;
    c->on_closed = [&](CloseReason r) { reason = r; };
    f.sched.run_until(milliseconds(100));
    f.net->set_link_up("b", false);
    c->send("anyone?");
    f.sched.run_until_idle();
    CHECK(reason == CloseReason::Timeout);
}

TEST_CASE("a bulk transfer keeps the window full: ACKs clock out new data without timeouts", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(5)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(5)));
    std::size_t got = 0;
    b.listen(9, [&](std::shared_ptr<TcpConnection> c) { c->on_data = [&](std::string_view d) { got += d.size(); }; });
    auto c = a.connect(b.ip(), 9);
    const std::size_t total = 1 << 20;
    c->on_connected = [&] { c->send(std::string(total, 'x')); };
    f.sched.run_until_idle();
    CHECK(got == total);
    // 1 MiB in 65535-octet windows is 17 round trips of 20 ms after the
    // 20 ms handshake; with no serialization delay nothing times out.
    CHECK(f.sched.now() < milliseconds(20 + 17 * 20 + 20));
    bool retransmitted = false;
    for (const auto& e : f.sink.events) retransmitted |= e.get_bool("retransmit").value_or(false);
    CHECK_FALSE(retransmitted);
}

TEST_CASE("an answer written at once carries the ACK, and without one the ACK leaves alone at once", "[tcp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(5)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(5)));
    echo_server(b, 7);  // answers from on_data
    std::string silent_got;
    b.listen(9, [&](std::shared_ptr<TcpConnection> c) {  // never answers
        c->on_data = [&](std::string_view d) { silent_got.append(d); };
    });
    auto echo = a.connect(b.ip(), 7);
    std::string echoed;
    echo->on_connected = [&] { echo->send("ping\r\n"); };
    echo->on_data = [&](std::string_view d) { echoed.append(d); };
    auto quiet = a.connect(b.ip(), 9);
    quiet->on_connected = [&] { quiet->send("hello\r\n"); };
    f.sched.run_until_idle();
    CHECK(echoed == "ping\r\n");
    CHECK(silent_got == "hello\r\n");

    // Segments b sent, per connection, in order.
    std::vector<const trace::Event*> echo_sent, quiet_sent;
    for (const auto& e : f.sink.events) {
        if (e.kind != "segment" || e.get_str("ev") != "send" || e.host != "b") continue;
        (e.get_int("dport") == echo->local_port() ? echo_sent : quiet_sent).push_back(&e);
    }
    // The echo: SYN,ACK, then the answer itself acknowledges the 6 octets
    // (ack = 1 + 6): no lone ACK before it.
    REQUIRE(echo_sent.size() >= 2);
    CHECK(echo_sent[0]->get_str("flags") == "SYN,ACK");
    CHECK(echo_sent[1]->get_str("flags") == "PSH,ACK");
    CHECK(echo_sent[1]->get_int("ackno") == 7);
    CHECK(echo_sent[1]->get_int("len") == 6);
    // The silent server: a lone ACK of the 7 octets, sent the instant they arrived.
    REQUIRE(quiet_sent.size() == 2);
    CHECK(quiet_sent[1]->get_str("flags") == "ACK");
    CHECK(quiet_sent[1]->get_int("ackno") == 8);
    const trace::Event* arrived = nullptr;
    for (const auto& e : f.sink.events) {
        if (e.kind == "segment" && e.get_str("ev") == "recv" && e.host == "b" && e.get_int("len") == 7) arrived = &e;
    }
    REQUIRE(arrived != nullptr);
    CHECK(quiet_sent[1]->t == arrived->t);
    // Nothing was sent twice: every octet was acknowledged in time.
    for (const auto& e : f.sink.events) CHECK_FALSE(e.get_bool("retransmit").value_or(false));
}
