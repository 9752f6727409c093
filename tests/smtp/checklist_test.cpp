// checklist_test.cpp — the SMTP items S1–S25 of the conformance checklist
// (CONFORMANCE-CHECKLIST.md, SMTP section) that apply to a server, exercised against
// the server engine. S26–S27 (STARTTLS) are at the end; S28–S29 (timeouts,
// Received:) are covered elsewhere (server-timeout.txt for S28).
#include <catch2/catch.hpp>

#include <string>

#include "proto/smtp/limits.hpp"
#include "smtp/server_session.hpp"

using namespace postino::smtp;
using namespace postino::smtp::testing;

namespace {

// A greeted session with a transaction open for alice → bob.
void open_transaction(ServerSession& s) {
    s.greet();
    REQUIRE(s.code("MAIL FROM:<alice@a.example>") == 250);
    REQUIRE(s.code("RCPT TO:<bob@b.example>") == 250);
}

std::vector<MessageEvent> accepted(const ServerSession& s) {
    std::vector<MessageEvent> out;
    for (const auto& m : s.all<MessageEvent>()) {
        if (m.accepted) out.push_back(m);
    }
    return out;
}

}  // namespace

TEST_CASE("S1: the first reply is 220 (or 554) and every line is ddd[-| ]text CRLF", "[smtp][checklist]") {
    ServerSession s;
    const Reply g = s.start();
    CHECK(g.code == 220);
    CHECK(g.lines[0].rfind("mx.example ", 0) == 0);  // §4.2: the greeting starts with the domain
    ServerSession refused;
    REQUIRE(refused.policy.configure("connect", "refuse").ok());
    CHECK(refused.start().code == 554);
    // ServerSession reads every reply through the strict parser: syntax is checked throughout.
}

TEST_CASE("S2: multiline replies repeat the code and end with `code SP`", "[smtp][checklist]") {
    ServerSession s;
    s.start();
    s.engine.handle_bytes(s.now, "EHLO client.example\r\n");
    std::string raw;
    while (auto e = s.engine.poll_event()) {
        if (auto* r = std::get_if<ReplyEvent>(&*e)) raw = r->raw;
    }
    CHECK(raw ==
          "250-mx.example Hello client.example\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-8BITMIME\r\n"
          "250-ENHANCEDSTATUSCODES\r\n250 HELP\r\n");
}

TEST_CASE("S3: EHLO multiline 250, HELO single 250, no argument 501", "[smtp][checklist]") {
    ServerSession s;
    s.start();
    CHECK(s.cmd("EHLO client.example").lines.size() > 1);
    CHECK(s.cmd("HELO client.example").lines.size() == 1);
    CHECK(s.code("EHLO") == 501);
    CHECK(s.code("HELO") == 501);
    CHECK_FALSE(s.closed());
}

TEST_CASE("S4: verbs and keywords are case-insensitive", "[smtp][checklist]") {
    ServerSession s;
    s.start();
    CHECK(s.code("eHlO client.example") == 250);
    CHECK(s.code("mail from:<a@a.example> size=10 body=8bitmime") == 250);
    CHECK(s.code("RcPt To:<b@b.example>") == 250);
    CHECK(s.code("noop") == 250);
}

TEST_CASE("S5: unknown 500, unimplemented 502, bad argument 501/504, connection stays", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("XYZZY") == 500);
    CHECK(s.code("EXPN list") == 502);
    CHECK(s.code("TURN") == 502);
    CHECK(s.code("MAIL TO:<a@b.example>") == 501);
    CHECK(s.code("HELP nothing") == 504);
    CHECK(s.code("MAIL FROM:<a@a.example> BODY=BINARYMIME") == 504);
    CHECK_FALSE(s.closed());
    CHECK(s.code("NOOP") == 250);
}

TEST_CASE("S6: sequence errors are 503 (or 554), state unchanged after a 501", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("RCPT TO:<b@b.example>") == 503);
    CHECK(s.code("DATA") == 503);
    CHECK(s.code("MAIL FROM:<a@a.example>") == 250);
    CHECK(s.code("MAIL FROM:<a@a.example>") == 503);
    CHECK(s.code("DATA") == 503);
    CHECK(s.code("RCPT TO:<<bad>>") == 501);
    CHECK(s.engine.state() == ServerState::Mail);
    CHECK(s.code("RCPT TO:<b@b.example>") == 250);
    CHECK(s.engine.state() == ServerState::Rcpt);
    CHECK(s.code("RCPT TO:b@b.example") == 501);
    CHECK(s.engine.state() == ServerState::Rcpt);
    CHECK(s.engine.envelope().recipients.size() == 1);
    // DATA after every RCPT was refused: 554.
    ServerSession t;
    REQUIRE(t.policy.configure("users", "bob@b.example").ok());
    t.greet();
    CHECK(t.code("MAIL FROM:<a@a.example>") == 250);
    CHECK(t.code("RCPT TO:<nobody@b.example>") == 550);
    CHECK(t.code("DATA") == 554);
}

TEST_CASE("S7: a repeated EHLO resets the transaction", "[smtp][checklist]") {
    ServerSession s;
    open_transaction(s);
    CHECK(s.code("EHLO client.example") == 250);
    CHECK(s.engine.envelope().recipients.empty());
    CHECK(s.engine.state() == ServerState::Ready);
    CHECK(s.code("RCPT TO:<b@b.example>") == 503);
}

TEST_CASE("S8: MAIL FROM:<> is accepted", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("MAIL FROM:<>") == 250);
    CHECK(s.engine.envelope().sender.empty());
}

TEST_CASE("S9: RCPT TO:<postmaster> without a domain, any case, is accepted", "[smtp][checklist]") {
    ServerSession s;
    REQUIRE(s.policy.configure("local-domains", "b.example").ok());
    REQUIRE(s.policy.configure("users", "bob@b.example").ok());
    s.greet();
    CHECK(s.code("MAIL FROM:<>") == 250);
    for (const char* pm : {"postmaster", "POSTMASTER", "pOsTmAsTeR"}) {
        CHECK(s.code(std::string("RCPT TO:<") + pm + ">") == 250);
    }
}

TEST_CASE("S10: at least 100 recipients, too many is 452, not 552", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("MAIL FROM:<a@a.example>") == 250);
    for (std::size_t i = 0; i < kMinRecipientsBuffer; ++i) {
        REQUIRE(s.code("RCPT TO:<u" + std::to_string(i) + "@b.example>") == 250);
    }
    const Reply r = s.cmd("RCPT TO:<one-too-many@b.example>");
    CHECK(r.code == 452);
    CHECK(r.enhanced == "4.5.3");
    CHECK(s.engine.envelope().recipients.size() == kMinRecipientsBuffer);
}

TEST_CASE("S11: a 5xx RCPT does not abort the transaction", "[smtp][checklist]") {
    ServerSession s;
    REQUIRE(s.policy.configure("users", "bob@b.example").ok());
    s.greet();
    CHECK(s.code("MAIL FROM:<a@a.example>") == 250);
    CHECK(s.code("RCPT TO:<x@b.example>") == 550);
    CHECK(s.code("RCPT TO:<bob@b.example>") == 250);
    CHECK(s.code("DATA") == 354);
    CHECK(s.send("hi\r\n.\r\n")[0].code == 250);
    REQUIRE(accepted(s).size() == 1);
    CHECK(accepted(s)[0].envelope.recipients.size() == 1);
}

TEST_CASE("S12: DATA 354, only CRLF.CRLF ends, 250 means responsibility taken", "[smtp][checklist]") {
    ServerSession s;
    open_transaction(s);
    CHECK(s.code("DATA") == 354);
    CHECK(s.send("line\r\n. \r\n.x\r\n").empty());  // ". " and ".x" are not the end
    const auto r = s.send("\r\n.\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 250);
    REQUIRE(accepted(s).size() == 1);
    CHECK(accepted(s)[0].queue_id == "Q1");
    CHECK(accepted(s)[0].content == "line\r\n \r\nx\r\n\r\n");
}

TEST_CASE("S13: dot-stuffing is removed", "[smtp][checklist]") {
    ServerSession s;
    open_transaction(s);
    CHECK(s.code("DATA") == 354);
    s.send("..x\r\n...\r\n.\r\n");
    REQUIRE(accepted(s).size() == 1);
    CHECK(accepted(s)[0].content == ".x\r\n..\r\n");
}

TEST_CASE("S14: smuggling sequences do not end DATA and no second message appears", "[smtp][checklist]") {
    using namespace std::string_literals;
    for (const std::string& fake : {"\n.\n"s, "\n.\r\n"s, "\r.\r\n"s, "\r\n\0.\r\n"s}) {
        ServerSession s;
        open_transaction(s);
        CHECK(s.code("DATA") == 354);
        const auto r = s.send("a" + fake + "MAIL FROM:<e@evil.example>\r\nRCPT TO:<b@b.example>\r\nDATA\r\nx\r\n.\r\n");
        REQUIRE(r.size() == 1);  // one reply: the whole thing was one message
        CHECK(r[0].code == 554);
        CHECK(s.all<MessageEvent>().size() == 1);
        CHECK(accepted(s).empty());
    }
}

TEST_CASE("S15: a bare CR or LF is rejected, or normalized when so configured", "[smtp][checklist]") {
    ServerSession strict;
    open_transaction(strict);
    strict.cmd("DATA");
    CHECK(strict.send("a\nb\r\n.\r\n")[0].code == 554);
    ServerConfig cfg;
    cfg.leniency.line_ends = LineEndMode::Normalize;
    ServerSession norm(cfg);
    open_transaction(norm);
    norm.cmd("DATA");
    CHECK(norm.send("a\nb\rc\r\n.\r\n")[0].code == 250);
    CHECK(accepted(norm)[0].content == "a\r\nb\r\nc\r\n");
}

TEST_CASE("S16: limits: 512-octet command, 1000-octet line, 64/255/256, >= 64 KiB message", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("NOOP " + std::string(kMaxCommandLineOctets - 7, 'x')) == 250);
    CHECK(s.code("NOOP " + std::string(kMaxCommandLineOctets - 6, 'x')) == 500);
    CHECK(s.code("MAIL FROM:<" + std::string(64, 'l') + "@a.example>") == 250);
    CHECK(s.code("RCPT TO:<" + std::string(65, 'l') + "@b.example>") == 501);
    CHECK(s.code("RCPT TO:<b@b.example>") == 250);
    CHECK(s.code("DATA") == 354);
    std::string big;
    while (big.size() < 70 * 1024)
        big += std::string(998, 'm') + "\r\n";
    const auto r = s.send(big + ".\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 250);
    CHECK(accepted(s)[0].content.size() == big.size());
    // Every reply line the server ever wrote was within 512 octets (the
    // parser in ServerSession enforces §4.5.3.1.5).
    CHECK_FALSE(s.closed());
}

TEST_CASE("S17: RSET clears the envelope, NOOP with an argument is 250", "[smtp][checklist]") {
    ServerSession s;
    open_transaction(s);
    CHECK(s.code("RSET") == 250);
    CHECK(s.engine.envelope().recipients.empty());
    CHECK(s.engine.envelope().sender.empty());
    CHECK(s.code("DATA") == 503);
    CHECK(s.code("NOOP whatever you like") == 250);
}

TEST_CASE("S18: VRFY is 252 unless the address was verified", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("VRFY bob") == 252);
    ServerSession v;
    REQUIRE(v.policy.configure("vrfy", "verify").ok());
    v.greet();
    CHECK(v.code("VRFY bob@b.example") == 250);
}

TEST_CASE("S19: QUIT gets 221 then close, otherwise only 421 or a timeout closes", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("XYZZY") == 500);
    CHECK_FALSE(s.closed());
    CHECK(s.code("QUIT") == 221);
    CHECK(s.closed());
    const auto closes = s.all<CloseEvent>();
    REQUIRE(closes.size() == 1);
    CHECK(closes[0].by_engine);
    CHECK(s.send("NOOP\r\n").empty());  // nothing is read after QUIT
}

TEST_CASE("S20: an unknown MAIL or RCPT parameter is 555", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("MAIL FROM:<a@a.example> X-UNKNOWN=1") == 555);
    CHECK(s.code("MAIL FROM:<a@a.example>") == 250);
    CHECK(s.code("RCPT TO:<b@b.example> ORCPT=rfc822;b@b.example") == 555);
}

TEST_CASE("S21: pipelined MAIL + RCPTs + DATA in one write are all answered in order", "[smtp][checklist]") {
    ServerSession s;
    REQUIRE(s.policy.configure("users", "b@b.example,c@b.example").ok());
    s.greet();
    const auto r = s.send(
        "MAIL FROM:<a@a.example>\r\nRCPT TO:<b@b.example>\r\nRCPT TO:<x@b.example>\r\n"
        "RCPT TO:<c@b.example>\r\nDATA\r\n");
    REQUIRE(r.size() == 5);
    CHECK(r[0].code == 250);
    CHECK(r[1].code == 250);
    CHECK(r[2].code == 550);
    CHECK(r[3].code == 250);
    CHECK(r[4].code == 354);
}

TEST_CASE("S23: SIZE above the limit is 552 at MAIL, and oversized data 552", "[smtp][checklist]") {
    ServerConfig cfg;
    cfg.max_message_octets = kMinMessageSizeLimit;
    ServerSession s(cfg);
    s.greet();
    CHECK(s.code("MAIL FROM:<a@a.example> SIZE=" + std::to_string(kMinMessageSizeLimit + 1)) == 552);
    CHECK(s.code("MAIL FROM:<a@a.example> SIZE=100") == 250);
    CHECK(s.code("RCPT TO:<b@b.example>") == 250);
    CHECK(s.code("DATA") == 354);
    std::string big;
    while (big.size() <= kMinMessageSizeLimit)
        big += std::string(78, 'z') + "\r\n";
    const auto r = s.send(big + ".\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 552);
    CHECK(r[0].enhanced == "5.3.4");
}

TEST_CASE("S24: BODY=8BITMIME and BODY=7BIT accepted, bogus BODY 501", "[smtp][checklist]") {
    ServerSession s;
    s.greet();
    CHECK(s.code("MAIL FROM:<a@a.example> BODY=8BITMIME") == 250);
    CHECK(s.code("RSET") == 250);
    CHECK(s.code("MAIL FROM:<a@a.example> BODY=7BIT") == 250);
    CHECK(s.code("RSET") == 250);
    CHECK(s.code("MAIL FROM:<a@a.example> BODY=UTF8") == 501);
}

TEST_CASE("S25: every 2xx/4xx/5xx but the greeting and EHLO carries a matching c.s.d", "[smtp][checklist]") {
    ServerSession s;
    REQUIRE(s.policy.configure("users", "b@b.example").ok());
    s.greet();
    for (const char* c : {"NOOP", "XYZZY", "EXPN x", "RCPT TO:<b@b.example>", "MAIL FROM:<a@a.example> SIZE=x",
                          "MAIL FROM:<a@a.example>", "RCPT TO:<b@b.example>", "RCPT TO:<x@b.example>",
                          "RCPT TO:<y@c.example> FOO", "VRFY b", "HELP", "HELP MAIL", "RSET", "QUIT"}) {
        const Reply r = s.cmd(c);
        INFO(c << " -> " << r.code);
        CHECK(enhanced_matches(r.code, r.enhanced));
    }
}

namespace {

bool lists(const Reply& r, const std::string& keyword) {
    for (const auto& l : r.lines) {
        if (l == keyword) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("S26: STARTTLS gets 220, with an argument 501, and resets the session", "[smtp][checklist]") {
    ServerConfig cfg;
    cfg.tls.offered = true;
    ServerSession s(cfg);
    REQUIRE(s.start().code == 220);
    CHECK(lists(s.cmd("EHLO client.example"), "STARTTLS"));
    CHECK(s.code("STARTTLS x") == 501);
    CHECK(s.code("MAIL FROM:<alice@a.example>") == 250);
    CHECK(s.code("STARTTLS") == 503);  // not inside a transaction
    CHECK(s.code("RSET") == 250);
    CHECK(s.code("STARTTLS") == 220);
    s.engine.handle_tls_started(s.now);
    CHECK(s.code("MAIL FROM:<alice@a.example>") == 503);  // EHLO again first
    const Reply again = s.cmd("EHLO client.example");
    CHECK(again.code == 250);
    CHECK_FALSE(lists(again, "STARTTLS"));
    CHECK(s.code("MAIL FROM:<alice@a.example>") == 250);
}

TEST_CASE("S27: a NOOP in the same write as STARTTLS is never answered", "[smtp][checklist]") {
    ServerConfig cfg;
    cfg.tls.offered = true;
    ServerSession s(cfg);
    s.greet();
    const auto r = s.send("STARTTLS\r\nNOOP\r\n");
    REQUIRE(r.size() == 1);
    CHECK(r[0].code == 220);
    s.engine.handle_tls_started(s.now);
    CHECK(s.drain().empty());
    CHECK(s.code("NOOP") == 250);  // one reply: to this NOOP, the injected one is gone
}
