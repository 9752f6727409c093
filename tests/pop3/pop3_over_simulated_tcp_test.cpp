// pop3_over_simulated_tcp_test.cpp — the POP3 client and server engines
// talking over the simulated network (sim/net) with link latency, the same
// engines that run over real sockets later (DESIGN.md §2.1). A small host
// adapter per side turns TCP callbacks into handle_* calls, engine output
// into TcpConnection::send, engine events into trace events, and
// next_deadline() into scheduler timers.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "core/trace_schema.hpp"
#include "net/network.hpp"
#include "pop3/scripted_policy.hpp"
#include "proto/pop3/client_engine.hpp"
#include "proto/pop3/server_engine.hpp"
#include "proto/pop3/trace_line.hpp"

using namespace postino;
using namespace postino::pop3;
using namespace postino::pop3::testing;

namespace {

struct World {
    Scheduler sched;
    trace::Recorder rec{[this] { return sched.now(); }};
    trace::MemorySink sink;
    std::unique_ptr<net::Network> net;
    World() {
        rec.add_sink(&sink);
        net = std::make_unique<net::Network>(sched, rec, 7);
    }
    static net::LinkParams latency(Duration one_way) {
        net::LinkParams p;
        p.latency = one_way;
        p.bandwidth_bps = 0;
        return p;
    }
};

template <typename Engine>
class EngineHost {
public:
    EngineHost(World& w, Engine& engine, Role role, std::string host, std::string peer)
        : w_(w), engine_(engine), role_(role), host_(std::move(host)), peer_(std::move(peer)) {}
    ~EngineHost() {
        if (timer_.valid()) w_.sched.cancel(timer_);
    }
    void attach(const std::shared_ptr<net::TcpConnection>& c) {
        conn_ = c;
        c->on_data = [this](std::string_view d) {
            engine_.handle_bytes(w_.sched.now(), d);
            pump();
        };
        c->on_eof = [this] { closed(); };
        c->on_closed = [this](net::CloseReason) { closed(); };
    }
    void pump() {
        while (auto ev = engine_.poll_event()) {
            for (auto& te : trace_events(*ev, role_, host_, peer_, conn_ ? conn_->id() : 0)) {
                REQUIRE(trace::validate(te).empty());
                w_.rec.emit(std::move(te));
            }
            if (const auto* c = std::get_if<CloseEvent>(&*ev); c && c->by_engine) close_after_send_ = true;
        }
        const std::string out = engine_.poll_output();
        if (!out.empty() && conn_) conn_->send(out);
        if (close_after_send_ && conn_) {
            conn_->close();
            close_after_send_ = false;
        }
        if (timer_.valid()) w_.sched.cancel(timer_);
        timer_ = EventId{};
        if (auto d = engine_.next_deadline()) {
            timer_ = w_.sched.schedule_at(*d, [this] {
                timer_ = EventId{};
                engine_.handle_timeout(w_.sched.now());
                pump();
            });
        }
    }

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

// One server listening on 110 with a shared policy; each accepted connection
// gets its own engine.
struct Pop3Server {
    World& w;
    ScriptedPolicy& policy;
    std::vector<std::unique_ptr<ServerEngine>> engines;
    std::vector<std::unique_ptr<EngineHost<ServerEngine>>> hosts;
    Pop3Server(World& world, net::Host& host, ScriptedPolicy& p) : w(world), policy(p) {
        host.listen(110, [this](std::shared_ptr<net::TcpConnection> c) {
            ServerConfig cfg;
            cfg.hostname = "mx.a.example";
            cfg.apop = true;
            cfg.session_tag = std::to_string(engines.size() + 1);
            engines.push_back(std::make_unique<ServerEngine>(cfg, policy));
            hosts.push_back(std::make_unique<EngineHost<ServerEngine>>(w, *engines.back(), Role::Server,
                                                                      "mx.a.example", "pc.alice"));
            hosts.back()->attach(c);
            engines.back()->start(w.sched.now());
            hosts.back()->pump();
        });
    }
};

ClientResult fetch(World& w, net::Host& pc, net::Host& mx, ClientConfig cfg, Time at = Time{}) {
    ClientEngine client(std::move(cfg));
    EngineHost<ClientEngine> host(w, client, Role::Client, "pc.alice", "mx.a.example");
    std::shared_ptr<net::TcpConnection> conn;
    w.sched.schedule_at(at, [&] {
        conn = pc.connect(mx.ip(), 110);
        host.attach(conn);
        conn->on_connected = [&] {
            client.start(w.sched.now());
            host.pump();
        };
    });
    w.sched.run_until_idle(1'000'000);
    return client.result();
}

}  // namespace

TEST_CASE("pop3 over simulated TCP: download and delete, then nothing is left", "[pop3][net]") {
    World w;
    net::Host& pc = w.net->add_host("pc.alice", World::latency(milliseconds(10)));
    net::Host& mx = w.net->add_host("mx.a.example", World::latency(milliseconds(20)));
    ScriptedPolicy policy;
    policy.add_user("alice", "secret");
    policy.add_message("alice", "Subject: one\r\n\r\n.hidden dot\r\n");
    policy.add_message("alice", "Subject: two\r\n\r\nbye\r\n");
    Pop3Server server(w, mx, policy);

    ClientConfig cfg;
    cfg.user = "alice";
    cfg.password = "secret";
    const ClientResult r = fetch(w, pc, mx, cfg);
    CHECK(r.finished);
    CHECK(r.failure == ClientFailure::None);
    REQUIRE(r.messages.size() == 2);
    CHECK(r.messages[0].content == "Subject: one\r\n\r\n.hidden dot\r\n");
    CHECK(r.messages[1].content == "Subject: two\r\n\r\nbye\r\n");
    CHECK(r.messages[0].deleted);
    CHECK(policy.maildrop("alice").empty());
    CHECK(!policy.locked("alice"));

    // The trace holds every line of both sides, with time passing between them.
    int server_lines = 0, client_lines = 0;
    Time first{}, last{};
    for (const auto& e : w.sink.events) {
        if (e.kind != "line" || e.get_str("proto") != "pop3") continue;
        if (server_lines + client_lines == 0) first = e.t;
        last = e.t;
        (e.host == "mx.a.example" ? server_lines : client_lines)++;
    }
    CHECK(server_lines >= 10);
    CHECK(client_lines >= 10);
    CHECK(last - first > milliseconds(500));  // a dozen round trips at 60 ms each
}

TEST_CASE("pop3 over simulated TCP: leave on server with UIDL across two sessions, APOP", "[pop3][net]") {
    World w;
    net::Host& pc = w.net->add_host("pc.alice", World::latency(milliseconds(5)));
    net::Host& mx = w.net->add_host("mx.a.example", World::latency(milliseconds(5)));
    ScriptedPolicy policy;
    policy.add_user("alice", "secret");
    policy.add_message("alice", "Subject: one\r\n\r\n1\r\n");
    Pop3Server server(w, mx, policy);

    ClientConfig cfg;
    cfg.user = "alice";
    cfg.password = "secret";
    cfg.use_apop = true;
    cfg.mode = FetchMode::LeaveOnServer;
    const ClientResult first = fetch(w, pc, mx, cfg);
    REQUIRE(first.failure == ClientFailure::None);
    REQUIRE(first.messages.size() == 1);
    for (const auto& m : first.messages) cfg.known_uidls.insert(m.uidl);

    policy.add_message("alice", "Subject: two\r\n\r\n2\r\n");
    const ClientResult second = fetch(w, pc, mx, cfg, w.sched.now() + minutes(5));
    REQUIRE(second.failure == ClientFailure::None);
    REQUIRE(second.messages.size() == 1);
    CHECK(second.messages[0].content == "Subject: two\r\n\r\n2\r\n");
    CHECK(second.messages[0].uidl != first.messages[0].uidl);
    CHECK(policy.maildrop("alice").size() == 2);  // leave on server: nothing deleted
    // Two sessions, two different APOP timestamps.
    REQUIRE(server.engines.size() == 2);
    CHECK(server.engines[0]->apop_timestamp() != server.engines[1]->apop_timestamp());
}

TEST_CASE("pop3 over simulated TCP: a client that drops before QUIT deletes nothing", "[pop3][net]") {
    World w;
    net::Host& pc = w.net->add_host("pc.alice", World::latency(milliseconds(5)));
    net::Host& mx = w.net->add_host("mx.a.example", World::latency(milliseconds(5)));
    ScriptedPolicy policy;
    policy.add_user("alice", "secret");
    policy.add_message("alice", "Subject: one\r\n\r\n1\r\n");
    Pop3Server server(w, mx, policy);
    ClientConfig cfg;
    cfg.user = "alice";
    cfg.password = "secret";
    cfg.send_quit = false;
    const ClientResult r = fetch(w, pc, mx, cfg);
    CHECK(r.failure == ClientFailure::Dropped);
    REQUIRE(r.messages.size() == 1);
    CHECK(r.messages[0].deleted);              // DELE was answered +OK…
    CHECK(policy.maildrop("alice").size() == 1);  // …but UPDATE never ran
    CHECK(!policy.locked("alice"));
    CHECK(server.engines[0]->state() == ServerState::Closed);
}
