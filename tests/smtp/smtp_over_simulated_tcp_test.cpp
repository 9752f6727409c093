// smtp_over_simulated_tcp_test.cpp — the SMTP client and server engines
// talking over the simulated network (sim/net) with link latency: the same
// engines, unchanged, that run over real sockets later (DESIGN.md §2.1).
// A small host adapter per side turns TCP callbacks into handle_* calls,
// engine output into TcpConnection::send, engine events into trace events,
// and next_deadline() into scheduler timers.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "core/trace_schema.hpp"
#include "net/network.hpp"
#include "proto/smtp/client_engine.hpp"
#include "proto/smtp/server_engine.hpp"
#include "proto/smtp/trace_line.hpp"

using namespace postino;
using namespace postino::smtp;

namespace {

struct World {
    Scheduler sched;
    trace::Recorder rec{[this] { return sched.now(); }};
    trace::MemorySink sink;
    std::unique_ptr<net::Network> net;
    World() {
        rec.add_sink(&sink);
        net = std::make_unique<net::Network>(sched, rec, 42);
    }
    static net::LinkParams latency(Duration one_way) {
        net::LinkParams p;
        p.latency = one_way;
        p.bandwidth_bps = 0;
        return p;
    }
};

// Drives one engine over one TcpConnection: the host side of DESIGN.md §2.1.
template <typename Engine>
class EngineHost {
public:
    EngineHost(World& w, Engine& engine, Role role, std::string host, std::string peer)
        : w_(w), engine_(engine), role_(role), host_(std::move(host)), peer_(std::move(peer)) {}

    void attach(const std::shared_ptr<net::TcpConnection>& c) {
        conn_ = c;
        c->on_data = [this](std::string_view d) {
            engine_.handle_bytes(w_.sched.now(), d);
            pump();
        };
        c->on_eof = [this] { closed(); };
        c->on_closed = [this](net::CloseReason) { closed(); };
    }
    // After start(): write, trace, arm the deadline.
    void pump() {
        while (auto ev = engine_.poll_event()) {
            for (auto& te : trace_events(*ev, role_, host_, peer_, conn_ ? conn_->id() : 0)) {
                REQUIRE(trace::validate(te).empty());
                w_.rec.emit(std::move(te));
            }
            if (on_event) on_event(*ev);
            if (const auto* c = std::get_if<CloseEvent>(&*ev); c && c->by_engine) close_after_send_ = true;
        }
        const std::string out = engine_.poll_output();
        if (!out.empty() && conn_) conn_->send(out);
        if (close_after_send_ && conn_) {
            conn_->close();
            close_after_send_ = false;
        }
        if (timer_.valid()) w_.sched.cancel(timer_);
        if (auto d = engine_.next_deadline()) {
            timer_ = w_.sched.schedule_at(*d, [this] {
                timer_ = EventId{};
                engine_.handle_timeout(w_.sched.now());
                pump();
            });
        }
    }
    std::function<void(const Event&)> on_event;

private:
    void closed() {
        engine_.handle_closed(w_.sched.now());
        pump();
    }

    World& w_;
    Engine& engine_;
    Role role_;
    std::string host_, peer_;
    std::shared_ptr<net::TcpConnection> conn_;
    EventId timer_;
    bool close_after_send_ = false;
};

Transaction make_txn(std::string local, std::string content) {
    Transaction t;
    t.sender = {"alice", "a.example"};
    t.recipients = {{std::move(local), "b.example"}, {"carol", "b.example"}};
    t.content = std::move(content);
    return t;
}

std::vector<const trace::Event*> lines(const World& w, const std::string& host) {
    std::vector<const trace::Event*> out;
    for (const auto& e : w.sink.events) {
        if (e.kind == "line" && e.host == host) out.push_back(&e);
    }
    return out;
}

}  // namespace

TEST_CASE("smtp over simulated TCP: two messages with link latency", "[smtp][net]") {
    World w;
    net::Host& pc = w.net->add_host("pc.alice.example", World::latency(milliseconds(10)));
    net::Host& mx = w.net->add_host("mx.b.example", World::latency(milliseconds(20)));

    AcceptAllPolicy policy;
    ServerConfig scfg;
    scfg.hostname = "mx.b.example";
    std::unique_ptr<ServerEngine> server;
    std::unique_ptr<EngineHost<ServerEngine>> server_host;
    std::vector<MessageEvent> received;
    mx.listen(25, [&](std::shared_ptr<net::TcpConnection> c) {
        server = std::make_unique<ServerEngine>(scfg, policy);
        server_host =
            std::make_unique<EngineHost<ServerEngine>>(w, *server, Role::Server, "mx.b.example", "pc.alice.example");
        server_host->on_event = [&](const Event& e) {
            if (const auto* m = std::get_if<MessageEvent>(&e)) received.push_back(*m);
        };
        server_host->attach(c);
        server->start(w.sched.now());
        server_host->pump();
    });

    ClientConfig ccfg;
    ccfg.helo_name = "pc.alice.example";
    ClientEngine client(ccfg, {make_txn("bob", "Subject: one\r\n\r\n.hidden dot\r\n"),
                               make_txn("dave", "Subject: two\r\n\r\nbye\r\n")});
    EngineHost<ClientEngine> client_host(w, client, Role::Client, "pc.alice.example", "mx.b.example");
    auto conn = pc.connect(mx.ip(), 25);
    client_host.attach(conn);
    conn->on_connected = [&] {
        client.start(w.sched.now());
        client_host.pump();
    };
    w.sched.run_until_idle(1'000'000);

    // Both messages arrived, byte for byte, and the client knows it.
    REQUIRE(received.size() == 2);
    CHECK(received[0].content == "Subject: one\r\n\r\n.hidden dot\r\n");
    CHECK(received[1].content == "Subject: two\r\n\r\nbye\r\n");
    CHECK(received[0].session.helo_name == "pc.alice.example");
    const SessionResult& r = client.result();
    CHECK(r.finished);
    CHECK(r.failure.kind == FailureKind::None);
    for (const auto& t : r.transactions) {
        for (const auto& rr : t.recipients)
            CHECK(rr.outcome == Outcome::Accepted);
    }

    // The trace shows the dialogue with link time on every arrow: the server
    // greets when its accept completes (90 ms: SYN 30, SYN-ACK 30, ACK 30),
    // the client reads the greeting 30 ms later and answers at once.
    const auto srv = lines(w, "mx.b.example");
    const auto cli = lines(w, "pc.alice.example");
    REQUIRE(!srv.empty());
    REQUIRE(!cli.empty());
    CHECK(srv[0]->get_str("dir") == "send");
    CHECK(srv[0]->get_int("code") == 220);
    CHECK(srv[0]->t == milliseconds(90));
    CHECK(cli[0]->get_str("dir") == "recv");
    CHECK(cli[0]->t == milliseconds(120));
    CHECK(cli[1]->get_str("verb") == "EHLO");
    CHECK(cli[1]->get_str("dir") == "send");
    CHECK(cli[1]->t == milliseconds(120));
    // Pipelined: MAIL, both RCPTs and DATA leave in the same instant.
    std::vector<std::string> verbs;
    for (const auto* e : cli) {
        if (e->get_str("dir") == "send" && !e->get_str("verb").empty()) verbs.push_back(e->get_str("verb"));
    }
    CHECK(verbs ==
          std::vector<std::string>{"EHLO", "MAIL", "RCPT", "RCPT", "DATA", "MAIL", "RCPT", "RCPT", "DATA", "QUIT"});
    // Every octet the client sent is in its trace, in order, and equals what the server traced as received.
    std::string sent, got;
    for (const auto* e : cli) {
        if (e->get_str("dir") == "send") sent += e->get_bytes("bytes");
    }
    for (const auto* e : srv) {
        if (e->get_str("dir") == "recv") got += e->get_bytes("bytes");
    }
    CHECK(sent == got);
    CHECK(sent.find("..hidden dot\r\n") != std::string::npos);
    // The session ended with QUIT/221 and both sides closed their connections.
    CHECK(srv.back()->get_int("code") == 221);
    CHECK(server->close_requested());
    CHECK(pc.open_connections() == 0);
}

TEST_CASE("smtp over simulated TCP: a lossy, jittery link only adds delay", "[smtp][net]") {
    World w;
    net::LinkParams lossy;
    lossy.latency = milliseconds(30);
    lossy.jitter = milliseconds(15);
    lossy.loss = 0.05;
    lossy.bandwidth_bps = 2'000'000;
    net::Host& pc = w.net->add_host("pc.alice.example", lossy);
    net::Host& mx = w.net->add_host("mx.b.example", World::latency(milliseconds(5)));
    AcceptAllPolicy policy;
    std::unique_ptr<ServerEngine> server;
    std::unique_ptr<EngineHost<ServerEngine>> server_host;
    std::vector<MessageEvent> received;
    mx.listen(25, [&](std::shared_ptr<net::TcpConnection> c) {
        server = std::make_unique<ServerEngine>(ServerConfig{}, policy);
        server_host = std::make_unique<EngineHost<ServerEngine>>(w, *server, Role::Server, "mx", "pc");
        server_host->on_event = [&](const Event& e) {
            if (const auto* m = std::get_if<MessageEvent>(&e)) received.push_back(*m);
        };
        server_host->attach(c);
        server->start(w.sched.now());
        server_host->pump();
    });
    std::string big;
    for (int i = 0; i < 3000; ++i)
        big += (i % 7 == 0 ? "." : "") + std::to_string(i) + " lorem ipsum dolor\r\n";
    ClientEngine client(ClientConfig{}, {make_txn("bob", big)});
    EngineHost<ClientEngine> client_host(w, client, Role::Client, "pc", "mx");
    auto conn = pc.connect(mx.ip(), 25);
    client_host.attach(conn);
    conn->on_connected = [&] {
        client.start(w.sched.now());
        client_host.pump();
    };
    w.sched.run_until_idle(10'000'000);
    REQUIRE(received.size() == 1);
    CHECK(received[0].content == big);
    CHECK(client.result().failure.kind == FailureKind::None);
    CHECK(w.net->counters().lost > 0);  // the loss really happened
}

TEST_CASE("smtp over simulated TCP: the server crashes after 354, the client keeps the mail", "[smtp][net]") {
    World w;
    net::Host& pc = w.net->add_host("pc.alice.example", World::latency(milliseconds(10)));
    net::Host& mx = w.net->add_host("mx.b.example", World::latency(milliseconds(10)));
    AcceptAllPolicy policy;
    std::unique_ptr<ServerEngine> server;
    std::unique_ptr<EngineHost<ServerEngine>> server_host;
    std::size_t received = 0;
    mx.listen(25, [&](std::shared_ptr<net::TcpConnection> c) {
        server = std::make_unique<ServerEngine>(ServerConfig{}, policy);
        server_host = std::make_unique<EngineHost<ServerEngine>>(w, *server, Role::Server, "mx", "pc");
        server_host->on_event = [&](const Event& e) {
            if (std::holds_alternative<MessageEvent>(e)) ++received;
            if (const auto* r = std::get_if<ReplyEvent>(&e); r && r->reply.code == 354) {
                // Crash just after the 354 leaves.
                w.sched.schedule_in(nanoseconds(1), [&w] { w.net->set_host_up("mx.b.example", false); });
            }
        };
        server_host->attach(c);
        server->start(w.sched.now());
        server_host->pump();
    });
    ClientEngine client(ClientConfig{}, {make_txn("bob", "precious\r\n")});
    EngineHost<ClientEngine> client_host(w, client, Role::Client, "pc", "mx");
    auto conn = pc.connect(mx.ip(), 25);
    client_host.attach(conn);
    conn->on_connected = [&] {
        client.start(w.sched.now());
        client_host.pump();
    };
    w.sched.run_until_idle(1'000'000);
    CHECK(received == 0);
    const SessionResult& r = client.result();
    CHECK(r.finished);
    CHECK(r.failure.kind == FailureKind::ConnectionLost);
    CHECK(r.failure.stage == Stage::DataEnd);
    for (const auto& rr : r.transactions[0].recipients)
        CHECK(rr.outcome == Outcome::TempFail);
}
