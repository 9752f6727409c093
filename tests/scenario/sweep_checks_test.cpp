// sweep_checks_test.cpp — the protocol-violation invariant of a sweep: an
// abrupt close counts unless a transport failure at that instant (or a client
// giving up on lost replies) and a connection-breaking fault on one of the
// connection's hosts explain it; a
// crashed server reports nothing about its client; lost-250 retransmissions
// (RFC 1047) are told apart from alias fan-out.
#include <catch2/catch.hpp>

#include "scenario/loader.hpp"
#include "scenario/sweep.hpp"
#include "scenario/sweep_checks.hpp"

using namespace postino;
using namespace postino::scenario;

namespace {

trace::Event at(trace::Event e, std::int64_t ms) {
    e.t = milliseconds(ms);
    return e;
}
trace::Event tcp(const std::string& host, const std::string& peer, std::uint64_t conn, const std::string& ev) {
    return trace::Event("tcp", host, peer, conn).set("ev", ev);
}
trace::Event violation(const std::string& host, const std::string& peer, std::uint64_t conn) {
    return trace::Event("proto", host, peer, conn)
        .set("proto", "smtp")
        .set("ev", "violation")
        .set("detail", "client closed the connection without QUIT")
        .set("section", "RFC 5321 §3.8");
}
trace::Event reply(const std::string& host, const std::string& peer, const std::string& dir) {
    return trace::Event("line", host, peer, 7).set("proto", "smtp").set("dir", dir).set("code", 250);
}
trace::Event fault(const std::string& ev, const std::string& kind, const std::string& target) {
    return trace::Event("fault", "").set("ev", ev).set("fault", kind).set("target", target);
}

// mx.b (client) connects to mx.a (server) at 1 s; mx.a's end of the
// connection ends with `end` at 50 s and its engine reports the violation.
ProtocolViolationCheck run(const std::vector<trace::Event>& faults, const std::string& end) {
    ProtocolViolationCheck c;
    c.on_event(at(tcp("mx.b", "mx.a", 7, "connect"), 1000));
    c.on_event(at(tcp("mx.a", "mx.b", 7, "established"), 1010));
    for (const auto& f : faults) c.on_event(f);
    c.on_event(at(tcp("mx.a", "mx.b", 7, end), 50'000));
    c.on_event(at(violation("mx.a", "mx.b", 7), 50'000));
    return c;
}

std::vector<trace::Event> events_of(const std::string& file, std::vector<trace::Event>* out) {
    struct Keep final : trace::Sink {
        std::vector<trace::Event>* out;
        void on_event(const trace::Event& e) override { out->push_back(e); }
    } keep;
    keep.out = out;
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/" + file);
    if (!s) FAIL(s.error().message());
    RunOptions opt;
    opt.sinks.push_back(&keep);
    (void)run_scenario(*s, opt);
    return *out;
}

}  // namespace

TEST_CASE("an abrupt close with no fault to explain it counts", "[sweep]") {
    for (const char* end : {"eof", "timeout", "reset"}) {
        INFO(end);
        const auto c = run({}, end);
        CHECK(c.count() == 1);
        CHECK(c.fault_closes() == 0);
        CHECK(c.first() == "mx.a: client closed the connection without QUIT (RFC 5321 §3.8)");
    }
}

TEST_CASE("a timeout or reset while a fault hit one of the connection's hosts is the fault's", "[sweep]") {
    SECTION("the client crashed during the connection; its restarted stack reset it") {
        const auto c = run({at(fault("begin", "host-down", "mx.b"), 10'000), at(fault("end", "host-down", "mx.b"), 40'000)},
                           "reset");
        CHECK(c.count() == 0);
        CHECK(c.fault_closes() == 1);
        CHECK(c.fault_close_first().find("was reset after an injected fault hit mx.b (host-down)") != std::string::npos);
    }
    SECTION("the server's own link loses packets until its TCP gives up") {
        const auto c = run({at(fault("begin", "link-change", "mx.a"), 500)}, "timeout");
        CHECK(c.count() == 0);
        CHECK(c.fault_closes() == 1);
        CHECK(c.fault_close_first().find("timed out after an injected fault hit mx.a (link-change)") != std::string::npos);
    }
}

TEST_CASE("a client that gives up waiting for lost replies and closes is the fault's", "[sweep]") {
    // The server's 250, 250 and 354 were lost on its lossy link; the client's
    // MAIL timeout (RFC 5321 §4.5.3.2.2) fired and it closed without QUIT
    // (a QUIT would have been read as message data).
    auto feed = [](bool with_fault) {
        ProtocolViolationCheck c;
        c.on_event(at(tcp("mx.b", "mx.a", 7, "connect"), 1000));
        if (with_fault) c.on_event(at(fault("begin", "link-change", "mx.a"), 2000));
        c.on_event(at(reply("mx.a", "mx.b", "send"), 3000));  // 220, read
        c.on_event(at(reply("mx.b", "mx.a", "recv"), 3010));
        c.on_event(at(reply("mx.a", "mx.b", "send"), 4000));  // 354, lost
        c.on_event(at(tcp("mx.a", "mx.b", 7, "eof"), 304'000));
        c.on_event(at(violation("mx.a", "mx.b", 7), 304'000));
        return c;
    };
    const auto lossy = feed(true);
    CHECK(lossy.count() == 0);
    CHECK(lossy.fault_closes() == 1);
    CHECK(lossy.fault_close_first().find("the client gave up waiting for replies it never received") != std::string::npos);
    const auto clean = feed(false);
    CHECK(clean.count() == 1);
}

TEST_CASE("a fault does not excuse what it cannot explain", "[sweep]") {
    SECTION("an orderly close (FIN) without QUIT: the client chose to close") {
        const auto c = run({at(fault("begin", "link-down", "mx.b"), 10'000)}, "eof");
        CHECK(c.count() == 1);
        CHECK(c.fault_closes() == 0);
    }
    SECTION("a FIN after every reply arrived, while a fault hit the client") {
        ProtocolViolationCheck c;
        c.on_event(at(tcp("mx.b", "mx.a", 7, "connect"), 1000));
        c.on_event(at(fault("begin", "link-change", "mx.a"), 2000));
        c.on_event(at(reply("mx.a", "mx.b", "send"), 3000));
        c.on_event(at(reply("mx.b", "mx.a", "recv"), 3010));
        c.on_event(at(tcp("mx.a", "mx.b", 7, "eof"), 50'000));
        c.on_event(at(violation("mx.a", "mx.b", 7), 50'000));
        CHECK(c.count() == 1);
    }
    SECTION("the fault was over before the connection began") {
        const auto c = run({at(fault("begin", "host-down", "mx.b"), 100), at(fault("end", "host-down", "mx.b"), 900)},
                           "timeout");
        CHECK(c.count() == 1);
    }
    SECTION("the fault hit another host") {
        const auto c = run({at(fault("begin", "link-down", "mx.c"), 10'000)}, "timeout");
        CHECK(c.count() == 1);
    }
    SECTION("a fault that does not break connections (a 451 reply, a DNS failure)") {
        const auto c = run({at(fault("begin", "smtp-reply", "mx.a"), 10'000), at(fault("begin", "dns-timeout", "mx.b"), 10'000)},
                           "timeout");
        CHECK(c.count() == 1);
    }
    SECTION("the violation is not the engine's answer to the transport failure (not the same instant)") {
        ProtocolViolationCheck c;
        c.on_event(at(tcp("mx.b", "mx.a", 7, "connect"), 1000));
        c.on_event(at(fault("begin", "link-down", "mx.a"), 2000));
        c.on_event(at(tcp("mx.a", "mx.b", 7, "timeout"), 40'000));
        c.on_event(at(violation("mx.a", "mx.b", 7), 50'000));
        CHECK(c.count() == 1);
    }
}

TEST_CASE("a server that crashes during DATA reports no violation by its client", "[sweep]") {
    // Regression: the crashed host's SMTP server used to report "connection
    // closed during DATA" (RFC 5321 §4.1.1.4) against a client that did nothing.
    std::vector<trace::Event> ev;
    events_of("tests/sweep/crash-during-data.yaml", &ev);
    // The scenario does what it says: DATA was under way when the host went down.
    std::uint64_t data_conn = 0;
    bool down_in_data = false;
    for (const auto& e : ev) {
        if (e.kind == "line" && e.host == "mx.a.example" && e.get_str("dir") == "recv" && e.get_str("verb") == "DATA") {
            data_conn = e.conn;
        }
        if (e.kind == "proto" && e.get_str("ev") == "transaction" && e.conn == data_conn) data_conn = 0;
        if (e.kind == "host" && e.host == "mx.a.example" && e.get_str("ev") == "down") down_in_data = data_conn != 0;
    }
    CHECK(down_in_data);
    for (const auto& e : ev) {
        INFO(e.host << ": " << e.get_str("detail"));
        CHECK_FALSE((e.kind == "proto" && e.get_str("ev") == "violation"));
    }
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/tests/sweep/crash-during-data.yaml");
    REQUIRE(s.ok());
    const SeedVerdict v = check_run(*s, s->seed, false);
    INFO(v.invariant << ": " << v.detail);
    CHECK(v.ok);
    CHECK(v.fault_closes == 0);
}

TEST_CASE("a POP3 server that crashes during RETR reports no violation by its client", "[sweep]") {
    // Regression: the crashed host's POP3 server used to report "connection
    // closed without QUIT" (RFC 1939 §6) against a user agent that did nothing.
    std::vector<trace::Event> ev;
    events_of("tests/sweep/crash-during-retr.yaml", &ev);
    // The scenario does what it says: the host went down inside a POP3
    // session, after RETR and before QUIT.
    bool retr = false;
    bool quit = false;
    bool down_in_session = false;
    for (const auto& e : ev) {
        if (e.kind == "line" && e.host == "mx.a.example" && e.get_str("proto") == "pop3" && e.get_str("dir") == "recv") {
            retr = retr || e.get_str("verb") == "RETR";
            quit = quit || e.get_str("verb") == "QUIT";
        }
        if (e.kind == "host" && e.host == "mx.a.example" && e.get_str("ev") == "down") down_in_session = retr && !quit;
    }
    CHECK(down_in_session);
    for (const auto& e : ev) {
        INFO(e.host << ": " << e.get_str("detail"));
        CHECK_FALSE((e.kind == "proto" && e.get_str("ev") == "violation"));
    }
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/tests/sweep/crash-during-retr.yaml");
    REQUIRE(s.ok());
    const SeedVerdict v = check_run(*s, s->seed, false);
    INFO(v.invariant << ": " << v.detail);
    CHECK(v.ok);
    CHECK(v.fault_closes == 0);
}

TEST_CASE("a restarted client's RST ends the server's old session: reported, explained, not a failure", "[sweep]") {
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/tests/sweep/restart-resets-old-connection.yaml");
    if (!s) FAIL(s.error().message());
    const SeedVerdict v = check_run(*s, s->seed, false);
    INFO(v.invariant << ": " << v.detail);
    CHECK(v.ok);
    CHECK(v.fault_closes == 1);
    CHECK(v.fault_close_first.find("mx.a.example: client closed the connection without QUIT (RFC 5321 §3.8)") == 0);
    CHECK(v.fault_close_first.find("was reset after an injected fault hit mx.b.example (host-down)") != std::string::npos);
    // The same run with the faults taken out of the trace: nothing explains
    // the same violation, and it counts.
    std::vector<trace::Event> ev;
    events_of("tests/sweep/restart-resets-old-connection.yaml", &ev);
    ProtocolViolationCheck blind;
    for (const auto& e : ev) {
        if (e.kind != "fault") blind.on_event(e);
    }
    CHECK(blind.count() == 1);
    CHECK(blind.first() == "mx.a.example: client closed the connection without QUIT (RFC 5321 §3.8)");
    CHECK(blind.fault_closes() == 0);
}

TEST_CASE("a message accepted again after a lost 250 is a retransmission, two hand-offs are not", "[sweep]") {
    auto enqueued = [](const std::string& host, const std::string& qid) {
        return trace::Event("spool", host).set("ev", "enqueued").set("queue_id", qid).set("message_id", "<m@x>");
    };
    auto accepted = [](const std::string& server, const std::string& client, const std::string& qid) {
        return trace::Event("proto", server, client, 1).set("ev", "transaction").set("detail", "message accepted as " + qid);
    };
    auto sent = [](const std::string& client, const std::string& server, std::int64_t ms) {
        return at(trace::Event("spool", client).set("ev", "sent").set("queue_id", "Q1").set("remote", server).set("message_id", "<m@x>"),
                  ms);
    };
    RetransmissionCheck lost;
    for (const auto& e : {enqueued("mx.b", "A"), accepted("mx.b", "mx.a", "A"), enqueued("mx.b", "B"),
                          accepted("mx.b", "mx.a", "B"), sent("mx.a", "mx.b", 9000)}) {
        lost.on_event(e);
    }
    const auto r = lost.retransmitted();
    REQUIRE(r.count("<m@x>") == 1);
    CHECK(r.at("<m@x>").extra == 1);
    CHECK(r.at("<m@x>").what == "mx.b accepted it from mx.a 2 times, mx.a learned of 1 (a lost 250, RFC 1047)");

    RetransmissionCheck twice;  // two transactions, each seen accepted (two recipients sent apart)
    for (const auto& e : {enqueued("mx.b", "A"), accepted("mx.b", "mx.a", "A"), sent("mx.a", "mx.b", 5000),
                          enqueued("mx.b", "B"), accepted("mx.b", "mx.a", "B"), sent("mx.a", "mx.b", 9000)}) {
        twice.on_event(e);
    }
    CHECK(twice.retransmitted().empty());
}

TEST_CASE("the sweep world's duplicate copies are alias fan-out, and lost 250s are named", "[sweep]") {
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/scenarios/sweep-relay.yaml");
    REQUIRE(s.ok());
    // Seed 9 drops the connection after the final dot twice (drop-after-data).
    const SeedVerdict v = check_seed(*s, 9);
    CHECK(v.ok);
    CHECK(v.dup_lost_250 >= 1);
    CHECK(v.dup_first.find("(a lost 250, RFC 1047)") != std::string::npos);
    // Carol is both a recipient of "Two" and a member of team@b.example.
    CHECK(v.dup_fanout == 1);
}
