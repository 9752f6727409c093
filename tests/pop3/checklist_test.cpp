// checklist_test.cpp — the POP3 items P1–P15 of CONFORMANCE-CHECKLIST.md,
// each a test against the server engine (RFC 1939, RFC 2449, RFC 3206).
// P15 (STLS) is at the end; P16 is the autologout test.
#include <catch2/catch.hpp>

#include "core/md5.hpp"
#include "pop3/server_session.hpp"
#include "proto/pop3/limits.hpp"
#include "proto/pop3/response_parser.hpp"

using namespace postino;
using namespace postino::pop3;
using namespace postino::pop3::testing;

namespace {

const std::string kM1 = "From: bob@b.example\r\nTo: alice@a.example\r\nSubject: Ciao\r\n\r\nA presto!\r\n";
const std::string kM2 = "Subject: two\r\n\r\nline 1\r\nline 2\r\nline 3\r\n";

bool starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// Every CRLF line of `s`.
std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t nl = s.find("\r\n", pos);
        if (nl == std::string::npos) break;
        out.push_back(s.substr(pos, nl - pos));
        pos = nl + 2;
    }
    return out;
}

// The unstuffed body of a multi-line response.
std::string body_of(const std::string& response) {
    ResponseParser p;
    p.expect_multiline(true);
    const auto step = p.parse(response);
    REQUIRE(step.status == ResponseParser::Status::Complete);
    REQUIRE(step.consumed == response.size());
    return p.body();
}

}  // namespace

TEST_CASE("P1: greeting +OK, status words exactly +OK/-ERR, lines at most 512 octets", "[pop3][checklist]") {
    const std::string greeting = ServerSession{}.start();
    CHECK(starts(greeting, "+OK "));
    ServerSession t;
    t.policy.add_message("alice", kM1);
    std::string all = t.start();
    for (const char* c : {"XYZZY", "user alice", "PASS secret", "STAT", "LIST", "NOOP", "BAD", "QUIT"}) all += t.cmd(c);
    for (const auto& l : lines_of(all)) {
        CHECK(l.size() + 2 <= kMaxResponseLineOctets);
    }
    // Status lines start with exactly "+OK" or "-ERR", upper case.
    for (const auto& ev : t.events) {
        if (const auto* r = std::get_if<ResponseEvent>(&ev)) {
            CHECK((starts(r->raw_status, "+OK") || starts(r->raw_status, "-ERR")));
        }
    }
}

TEST_CASE("P2: commands are case-insensitive, an unknown command gets -ERR and the session stays", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.start();
    CHECK(s.cmd("XYZZY") == "-ERR unknown command\r\n");
    CHECK(s.engine->state() == ServerState::Authorization);
    CHECK(!s.engine->close_requested());
    CHECK(s.cmd("uSeR alice") == "+OK send PASS\r\n");
    CHECK(starts(s.cmd("pass secret"), "+OK"));
    CHECK(s.cmd("sTaT") == "+OK 1 70\r\n");
    CHECK(s.cmd("FOO BAR") == "-ERR unknown command\r\n");
    CHECK(s.engine->state() == ServerState::Transaction);
}

TEST_CASE("P3: states are enforced", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.start();
    for (const char* c : {"STAT", "LIST", "RETR 1", "DELE 1", "NOOP", "RSET", "TOP 1 1", "UIDL"}) {
        INFO(c);
        CHECK(starts(s.cmd(c), "-ERR"));
    }
    CHECK(s.policy.log().empty());  // nothing reached the maildrop
    s.login();
    REQUIRE(s.engine->state() == ServerState::Transaction);
    for (const char* c : {"USER alice", "PASS secret"}) {
        INFO(c);
        CHECK(starts(s.cmd(c), "-ERR"));
    }
    CHECK(s.engine->state() == ServerState::Transaction);
}

TEST_CASE("P4: a wrong PASS gets -ERR [AUTH] after the delay and stays in AUTHORIZATION, APOP", "[pop3][checklist]") {
    ServerSession s;
    s.start();
    s.cmd("USER alice");
    s.engine->handle_bytes(s.now, "PASS nope\r\n");
    CHECK(s.drain().empty());  // the response waits for the delay
    REQUIRE(s.engine->next_deadline() == s.now + kDefaultBadPasswordDelay);
    s.engine->handle_timeout(s.now + seconds(1));  // early: ignored
    CHECK(s.drain().empty());
    s.now += kDefaultBadPasswordDelay;
    s.engine->handle_timeout(s.now);
    CHECK(s.drain() == "-ERR [AUTH] invalid user name or password\r\n");
    CHECK(s.engine->state() == ServerState::Authorization);
    CHECK(starts(s.login(), "+OK"));

    // APOP only when the greeting has a timestamp, with MD5(timestamp + secret).
    ServerSession a;
    a.config.apop = true;
    a.config.session_tag = "42";
    a.now = seconds(1234);
    const std::string greeting = a.start();
    CHECK(greeting.find("<42.1234@pop.example>") != std::string::npos);
    CHECK(a.engine->apop_timestamp() == "<42.1234@pop.example>");
    CHECK(starts(a.cmd("APOP alice " + Md5::hex("<42.1234@pop.example>secret")), "+OK"));
    ServerSession b;
    b.start();
    CHECK(b.cmd("APOP alice " + Md5::hex("x")) == "-ERR APOP is not supported here\r\n");
}

TEST_CASE("P5: STAT is +OK n octets and excludes deleted messages", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.policy.add_message("alice", kM2);
    s.start();
    s.login();
    CHECK(s.cmd("STAT") == "+OK 2 " + std::to_string(kM1.size() + kM2.size()) + "\r\n");
    s.cmd("DELE 1");
    CHECK(s.cmd("STAT") == "+OK 1 " + std::to_string(kM2.size()) + "\r\n");
}

TEST_CASE("P6: LIST and LIST n, deleted or nonexistent messages get -ERR", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.policy.add_message("alice", kM2);
    s.start();
    s.login();
    CHECK(s.cmd("LIST 2") == "+OK 2 " + std::to_string(kM2.size()) + "\r\n");
    CHECK(starts(s.cmd("LIST 3"), "-ERR"));
    CHECK(starts(s.cmd("LIST 0"), "-ERR"));
    s.cmd("DELE 2");
    CHECK(starts(s.cmd("LIST 2"), "-ERR"));
    const std::string all = s.cmd("LIST");
    CHECK(body_of(all) == "1 " + std::to_string(kM1.size()) + "\r\n");
}

TEST_CASE("P7: the LIST size equals the octets RETR sends, CRLF counted", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.policy.add_message("alice", "bare\nLF\rand no final CRLF");
    s.policy.add_message("alice", ".dot\r\n..two\r\n");
    s.policy.add_message("alice", "");
    s.start();
    s.login();
    for (int n = 1; n <= 4; ++n) {
        INFO("message " << n);
        const std::string list = s.cmd("LIST " + std::to_string(n));
        const std::string retr = s.cmd("RETR " + std::to_string(n));
        const std::string size = list.substr(list.rfind(' ') + 1, list.size() - list.rfind(' ') - 3);
        CHECK(std::to_string(body_of(retr).size()) == size);
    }
}

TEST_CASE("P8: RETR is byte-stuffed and ends with .CRLF, lines starting with '.' round-trip", "[pop3][checklist]") {
    const std::string m = "Subject: x\r\n\r\n.\r\n.leading\r\n..\r\nmiddle . dot\r\n.\r\n";
    ServerSession s;
    s.policy.add_message("alice", m);
    s.start();
    s.login();
    const std::string r = s.cmd("RETR 1");
    CHECK(r == "+OK " + std::to_string(m.size()) + " octets\r\nSubject: x\r\n\r\n..\r\n..leading\r\n...\r\nmiddle . dot\r\n..\r\n.\r\n");
    CHECK(body_of(r) == m);
}

TEST_CASE("P9: DELE marks, RETR/DELE of a deleted message -ERR, RSET unmarks, NOOP +OK", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.start();
    s.login();
    CHECK(s.cmd("DELE 1") == "+OK message 1 deleted\r\n");
    CHECK(s.engine->marked_deleted(0));
    CHECK(starts(s.cmd("RETR 1"), "-ERR"));
    CHECK(starts(s.cmd("DELE 1"), "-ERR"));
    CHECK(starts(s.cmd("RSET"), "+OK"));
    CHECK(!s.engine->marked_deleted(0));
    CHECK(s.engine->state() == ServerState::Transaction);
    CHECK(starts(s.cmd("RETR 1"), "+OK"));
    CHECK(s.cmd("NOOP") == "+OK\r\n");
}

TEST_CASE("P10: QUIT enters UPDATE and removes deleted messages, a drop or QUIT in AUTHORIZATION deletes nothing",
          "[pop3][checklist]") {
    SECTION("QUIT in TRANSACTION") {
        ServerSession s;
        s.policy.add_message("alice", kM1);
        s.policy.add_message("alice", kM2);
        s.start();
        s.login();
        s.cmd("DELE 2");
        CHECK(s.policy.maildrop("alice").size() == 2);  // only marked so far
        CHECK(starts(s.cmd("QUIT"), "+OK"));
        REQUIRE(s.policy.maildrop("alice").size() == 1);
        CHECK(s.policy.maildrop("alice")[0].uidl == "1.1");
        CHECK(!s.policy.locked("alice"));
        CHECK(s.engine->close_requested());
    }
    SECTION("dropped connection") {
        ServerSession s;
        s.policy.add_message("alice", kM1);
        s.start();
        s.login();
        s.cmd("DELE 1");
        s.engine->handle_closed(s.now);
        s.drain();
        CHECK(s.policy.maildrop("alice").size() == 1);
        CHECK(!s.policy.locked("alice"));
        CHECK(s.policy.log() == std::vector<std::string>{"open alice 1", "release alice"});
    }
    SECTION("QUIT in AUTHORIZATION") {
        ServerSession s;
        s.policy.add_message("alice", kM1);
        s.start();
        s.cmd("USER alice");
        CHECK(starts(s.cmd("QUIT"), "+OK"));
        CHECK(s.policy.log().empty());
        CHECK(s.policy.maildrop("alice").size() == 1);
    }
}

TEST_CASE("P11: TOP n k returns the header, the blank line and k body lines, byte-stuffed", "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", "Subject: t\r\n\r\n.one\r\ntwo\r\nthree\r\n");
    s.start();
    s.login();
    CHECK(body_of(s.cmd("TOP 1 0")) == "Subject: t\r\n\r\n");
    const std::string two = s.cmd("TOP 1 2");
    CHECK(two == "+OK top of message follows\r\nSubject: t\r\n\r\n..one\r\ntwo\r\n.\r\n");
    CHECK(body_of(s.cmd("TOP 1 100")) == "Subject: t\r\n\r\n.one\r\ntwo\r\nthree\r\n");
}

TEST_CASE("P12: UIDL ids are 1-70 chars in 0x21-0x7E and stable across sessions", "[pop3][checklist]") {
    ScriptedPolicy shared;
    shared.add_user("alice", "secret");
    shared.add_message("alice", kM1);
    shared.add_message("alice", kM2);
    auto uidls = [&](bool delete_first) {
        ServerEngine e(ServerConfig{}, shared);
        e.start(Time{});
        e.handle_bytes(Time{}, "USER alice\r\nPASS secret\r\nUIDL\r\n");
        if (delete_first) e.handle_bytes(Time{}, "DELE 1\r\n");
        e.handle_bytes(Time{}, "QUIT\r\n");
        std::vector<std::string> ids;
        while (auto ev = e.poll_event()) {
            if (const auto* r = std::get_if<ResponseEvent>(&*ev); r && r->multiline) {
                ResponseParser p;
                p.expect_multiline(true);
                REQUIRE(p.parse(r->raw_status + r->raw_body).status == ResponseParser::Status::Complete);
                for (const auto& l : lines_of(p.body())) ids.push_back(l.substr(l.find(' ') + 1));
            }
        }
        return ids;
    };
    const auto first = uidls(true);
    REQUIRE(first.size() == 2);
    for (const auto& id : first) CHECK(valid_uidl(id));
    shared.add_message("alice", "Subject: new\r\n\r\n");
    const auto second = uidls(false);
    // Message 1 is gone; message 2 keeps its id; the new one has a new id.
    REQUIRE(second.size() == 2);
    CHECK(second[0] == first[1]);
    CHECK(second[1] != first[0]);
    CHECK(second[1] != first[1]);
    CHECK(!valid_uidl(""));
    CHECK(!valid_uidl(std::string(71, 'a')));
    CHECK(valid_uidl(std::string(70, '~')));
    CHECK(!valid_uidl("a b"));
}

TEST_CASE("P13: CAPA works before and after login and matches behaviour", "[pop3][checklist]") {
    for (bool top : {true, false}) {
        for (bool uidl : {true, false}) {
            ServerSession s;
            s.config.top = top;
            s.config.uidl = uidl;
            s.policy.add_message("alice", kM1);
            s.start();
            const std::string before = body_of(s.cmd("CAPA"));
            CHECK(before.find("USER\r\n") != std::string::npos);
            s.login();
            const std::string after = body_of(s.cmd("CAPA"));
            for (const std::string& c : {before, after}) {
                CHECK((c.find("TOP\r\n") != std::string::npos) == top);
                CHECK((c.find("UIDL\r\n") != std::string::npos) == uidl);
                CHECK(c.find("RESP-CODES\r\n") != std::string::npos);
                CHECK(c.find("PIPELINING\r\n") != std::string::npos);
            }
            CHECK(starts(s.cmd("TOP 1 0"), top ? "+OK" : "-ERR"));
            CHECK(starts(s.cmd("UIDL 1"), uidl ? "+OK" : "-ERR"));
            // PIPELINING: two commands in one write, two responses in order.
            s.engine->handle_bytes(s.now, "NOOP\r\nSTAT\r\n");
            CHECK(s.drain() == "+OK\r\n+OK 1 70\r\n");
        }
    }
}

TEST_CASE("P14: commands up to 255 octets are accepted, [IN-USE], [AUTH] and [SYS/TEMP] codes", "[pop3][checklist]") {
    ServerSession s;
    s.start();
    const std::string user = std::string(255 - 7, 'u');  // "USER " + name + CRLF = 255
    CHECK(s.cmd("USER " + user) == "+OK send PASS\r\n");
    CHECK(starts(s.cmd("USER " + user + "u"), "-ERR command line too long"));
    CHECK(s.engine->state() == ServerState::Authorization);
    s.cmd("USER alice");
    CHECK(s.cmd("PASS bad") == "-ERR [AUTH] invalid user name or password\r\n");

    ServerSession locked;
    locked.policy.in_use.insert("alice");
    locked.start();
    CHECK(locked.login() == "-ERR [IN-USE] alice's maildrop is locked by another session\r\n");
    CHECK(locked.engine->auth_failures() == 0);

    ServerSession failing;
    failing.policy.open_fails.insert("alice");
    failing.start();
    CHECK(starts(failing.login(), "-ERR [SYS/TEMP]"));

    // A second session of the same user finds the lock of the first.
    ScriptedPolicy shared;
    shared.add_user("alice", "secret");
    ServerEngine one(ServerConfig{}, shared), two(ServerConfig{}, shared);
    one.start(Time{});
    two.start(Time{});
    one.handle_bytes(Time{}, "USER alice\r\nPASS secret\r\n");
    two.handle_bytes(Time{}, "USER alice\r\nPASS secret\r\n");
    (void)one.poll_output();
    CHECK(two.poll_output().find("-ERR [IN-USE]") != std::string::npos);
    one.handle_bytes(Time{}, "QUIT\r\n");
    CHECK(!shared.locked("alice"));
}

TEST_CASE("P16: the autologout timer is at least 10 minutes and closes without UPDATE or response",
          "[pop3][checklist]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.start();
    s.login();
    s.cmd("DELE 1");
    const auto d = s.engine->next_deadline();
    REQUIRE(d);
    CHECK(*d - s.now >= kMinAutologout);
    s.engine->handle_timeout(*d - nanoseconds(1));
    CHECK(!s.engine->close_requested());
    s.engine->handle_timeout(*d);
    CHECK(s.drain().empty());
    CHECK(s.engine->close_requested());
    CHECK(s.policy.maildrop("alice").size() == 1);
    CHECK(!s.policy.locked("alice"));
    // A shorter timer is a reported deviation.
    ServerSession short_timer;
    short_timer.config.autologout = minutes(1);
    short_timer.start();
    bool reported = false;
    for (const auto& ev : short_timer.events) {
        if (const auto* v = std::get_if<ViolationEvent>(&ev)) reported = v->rfc == "RFC 1939 §3";
    }
    CHECK(reported);
}

TEST_CASE("pop3 server: a host that never drains is cut off, without UPDATE, and a large write is read whole",
          "[pop3][server]") {
    ServerSession s;
    s.policy.add_message("alice", kM1);
    s.start();
    s.login();
    s.cmd("DELE 1");
    // 100 000 pipelined RETRs in one write: answered until the output high
    // water mark, then the rest waits; nothing is lost or unbounded.
    std::string many;
    for (int i = 0; i < 100'000; ++i) many += "RETR 1\r\n";
    s.engine->handle_bytes(s.now, many);
    CHECK(s.engine->buffered_octets() <= kMaxBufferedInput + kOutputHighWater + kMaxCommandOctets);
    const std::string out = s.drain();
    CHECK(out.find("-ERR message 1 is deleted") != std::string::npos);
    CHECK(!s.engine->close_requested());
    // Feeding more than kMaxBufferedInput while never draining ends the session.
    ServerSession t;
    t.policy.add_message("alice", kM1);
    t.start();
    t.login();
    t.cmd("DELE 1");
    std::string chunk;
    for (int i = 0; i < 10'000; ++i) chunk += "LIST\r\n";
    for (int i = 0; i < 100 && !t.engine->close_requested(); ++i) t.engine->handle_bytes(t.now, chunk);
    CHECK(t.engine->close_requested());
    CHECK(t.engine->buffered_octets() <= 2 * kMaxBufferedInput);
    t.drain();
    CHECK(t.policy.maildrop("alice").size() == 1);
    CHECK(!t.policy.locked("alice"));
}

TEST_CASE("P15: STLS gets +OK then TLS, CAPA no longer lists STLS, pipelined plaintext is discarded",
          "[pop3][checklist]") {
    ServerSession s;
    s.config.tls.offered = true;
    s.start();
    CHECK(s.cmd("CAPA").find("\r\nSTLS\r\n") != std::string::npos);
    s.engine->handle_bytes(s.now, "STLS\r\nUSER alice\r\nPASS secret\r\n");  // injected behind STLS
    CHECK(s.drain() == "+OK Begin TLS negotiation\r\n");
    CHECK(s.engine->tls_pending());
    s.engine->handle_tls_started(s.now);
    s.drain();
    CHECK(s.engine->tls_active());
    CHECK(s.engine->state() == ServerState::Authorization);
    bool reported = false;
    for (const auto& e : s.events) {
        if (const auto* v = std::get_if<ViolationEvent>(&e)) {
            reported = reported || (v->what.find("CVE-2011-0411") != std::string::npos && v->rfc == "RFC 2595 §4");
        }
    }
    CHECK(reported);
    CHECK(s.cmd("CAPA").find("STLS") == std::string::npos);
    CHECK(s.cmd("PASS secret") == "-ERR send USER first\r\n");  // the injected USER was never read
    CHECK(starts(s.login(), "+OK alice's maildrop"));
}
