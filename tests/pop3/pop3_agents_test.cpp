// pop3_agents_test.cpp — the POP3 server agent over the MTA's mailbox store
// and the user agent's fetch (sim/agents/pop3_server.hpp, pop3_fetch.hpp):
// mail submitted by SMTP, delivered locally, fetched by POP3; leave on
// server with UIDL across sessions; download and delete; a second session
// finding the mailbox in use; a wrong password; dot lines end to end.
#include <catch2/catch.hpp>

#include <memory>

#include "agents/mta.hpp"
#include "agents/pop3_server.hpp"
#include "agents/user_agent.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "core/trace_schema.hpp"
#include "net/dns_server.hpp"
#include "net/network.hpp"
#include "net/resolver.hpp"

using namespace postino;

namespace {

struct Mail {
    Scheduler sched;
    trace::Recorder rec{[this] { return sched.now(); }};
    trace::MemorySink sink;
    std::unique_ptr<net::Network> net;
    std::unique_ptr<net::dns::Server> dns;
    std::unique_ptr<net::dns::Resolver> resolver;
    store::MailStore store;
    std::unique_ptr<agents::Mta> mta;
    std::unique_ptr<agents::Pop3Server> pop3;
    std::unique_ptr<agents::UserAgent> pc, laptop;

    Mail() {
        rec.add_sink(&sink);
        net = std::make_unique<net::Network>(sched, rec, 3);
        net::LinkParams link;
        link.latency = milliseconds(5);
        net::Host& ns = net->add_host("ns.example", link);
        net::Host& mx = net->add_host("mx.a.example", link);
        net::Host& h1 = net->add_host("pc.alice", link);
        net::Host& h2 = net->add_host("laptop.alice", link);
        net::dns::Zone zone;
        zone.add_a("mx.a.example", mx.ip());
        zone.add_mx("a.example", 10, "mx.a.example");
        dns = std::make_unique<net::dns::Server>(ns, zone);
        resolver = std::make_unique<net::dns::Resolver>(mx, ns.ip());
        store.add_account("alice", "secret");
        agents::MtaConfig cfg;
        cfg.hostname = "mx.a.example";
        cfg.domains = {"a.example"};
        cfg.profile = *agents::builtin_profile("classroom");
        cfg.relay_clients = {h1.ip(), h2.ip()};
        mta = std::make_unique<agents::Mta>(mx, *resolver, store, cfg);
        mta->start();
        agents::Pop3ServerConfig pcfg;
        pcfg.hostname = "mx.a.example";
        pcfg.domains = {"a.example"};
        pop3 = std::make_unique<agents::Pop3Server>(mx, store, pcfg);
        pop3->start();
        agents::UserAgentConfig ua;
        ua.user = "alice@a.example";
        ua.server = mx.ip();
        ua.server_name = "mx.a.example";
        pc = std::make_unique<agents::UserAgent>(h1, ua);
        laptop = std::make_unique<agents::UserAgent>(h2, ua);
    }
    agents::FetchRequest request(pop3::FetchMode mode, std::string password = "secret") {
        agents::FetchRequest r;
        r.server = net->host("mx.a.example").ip();
        r.server_name = "mx.a.example";
        r.user = "alice";
        r.password = std::move(password);
        r.mode = mode;
        return r;
    }
    void send(const std::string& subject, const std::string& body) {
        agents::OutgoingMail m;
        m.to = {"alice@a.example"};
        m.subject = subject;
        m.body = body;
        pc->send(m);
        sched.run_until_idle(1'000'000);
    }
    std::vector<const trace::Event*> ua(const std::string& host, const std::string& ev) const {
        std::vector<const trace::Event*> out;
        for (const auto& e : sink.events) {
            if (e.kind == "ua" && e.host == host && e.get_str("ev") == ev) out.push_back(&e);
        }
        return out;
    }
    std::size_t inbox() { return store.find("alice")->folders[store::kInbox].messages.size(); }
};

}  // namespace

TEST_CASE("pop3 agents: leave on server with UIDL across sessions, then download and delete", "[pop3][agents]") {
    Mail w;
    w.send("one", "first");
    REQUIRE(w.inbox() == 1);
    w.pc->fetch(w.request(pop3::FetchMode::LeaveOnServer));
    w.sched.run_until_idle(1'000'000);
    CHECK(w.ua("pc.alice", "fetched").size() == 1);
    CHECK(w.inbox() == 1);  // left on the server

    w.send("two", "second");
    w.pc->fetch(w.request(pop3::FetchMode::LeaveOnServer));
    w.sched.run_until_idle(1'000'000);
    const auto fetched = w.ua("pc.alice", "fetched");
    REQUIRE(fetched.size() == 2);  // only the new one the second time
    CHECK(fetched[1]->get_str("text").find("\"two\"") != std::string::npos);
    CHECK(fetched[0]->get_str("uidl") != fetched[1]->get_str("uidl"));
    CHECK(w.pc->fetcher().known("alice").size() == 2);
    CHECK(w.inbox() == 2);

    w.pc->fetch(w.request(pop3::FetchMode::DownloadAndDelete));
    w.sched.run_until_idle(1'000'000);
    CHECK(w.ua("pc.alice", "fetched").size() == 4);
    CHECK(w.inbox() == 0);
    int deleted = 0;
    for (const auto& e : w.sink.events) {
        CHECK(trace::validate(e).empty());
        if (e.kind == "mailbox" && e.get_str("ev") == "deleted") {
            ++deleted;
            CHECK(e.get_str("address") == "alice@a.example");
        }
    }
    CHECK(deleted == 2);
    CHECK(w.ua("pc.alice", "error").empty());
    CHECK(w.store.find("alice")->folders[store::kInbox].locked_by == 0);
}

TEST_CASE("pop3 agents: dot lines survive SMTP dot-stuffing and POP3 byte-stuffing", "[pop3][agents]") {
    Mail w;
    const std::string body = ".\n.leading dot\n..two dots\nend.";
    w.send("dots", body);
    w.pc->fetch(w.request(pop3::FetchMode::DownloadAndDelete));
    w.sched.run_until_idle(1'000'000);
    const auto fetched = w.ua("pc.alice", "fetched");
    REQUIRE(fetched.size() == 1);
    const std::string got = fetched[0]->get_bytes("bytes");
    CHECK(got.find("\r\n\r\n.\r\n.leading dot\r\n..two dots\r\nend.\r\n") != std::string::npos);
    // The message as stored equals the message as fetched, octet for octet.
    std::string stored;
    for (const auto& e : w.sink.events) {
        if (e.kind == "message" && e.get_str("role") == "composed") stored = e.get_bytes("bytes");
    }
    REQUIRE(!stored.empty());
    if (!stored.ends_with("\r\n")) stored += "\r\n";  // the SMTP client ends the last line (RFC 5321 §4.1.1.4)
    CHECK(got.size() > stored.size());  // Return-Path: and Received: were added in front
    CHECK(got.substr(got.size() - stored.size()) == stored);
}

TEST_CASE("pop3 agents: a second session finds the mailbox in use, a wrong password is refused", "[pop3][agents]") {
    Mail w;
    w.send("one", "first");
    w.pc->fetch(w.request(pop3::FetchMode::LeaveOnServer));
    w.laptop->fetch(w.request(pop3::FetchMode::LeaveOnServer));
    w.sched.run_until_idle(1'000'000);
    const auto errors = w.ua("laptop.alice", "error");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0]->get_str("text").find("in use") != std::string::npos);
    CHECK(w.ua("pc.alice", "fetched").size() == 1);

    w.laptop->fetch(w.request(pop3::FetchMode::DownloadAndDelete, "wrong"));
    w.sched.run_until_idle(1'000'000);
    const auto errors2 = w.ua("laptop.alice", "error");
    REQUIRE(errors2.size() == 2);
    CHECK(errors2[1]->get_str("text").find("password was refused") != std::string::npos);
    CHECK(w.inbox() == 1);
    CHECK(w.store.find("alice")->folders[store::kInbox].locked_by == 0);
}

TEST_CASE("pop3 agents: a connection dropped before QUIT keeps every message", "[pop3][agents]") {
    Mail w;
    w.send("one", "first");
    w.send("two", "second");
    auto r = w.request(pop3::FetchMode::DownloadAndDelete);
    r.drop_before_quit = true;
    w.pc->fetch(r);
    w.sched.run_until_idle(1'000'000);
    CHECK(w.ua("pc.alice", "fetched").size() == 2);
    CHECK(w.inbox() == 2);
    CHECK(w.store.find("alice")->folders[store::kInbox].locked_by == 0);
    // The next session sees both again.
    w.pc->fetch(w.request(pop3::FetchMode::DownloadAndDelete));
    w.sched.run_until_idle(1'000'000);
    CHECK(w.ua("pc.alice", "fetched").size() == 4);
    CHECK(w.inbox() == 0);
}
