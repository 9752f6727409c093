// server_engine_test.cpp — server engine behaviour not covered by the
// transcripts: events, deadlines, shutdown, backpressure and bounds, and how
// policy decisions are checked (RFC 5321 §4.3.2, §4.5.3.2.7, §3.8).
#include <catch2/catch.hpp>

#include <string>

#include "proto/smtp/limits.hpp"
#include "smtp/server_session.hpp"

using namespace postino;
using namespace postino::smtp;
using namespace postino::smtp::testing;

TEST_CASE("server: events name the command, the reply and the raw octets", "[smtp][server]") {
    ServerSession s;
    s.greet();
    s.send("MAIL FROM:<a@a.example>\r\nrcpt to:<b@b.example>\r\nDATA\r\nhi\r\n..x\r\n.\r\n");
    const auto cmds = s.all<CommandEvent>();
    REQUIRE(cmds.size() == 4);
    CHECK(cmds[1].verb == "MAIL");
    CHECK(cmds[1].args == "FROM:<a@a.example>");
    CHECK(cmds[1].raw == "MAIL FROM:<a@a.example>\r\n");
    CHECK(cmds[2].verb == "RCPT");
    CHECK(cmds[2].raw == "rcpt to:<b@b.example>\r\n");
    std::string data;
    for (const auto& d : s.all<DataEvent>())
        data += d.raw;
    CHECK(data == "hi\r\n..x\r\n.\r\n");
    const auto msgs = s.all<MessageEvent>();
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].accepted);
    CHECK(msgs[0].content == "hi\r\n.x\r\n");
    CHECK(msgs[0].wire_octets == data.size());
    CHECK(msgs[0].session.helo_name == "client.example");
    CHECK(msgs[0].session.esmtp);
    const auto replies = s.all<ReplyEvent>();
    CHECK(replies.back().raw == "250 2.0.0 Ok: queued as Q1\r\n");
}

TEST_CASE("server: the next deadline follows the last input, timeout gives 421", "[smtp][server]") {
    ServerSession s;
    s.start();
    CHECK(s.engine.next_deadline() == kServerTimeout);
    s.now = seconds(10);
    s.cmd("EHLO client.example");
    CHECK(s.engine.next_deadline() == seconds(10) + kServerTimeout);
    s.engine.handle_timeout(seconds(20));  // early: ignored
    CHECK(s.drain().empty());
    s.engine.handle_timeout(seconds(10) + kServerTimeout);
    const auto r = s.drain();
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 421);
    CHECK(s.closed());
    CHECK_FALSE(s.engine.next_deadline().has_value());
}

TEST_CASE("server: shutdown answers 421 and closes, even in the middle of DATA", "[smtp][server]") {
    ServerSession s;
    s.greet();
    s.cmd("MAIL FROM:<a@a.example>");
    s.cmd("RCPT TO:<b@b.example>");
    s.cmd("DATA");
    s.send("half a message");
    s.engine.handle_shutdown(s.now);
    const auto r = s.drain();
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 421);
    CHECK(r[0].enhanced == "4.3.2");
    CHECK(s.closed());
    CHECK(s.all<MessageEvent>().empty());
}

TEST_CASE("server: the peer closing mid-session is reported, not answered", "[smtp][server]") {
    ServerSession s;
    s.greet();
    s.cmd("MAIL FROM:<a@a.example>");
    s.engine.handle_closed(s.now);
    CHECK(s.drain().empty());
    const auto closes = s.all<CloseEvent>();
    REQUIRE(closes.size() == 1);
    CHECK_FALSE(closes[0].by_engine);
    CHECK(s.all<ViolationEvent>().back().rfc == "RFC 5321 §3.8");
    CHECK(s.engine.state() == ServerState::Closed);
    CHECK(s.send("NOOP\r\n").empty());
}

TEST_CASE("server: input before start is ignored", "[smtp][server]") {
    AcceptAllPolicy p;
    ServerEngine e(ServerConfig{}, p);
    e.handle_bytes(Time{}, "EHLO x\r\n");
    CHECK(e.poll_output().empty());
    CHECK_FALSE(e.poll_event().has_value());
}

TEST_CASE("server: a host that never drains output pauses parsing, then resumes", "[smtp][server]") {
    AcceptAllPolicy p;
    ServerEngine e(ServerConfig{}, p);
    e.start(Time{});
    e.handle_bytes(Time{}, "EHLO client.example\r\n");
    // 40 000 pipelined HELPs ask for ~3 MB of replies in one read.
    std::string burst;
    for (int i = 0; i < 40000; ++i)
        burst += "HELP\r\n";
    e.handle_bytes(Time{}, burst);
    CHECK(e.buffered_octets() < kMaxBufferedInput + 2 * kOutputHighWater);
    std::string out;
    std::size_t events = 0;
    for (int rounds = 0; rounds < 100000; ++rounds) {
        while (e.poll_event())
            ++events;
        const std::string o = e.poll_output();
        if (o.empty()) break;
        out += o;
    }
    std::size_t replies = 0;
    for (std::size_t pos = 0; (pos = out.find("214 2.0.0 EHLO", pos)) != std::string::npos; ++pos)
        ++replies;
    CHECK(replies == 40000);
    CHECK(e.buffered_octets() == 0);
}

TEST_CASE("server: input piling up beyond the bound ends the session with 421", "[smtp][server]") {
    AcceptAllPolicy p;
    ServerEngine e(ServerConfig{}, p);
    e.start(Time{});
    std::string burst;
    for (int i = 0; i < 20000; ++i)
        burst += "HELP\r\n";
    bool closed = false;
    for (int i = 0; i < 200 && !closed; ++i) {
        e.handle_bytes(Time{}, burst);  // never drained
        closed = e.close_requested();
        CHECK(e.buffered_octets() <= kMaxBufferedInput + 2 * kOutputHighWater + 1024);
    }
    CHECK(closed);
}

TEST_CASE("server: policy decisions are checked and completed", "[smtp][server]") {
    struct Odd : ServerPolicy {
        Decision on_mail(const SessionInfo&, const mail::Mailbox& m, const MailParams&) override {
            if (m.local == "wrongclass") return Decision::reject(550, "4.1.1", "mismatch");
            if (m.local == "bogus") return Decision::reject(221, "", "not for MAIL");
            if (m.local == "plain") return Decision::reject(450, "", "");
            return Decision::accept();
        }
        Decision on_message(const SessionInfo&, const Envelope&, std::string_view) override {
            return Decision::queued("ABC");
        }
    } odd;
    ServerEngine e(ServerConfig{}, odd);
    e.start(Time{});
    e.handle_bytes(Time{},
                   "EHLO c.example\r\nMAIL FROM:<wrongclass@a.example>\r\nMAIL FROM:<bogus@a.example>\r\n"
                   "MAIL FROM:<plain@a.example>\r\n");
    const std::string out = e.poll_output();
    CHECK(out.find("550 5.0.0 mismatch\r\n") != std::string::npos);
    CHECK(out.find("451 4.3.0 Error: local error in processing\r\n") != std::string::npos);
    CHECK(out.find("450 4.0.0 Error: requested action not taken\r\n") != std::string::npos);
    int violations = 0;
    while (auto ev = e.poll_event())
        violations += std::holds_alternative<ViolationEvent>(*ev) ? 1 : 0;
    CHECK(violations == 2);
}

TEST_CASE("server: an overlong line is reported with its true size and first 512 octets", "[smtp][server]") {
    ServerSession s;
    s.start();
    CHECK(s.send(std::string(3000, 'a') + "\r\n")[0].code == 500);
    const auto cmds = s.all<CommandEvent>();
    REQUIRE(cmds.size() == 1);
    CHECK(cmds[0].verb.empty());
    CHECK(cmds[0].octets == 3002);
    CHECK(cmds[0].raw.size() == kMaxCommandLineOctets);
    CHECK(s.all<ViolationEvent>()[0].rfc == "RFC 5321 §4.5.3.1.4");
}

TEST_CASE("server: STARTTLS asks the host to switch and discards what was pipelined behind it", "[smtp][server][tls]") {
    ServerConfig cfg;
    cfg.tls.offered = true;
    ServerSession s(cfg);
    s.greet();
    // CVE-2011-0411: the command injected behind STARTTLS, in the same packet.
    const auto r = s.send("STARTTLS\r\nRSET\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 220);
    CHECK(s.all<StartTlsEvent>().size() == 1);
    CHECK(s.engine.tls_pending());
    CHECK(s.send("NOOP\r\n").empty());  // still before the handshake: discarded too
    CHECK(s.all<ViolationEvent>().empty());
    s.engine.handle_tls_started(s.now);
    s.drain();
    const auto v = s.all<ViolationEvent>();
    REQUIRE(v.size() == 1);
    CHECK(v[0].what.find("12 octets") == 0);
    CHECK(v[0].what.find("CVE-2011-0411") != std::string::npos);
    CHECK(v[0].rfc == "RFC 3207 §4.2");
    CHECK(s.engine.session().tls);
    CHECK(s.engine.session().helo_name.empty());
    CHECK(s.engine.state() == ServerState::Connected);
    CHECK(s.code("EHLO client.example") == 250);
    CHECK(s.engine.session().tls);
}

TEST_CASE("server: a clean STARTTLS reports no violation", "[smtp][server][tls]") {
    ServerConfig cfg;
    cfg.tls.offered = true;
    ServerSession s(cfg);
    s.greet();
    CHECK(s.code("STARTTLS") == 220);
    s.engine.handle_tls_started(s.now);
    s.drain();
    CHECK(s.all<ViolationEvent>().empty());
    CHECK(s.code("EHLO client.example") == 250);
}
