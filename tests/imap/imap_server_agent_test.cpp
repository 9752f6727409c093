// imap_server_agent_test.cpp — the IMAP server agent on port 143 of an MTA
// host (sim/agents/imap_server.hpp) over simulated TCP with latency: mail
// submitted by SMTP and delivered locally is seen by IMAP; a session in
// IDLE hears of a delivery by the MTA; two sessions see each other's flag
// changes; every trace event is valid.
#include <catch2/catch.hpp>

#include <memory>

#include "agents/imap_fetch.hpp"
#include "agents/imap_server.hpp"
#include "agents/mta.hpp"
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
    std::unique_ptr<agents::ImapServer> imap;
    std::unique_ptr<agents::UserAgent> pc;

    Mail() {
        rec.add_sink(&sink);
        net = std::make_unique<net::Network>(sched, rec, 3);
        net::LinkParams link;
        link.latency = milliseconds(5);
        net::Host& ns = net->add_host("ns.example", link);
        net::Host& mx = net->add_host("mx.a.example", link);
        net::Host& h1 = net->add_host("pc.alice", link);
        net->add_host("laptop.alice", link);
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
        cfg.relay_clients = {h1.ip()};
        mta = std::make_unique<agents::Mta>(mx, *resolver, store, cfg);
        mta->start();
        agents::ImapServerConfig icfg;
        icfg.hostname = "mx.a.example";
        imap = std::make_unique<agents::ImapServer>(mx, store, icfg);
        imap->start();
        agents::UserAgentConfig ua;
        ua.user = "alice@a.example";
        ua.server = mx.ip();
        ua.server_name = "mx.a.example";
        pc = std::make_unique<agents::UserAgent>(h1, ua);
    }
    void send(const std::string& subject) {
        agents::OutgoingMail m;
        m.to = {"alice@a.example"};
        m.subject = subject;
        m.body = "hello";
        pc->send(m);
    }
};

// A raw IMAP client: sends lines, collects what arrives.
struct Client {
    std::shared_ptr<net::TcpConnection> conn;
    std::string got;
    Client(Mail& m, const char* from) {
        conn = m.net->host(from).connect(m.net->host("mx.a.example").ip(), agents::kImapPort);
        conn->on_data = [this](std::string_view d) { got.append(d); };
    }
    void send(const std::string& line) { conn->send(line + "\r\n"); }
};

bool has(const std::string& s, const std::string& n) { return s.find(n) != std::string::npos; }

}  // namespace

TEST_CASE("imap agent: delivered mail is listed, fetched and flagged over port 143", "[imap][agent]") {
    Mail m;
    m.send("Ciao");
    m.sched.run_until(seconds(30));
    REQUIRE(m.store.find("alice")->folders["INBOX"].messages.size() == 1);
    Client c(m, "laptop.alice");
    m.sched.run_until(seconds(31));
    c.send("a1 LOGIN alice secret");
    c.send("a2 SELECT INBOX");
    c.send("a3 FETCH 1 (ENVELOPE BODY[TEXT])");
    c.send("a4 LOGOUT");
    m.sched.run_until(seconds(40));
    CHECK(c.got.rfind("* OK [CAPABILITY IMAP4rev1", 0) == 0);
    CHECK(has(c.got, "* 1 EXISTS"));
    CHECK(has(c.got, "\"Ciao\""));
    CHECK(has(c.got, "FLAGS (\\Seen \\Recent)"));
    CHECK(has(c.got, "a4 OK Logout completed"));
    CHECK(m.store.find("alice")->folders["INBOX"].messages[0].flags == std::vector<std::string>{"\\Seen"});
    int lines = 0;
    for (const auto& e : m.sink.events) {
        INFO(e.kind);
        CHECK(trace::validate(e).empty());
        if (e.kind == "line" && e.get_str("proto") == "imap") ++lines;
    }
    CHECK(lines >= 8);
}

TEST_CASE("imap agent: IDLE hears of a delivery by the MTA", "[imap][agent]") {
    Mail m;
    Client c(m, "laptop.alice");
    m.sched.run_until(seconds(1));
    c.send("a1 LOGIN alice secret");
    c.send("a2 SELECT INBOX");
    c.send("a3 IDLE");
    m.sched.run_until(seconds(2));
    REQUIRE(has(c.got, "+ idling"));
    CHECK_FALSE(has(c.got, "* 1 EXISTS"));
    m.send("New mail");
    m.sched.run_until(seconds(60));
    CHECK(has(c.got, "* 1 EXISTS"));
    c.send("DONE");
    m.sched.run_until(seconds(61));
    CHECK(has(c.got, "a3 OK Idle completed"));
}

TEST_CASE("imap agent: two sessions on one mailbox see each other's flags and expunges", "[imap][agent]") {
    Mail m;
    m.send("one");
    m.send("two");
    m.sched.run_until(seconds(30));
    Client a(m, "laptop.alice"), b(m, "pc.alice");
    m.sched.run_until(seconds(31));
    for (Client* c : {&a, &b}) {
        c->send("x LOGIN alice secret");
        c->send("y SELECT INBOX");
    }
    m.sched.run_until(seconds(32));
    a.send("z STORE 1 +FLAGS (\\Deleted)");
    a.send("w EXPUNGE");
    m.sched.run_until(seconds(33));
    b.send("v NOOP");
    m.sched.run_until(seconds(34));
    CHECK(has(b.got, "* 1 EXPUNGE"));
    CHECK(m.imap->sessions() == 2);
}

TEST_CASE("imap agent: a user agent reads the headers, then only the text part of a message with a large attachment", "[imap][agent]") {
    Mail m;
    std::string big = "From: bob@b.example\r\nTo: alice@a.example\r\nSubject: Photos\r\nMIME-Version: 1.0\r\n"
                      "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                      "Here they are.\r\n--b\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    for (int i = 0; i < 2000; ++i) big += "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\r\n";
    big += "--b--\r\n";
    m.store.insert("alice", big, seconds(1));
    agents::ImapFetcher ua(m.net->host("laptop.alice"));
    agents::ImapFetchRequest r;
    r.server = m.net->host("mx.a.example").ip();
    r.server_name = "mx.a.example";
    r.client.user = "alice";
    r.client.password = "secret";
    ua.fetch(r);
    m.sched.run_until(seconds(20));
    CHECK(ua.fetched() == 1);
    CHECK(ua.errors() == 0);
    std::string done, fetched;
    for (const auto& e : m.sink.events) {
        CHECK(trace::validate(e).empty());
        if (e.kind == "ua" && e.get_str("ev") == "fetch-done") done = e.get_str("text");
        if (e.kind == "ua" && e.get_str("ev") == "fetched") fetched = e.get_str("text");
    }
    CHECK(has(fetched, "\"Photos\" from bob@b.example: part 1, 14 of " + std::to_string(big.size()) + " octets"));
    CHECK(has(done, "14 octets of bodies fetched, " + std::to_string(big.size()) + " would have been downloaded by POP3"));
    // The message stays on the server, now \Seen.
    REQUIRE(m.store.find("alice")->folders["INBOX"].messages.size() == 1);
    CHECK(m.store.find("alice")->folders["INBOX"].messages[0].flags == std::vector<std::string>{"\\Seen"});
}

TEST_CASE("imap agent: a user agent moves what it read, and a wrong password is an error", "[imap][agent]") {
    Mail m;
    m.store.find("alice")->folders["Read"];
    m.store.insert("alice", "Subject: a\r\n\r\nx\r\n", seconds(1));
    agents::ImapFetcher ua(m.net->host("laptop.alice"));
    agents::ImapFetchRequest r;
    r.server = m.net->host("mx.a.example").ip();
    r.server_name = "mx.a.example";
    r.client.user = "alice";
    r.client.password = "secret";
    r.client.move_to = "Read";
    ua.fetch(r);
    m.sched.run_until(seconds(20));
    CHECK(m.store.find("alice")->folders["INBOX"].messages.empty());
    CHECK(m.store.find("alice")->folders["Read"].messages.size() == 1);
    r.client.password = "wrong";
    ua.fetch(r);
    m.sched.run_until(seconds(40));
    CHECK(ua.errors() == 1);
}

TEST_CASE("imap agent: every store change is a mailbox trace event at its command, before the reply", "[imap][agent][trace]") {
    Mail m;
    m.imap.reset();
    agents::ImapServerConfig icfg;
    icfg.hostname = "mx.a.example";
    icfg.domains = {"a.example"};
    m.imap = std::make_unique<agents::ImapServer>(m.net->host("mx.a.example"), m.store, icfg);
    m.imap->start();
    m.store.find("alice")->folders["Archive"];
    m.store.insert("alice", "Subject: one\r\n\r\nx\r\n", seconds(1));
    m.store.insert("alice", "Subject: two\r\n\r\ny\r\n", seconds(1));
    Client c(m, "laptop.alice");
    m.sched.run_until(seconds(2));
    c.send("a1 LOGIN alice secret");
    c.send("a2 SELECT INBOX");
    c.send("a3 STORE 1 +FLAGS (\\Flagged)");
    c.send("a4 STORE 1 +FLAGS (\\Flagged)");  // no change: no event
    c.send("a5 FETCH 2 BODY[]");               // sets \Seen
    c.send("a6 COPY 1:2 Archive");
    c.send("a7 APPEND Archive (\\Seen \\Answered) {19}");
    m.sched.run_until(seconds(3));
    c.send("Subject: three\r\n\r\nz");
    c.send("a8 STORE 2 +FLAGS.SILENT (\\Deleted)");
    c.send("a9 EXPUNGE");
    c.send("b1 SELECT Archive");
    c.send("b2 STORE 1 +FLAGS (\\Deleted)");
    c.send("b3 CLOSE");
    c.send("b4 LOGOUT");
    m.sched.run_until(seconds(10));
    REQUIRE(has(c.got, "b4 OK"));
    std::vector<std::string> seen;
    for (const auto& e : m.sink.events) {
        CHECK(trace::validate(e).empty());
        if (e.kind != "mailbox") continue;
        CHECK(e.host == "mx.a.example");
        CHECK(e.get_str("address") == "alice@a.example");
        CHECK(e.get_str("by") == "imap");
        std::string s = e.get_str("ev") + " " + e.get_str("folder") + " " + std::to_string(e.get_int("uid").value_or(0));
        if (e.find("flags") != nullptr) s += " [" + e.get_str("flags") + "]";
        if (e.get_str("ev") == "copied") s += " from " + e.get_str("from_folder") + " " + std::to_string(e.get_int("from_uid").value_or(0));
        seen.push_back(s);
    }
    const std::vector<std::string> want{
        "flags INBOX 1 [\\Flagged]",
        "flags INBOX 2 [\\Seen]",
        "copied Archive 1 [\\Flagged] from INBOX 1",
        "copied Archive 2 [\\Seen] from INBOX 2",
        "appended Archive 3 [\\Answered \\Seen]",
        "flags INBOX 2 [\\Deleted \\Seen]",
        "expunged INBOX 2",
        "flags Archive 1 [\\Deleted \\Flagged]",
        "expunged Archive 1",
    };
    CHECK(seen == want);
    // Each event has its command's time and comes before the tagged reply (the
    // link traces the lines the engine read after the engine ran them, so
    // the event may precede its command's line).
    std::size_t cmd = 0, ev = 0, reply = 0;
    for (std::size_t i = 0; i < m.sink.events.size(); ++i) {
        const auto& e = m.sink.events[i];
        if (e.kind == "line" && e.host == "mx.a.example" && e.get_str("dir") == "recv" && has(e.get_bytes("bytes"), "a9 EXPUNGE")) cmd = i;
        if (e.kind == "mailbox" && e.get_str("ev") == "expunged" && ev == 0) ev = i;
        if (e.kind == "line" && e.host == "mx.a.example" && e.get_str("dir") == "send" && has(e.get_bytes("bytes"), "a9 OK")) reply = i;
    }
    REQUIRE(cmd != 0);
    REQUIRE(ev != 0);
    CHECK(m.sink.events[cmd].t == m.sink.events[ev].t);
    CHECK(ev < reply);
}

TEST_CASE("imap agent: CREATE, DELETE and RENAME of folders are mailbox events, uid 0, before the reply", "[imap][agent][trace]") {
    Mail m;
    m.imap.reset();
    agents::ImapServerConfig icfg;
    icfg.hostname = "mx.a.example";
    icfg.domains = {"a.example"};
    m.imap = std::make_unique<agents::ImapServer>(m.net->host("mx.a.example"), m.store, icfg);
    m.imap->start();
    m.store.insert("alice", "Subject: one\r\n\r\nx\r\n", seconds(1));
    m.store.insert("alice", "Subject: two\r\n\r\ny\r\n", seconds(1));
    Client c(m, "laptop.alice");
    m.sched.run_until(seconds(2));
    c.send("a1 LOGIN alice secret");
    c.send("a2 CREATE Work/2026/May");        // the superior names first (RFC 3501 §6.3.3)
    c.send("a3 CREATE Work");                 // exists: NO, no event
    c.send("a4 SELECT INBOX");
    c.send("a5 COPY 1 Work/2026/May");
    c.send("a6 RENAME Work Jobs");            // Work and its two inferiors, in name order
    c.send("a7 RENAME Jobs/2026 Old/2026");   // Old made first (§6.3.5)
    c.send("a8 DELETE Jobs");                 // no inferiors left: gone
    c.send("a9 DELETE Old");                  // has Old/2026: emptied, \Noselect (§6.3.4)
    c.send("b1 RENAME INBOX Saved");          // the messages move, INBOX stays
    c.send("b2 DELETE Old/2026/May");
    c.send("b3 LOGOUT");
    m.sched.run_until(seconds(10));
    REQUIRE(has(c.got, "b3 OK"));
    REQUIRE(has(c.got, "a3 NO"));
    std::vector<std::string> seen;
    std::size_t rename_ev = 0;
    for (std::size_t i = 0; i < m.sink.events.size(); ++i) {
        const auto& e = m.sink.events[i];
        CHECK(trace::validate(e).empty());
        if (e.kind != "mailbox") continue;
        CHECK(e.host == "mx.a.example");
        CHECK(e.get_str("address") == "alice@a.example");
        CHECK(e.get_str("by") == "imap");
        const std::string ev = e.get_str("ev");
        if (ev.rfind("folder-", 0) != 0) continue;
        CHECK(e.get_int("uid") == 0);
        std::string s = ev + " " + e.get_str("folder");
        if (ev == "folder-created") {
            CHECK(e.get_int("uid_validity").value_or(0) > 0);
        } else if (ev == "folder-deleted") {
            s += " " + std::to_string(e.get_int("messages").value_or(-1)) + (e.get_bool("noselect").value_or(false) ? " noselect" : "");
        } else {
            s += " from " + e.get_str("from_folder") + " " + std::to_string(e.get_int("messages").value_or(-1));
            if (rename_ev == 0) rename_ev = i;
        }
        seen.push_back(s);
    }
    const std::vector<std::string> want{
        "folder-created Work",
        "folder-created Work/2026",
        "folder-created Work/2026/May",
        "folder-renamed Jobs from Work 0",
        "folder-renamed Jobs/2026 from Work/2026 0",
        "folder-renamed Jobs/2026/May from Work/2026/May 1",
        "folder-created Old",
        "folder-renamed Old/2026 from Jobs/2026 0",
        "folder-renamed Old/2026/May from Jobs/2026/May 1",
        "folder-deleted Jobs 0",
        "folder-deleted Old 0 noselect",
        "folder-renamed Saved from INBOX 2",
        "folder-deleted Old/2026/May 1",
    };
    CHECK(seen == want);
    // The store agrees: the folders as the events say.
    const auto* a = m.store.find("alice");
    REQUIRE(a != nullptr);
    CHECK(a->folders.count("Work") == 0);
    CHECK(a->folders.count("Jobs") == 0);
    CHECK(a->folders.at("Saved").messages.size() == 2);
    CHECK(a->folders.at("INBOX").messages.empty());
    // The first RENAME's event has its command's time and precedes the tagged reply.
    std::size_t reply = 0;
    for (std::size_t i = 0; i < m.sink.events.size(); ++i) {
        const auto& e = m.sink.events[i];
        if (e.kind == "line" && e.host == "mx.a.example" && e.get_str("dir") == "send" && has(e.get_bytes("bytes"), "a6 OK")) reply = i;
    }
    REQUIRE(rename_ev != 0);
    CHECK(rename_ev < reply);
}
