// checklist_test.cpp — the IMAP items of the conformance checklist
// (../shared/docs/CONFORMANCE-CHECKLIST.md, I1–I30 and I32) as tests against
// the server engine, several sessions sharing one store where the item is
// about sessions seeing each other.
#include <catch2/catch.hpp>

#include "imap/session.hpp"
#include "proto/imap/mailbox_name.hpp"

using namespace postino;
using namespace postino::imap;
using namespace postino::imap::testing;

TEST_CASE("I1 greeting is OK with IMAP4rev1, LOGINDISABLED while plaintext is barred", "[imap][checklist]") {
    World w;
    Session s(w);
    CHECK(s.greeting().rfind("* OK [CAPABILITY IMAP4rev1 ", 0) == 0);
    CHECK(has(s.send("a CAPABILITY"), "* CAPABILITY IMAP4rev1 "));
    ServerConfig barred;
    barred.allow_plaintext_login = false;
    Session b(w, barred);
    const auto caps = b.send("a CAPABILITY");
    CHECK(has(caps, " LOGINDISABLED"));
    CHECK_FALSE(has(caps, "AUTH=PLAIN"));
    CHECK(has(b.send("b LOGIN alice secret"), "b NO "));
}

TEST_CASE("I2 exactly one tagged response per command, with its tag", "[imap][checklist]") {
    World w;
    w.add(msg("one"));
    Session s(w);
    const auto out = s.raw("t1 LOGIN alice secret\r\nt2 SELECT INBOX\r\nt3 FETCH 1 FLAGS\r\nt4 BOGUS\r\nt5 NOOP\r\n");
    for (const char* t : {"t1", "t2", "t3", "t4", "t5"}) {
        INFO(t);
        CHECK(count(out, "\r\n" + std::string(t) + " ") + (out.rfind(std::string(t) + " ", 0) == 0 ? 1 : 0) == 1);
    }
    CHECK(out.find("t2 OK") < out.find("t3 OK"));
}

TEST_CASE("I3 garbage is BAD, a command in the wrong state is BAD, the connection survives", "[imap][checklist]") {
    World w;
    Session s(w);
    CHECK(has(s.send("a1 FETCH 1 FLAGS"), "a1 BAD"));
    CHECK(has(s.send("%%%"), "* BAD"));
    CHECK(has(s.send("a2 LOGIN"), "a2 BAD"));
    s.login();
    CHECK(has(s.send("a3 EXPUNGE"), "a3 BAD No mailbox selected"));
    CHECK(has(s.send("a4 NOOP"), "a4 OK"));
    CHECK_FALSE(s.engine().close_requested());
}

TEST_CASE("I4 a synchronizing literal gets + and exactly n octets are read, CRLF included", "[imap][checklist]") {
    World w;
    Session s(w);
    s.login();
    CHECK(s.send("a APPEND INBOX {7}") == "+ Ready for literal data\r\n");
    CHECK(s.raw("x\r\n") == "");  // 3 of 7 octets: still waiting
    CHECK(has(s.raw("y\r\nz\r\n"), "a OK Append completed"));
    CHECK(w.store.find("alice")->folders["INBOX"].messages.at(0).bytes == "x\r\ny\r\nz");
}

TEST_CASE("I5 a non-synchronizing literal needs no +", "[imap][checklist]") {
    World w;
    Session s(w);
    CHECK(has(s.greeting(), "LITERAL+"));
    const auto out = s.raw("a LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n");
    CHECK(out.rfind("+ ", 0) != 0);
    CHECK_FALSE(has(out, "\r\n+ "));
    CHECK(has(out, "a OK"));
}

TEST_CASE("I6 quoted strings with escapes work, atom-specials in atoms are rejected", "[imap][checklist]") {
    World w;
    w.store.add_account("q\"b\\", "p w");
    Session s(w);
    CHECK(has(s.send("a LOGIN \"q\\\"b\\\\\" \"p w\""), "a OK"));
    Session t(w);
    CHECK(has(t.send("b LOGIN ali(ce secret"), "b BAD"));
    CHECK(has(t.send("c LOGIN ali{ce secret"), "c BAD"));
}

TEST_CASE("I7 LOGIN is OK with good credentials and NO with bad ones", "[imap][checklist]") {
    World w;
    Session s(w);
    CHECK(has(s.send("a LOGIN alice wrong"), "a NO [AUTHENTICATIONFAILED]"));
    CHECK(has(s.send("b LOGIN nobody secret"), "b NO [AUTHENTICATIONFAILED]"));
    CHECK(has(s.send("c LOGIN alice secret"), "c OK"));
    CHECK(s.engine().state() == ServerState::Authenticated);
}

TEST_CASE("I8 SELECT reports FLAGS EXISTS RECENT PERMANENTFLAGS UIDVALIDITY UIDNEXT, UNSEEN only with unseen mail", "[imap][checklist]") {
    World w;
    w.add(msg("a"), {"\\Seen"});
    Session s(w);
    s.login();
    auto out = s.send("a SELECT INBOX");
    for (const char* want : {"* FLAGS (", "* 1 EXISTS", "* 1 RECENT", "[PERMANENTFLAGS (", "[UIDVALIDITY 1]",
                             "[UIDNEXT 2]", "a OK [READ-WRITE]"})
        CHECK(has(out, want));
    CHECK_FALSE(has(out, "UNSEEN"));  // erratum 3032
    w.add(msg("b"));
    out = s.send("b SELECT INBOX");
    CHECK(has(out, "* OK [UNSEEN 2]"));
}

TEST_CASE("I9 EXAMINE is READ-ONLY and never changes flags, a failed SELECT deselects", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    Session s(w);
    s.login();
    CHECK(has(s.send("a EXAMINE INBOX"), "a OK [READ-ONLY]"));
    s.send("b FETCH 1 BODY[]");
    CHECK(w.store.find("alice")->folders["INBOX"].messages[0].flags.empty());
    CHECK(has(s.send("c STORE 1 +FLAGS (\\Seen)"), "c NO"));
    CHECK(has(s.send("d SELECT Nowhere"), "d NO"));
    CHECK(s.engine().state() == ServerState::Authenticated);
    CHECK(has(s.send("e FETCH 1 FLAGS"), "e BAD"));
}

TEST_CASE("I10 STATUS agrees with SELECT", "[imap][checklist]") {
    World w;
    w.add(msg("a"), {"\\Seen"});
    w.add(msg("b"));
    Session s(w);
    s.login();
    const auto st = s.send("a STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN)");
    CHECK(has(st, "* STATUS INBOX (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 1 UNSEEN 1)"));
    const auto sel = s.send("b SELECT INBOX");
    CHECK(has(sel, "* 2 EXISTS"));
    CHECK(has(sel, "[UIDNEXT 3]"));
    CHECK(has(sel, "[UIDVALIDITY 1]"));
}

TEST_CASE("I11 RFC822.SIZE equals the length of BODY[], the macros work", "[imap][checklist]") {
    World w;
    const std::string m = msg("size", "exactly this");
    w.add(m);
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    auto out = s.send("b FETCH 1 (RFC822.SIZE BODY.PEEK[])");
    CHECK(has(out, "RFC822.SIZE " + std::to_string(m.size())));
    CHECK(has(out, "BODY[] {" + std::to_string(m.size()) + "}\r\n" + m));
    out = s.send("c FETCH 1 FAST");
    CHECK(has(out, "FLAGS ("));
    CHECK(has(out, "INTERNALDATE \"01-Jan-2024 00:00:00 +0000\""));
    CHECK(has(s.send("d FETCH 1 ALL"), "ENVELOPE ("));
    CHECK(has(s.send("e FETCH 1 FULL"), "BODY (\"text\" \"plain\""));
}

TEST_CASE("I12 ENVELOPE has ten fields, NIL where absent, sender and reply-to default to from", "[imap][checklist]") {
    World w;
    w.add("From: Bob <bob@b.example>\r\nSubject: x\r\n\r\nbody\r\n");
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    const auto out = s.send("b FETCH 1 ENVELOPE");
    CHECK(has(out, "ENVELOPE (NIL \"x\" ((\"Bob\" NIL \"bob\" \"b.example\")) ((\"Bob\" NIL \"bob\" \"b.example\")) "
                   "((\"Bob\" NIL \"bob\" \"b.example\")) NIL NIL NIL NIL NIL)"));
}

TEST_CASE("I15 BODY[] sets \\Seen and reports FLAGS, BODY.PEEK does not", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    CHECK_FALSE(has(s.send("b FETCH 1 BODY.PEEK[TEXT]"), "\\Seen"));
    CHECK(w.store.find("alice")->folders["INBOX"].messages[0].flags.empty());
    CHECK(has(s.send("c FETCH 1 BODY[TEXT]"), "FLAGS (\\Seen \\Recent)"));
    CHECK(w.store.find("alice")->folders["INBOX"].messages[0].flags == std::vector<std::string>{"\\Seen"});
}

TEST_CASE("I17 UIDs strictly ascend and UIDVALIDITY changes when a name is reused", "[imap][checklist]") {
    World w;
    Session s(w);
    s.login();
    s.send("a CREATE Box");
    s.raw("b APPEND Box {1+}\r\nx\r\n");
    const auto first = s.send("c STATUS Box (UIDVALIDITY UIDNEXT)");
    s.send("d DELETE Box");
    s.send("e CREATE Other");
    s.raw("f APPEND Other {1+}\r\ny\r\n");
    s.send("g RENAME Other Box");  // the rename-over test
    const auto second = s.send("h STATUS Box (UIDVALIDITY UIDNEXT)");
    CHECK(has(first, "UIDVALIDITY 2 UIDNEXT 2"));
    CHECK(has(second, "UIDNEXT 2"));
    CHECK_FALSE(has(second, "UIDVALIDITY 2 "));
    // Expunging the last message never lets its UID come back.
    s.send("i SELECT Box");
    s.send("j STORE 1 +FLAGS (\\Deleted)");
    s.send("k EXPUNGE");
    s.raw("l APPEND Box {1+}\r\nz\r\n");
    CHECK(has(s.send("m UID FETCH * UID"), "UID 2)"));
}

TEST_CASE("I18 concurrent +FLAGS from two sessions both survive, .SILENT echoes nothing", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    Session s1(w), s2(w);
    s1.login();
    s2.login();
    s1.send("a SELECT INBOX");
    s2.send("a SELECT INBOX");
    CHECK(has(s1.send("b STORE 1 +FLAGS (\\Flagged)"), "* 1 FETCH (FLAGS (\\Flagged"));
    // s2 hears of s1's change (an unsolicited FETCH), but .SILENT sends no echo of its own.
    const auto silent = s2.send("b STORE 1 +FLAGS.SILENT (\\Answered)");
    CHECK(silent == "* 1 FETCH (FLAGS (\\Flagged))\r\nb OK Store completed\r\n");
    CHECK(w.store.find("alice")->folders["INBOX"].messages[0].flags ==
          std::vector<std::string>{"\\Answered", "\\Flagged"});
    CHECK(has(s1.send("c NOOP"), "* 1 FETCH (FLAGS (\\Answered \\Flagged"));
}

TEST_CASE("I19 a new keyword appears in FLAGS before a FETCH uses it", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    Session s1(w), s2(w);
    s1.login();
    s2.login();
    CHECK(has(s1.send("a SELECT INBOX"), "\\*)]"));
    s2.send("a SELECT INBOX");
    s2.send("b STORE 1 +FLAGS ($Later)");
    const auto out = s1.send("c NOOP");
    const auto flags = out.find("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Later)");
    const auto fetch = out.find("* 1 FETCH (FLAGS ($Later");
    REQUIRE(flags != std::string::npos);
    REQUIRE(fetch != std::string::npos);
    CHECK(flags < fetch);
}

TEST_CASE("I20 SEARCH: unknown charset is NO [BADCHARSET]", "[imap][checklist]") {
    World w;
    w.add(msg("Quarterly report"), {"\\Seen"});
    w.add(msg("lunch"));
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    CHECK(has(s.send("b SEARCH OR SUBJECT REPORT UNSEEN"), "* SEARCH 1 2\r\n"));
    CHECK(has(s.send("c SEARCH NOT SEEN"), "* SEARCH 2\r\n"));
    CHECK(has(s.send("d SEARCH CHARSET X-UNKNOWN ALL"), "d NO [BADCHARSET"));
}

TEST_CASE("I21 EXPUNGE sends one n EXPUNGE per message, renumbering as it goes", "[imap][checklist]") {
    World w;
    for (int i = 0; i < 5; ++i) w.add(msg("m" + std::to_string(i)), i % 2 == 0 ? std::vector<std::string>{"\\Deleted"} : std::vector<std::string>{});
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    const auto out = s.send("b EXPUNGE");
    // Messages 1, 3 and 5 go: 1, then old 3 is now 2, then old 5 is now 3.
    CHECK(out == "* 1 EXPUNGE\r\n* 2 EXPUNGE\r\n* 3 EXPUNGE\r\nb OK Expunge completed\r\n");
    CHECK(s.engine().exists() == 2);
}

TEST_CASE("I22 no EXPUNGE during FETCH, STORE or SEARCH, other sessions see it on NOOP or CHECK", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    w.add(msg("b"));
    Session s1(w), s2(w);
    s1.login();
    s2.login();
    s1.send("a SELECT INBOX");
    s2.send("a SELECT INBOX");
    s2.send("b STORE 1 +FLAGS.SILENT (\\Deleted)");
    s2.send("c EXPUNGE");
    auto out = s1.send("d FETCH 2 FLAGS");
    CHECK_FALSE(has(out, "EXPUNGE"));
    CHECK(has(out, "* 2 FETCH"));  // still numbered as before
    out = s1.send("e FETCH 1 FLAGS");
    CHECK_FALSE(has(out, "EXPUNGE"));
    CHECK(has(out, "e NO"));  // RFC 2180 §4.1.2: the message is gone
    CHECK_FALSE(has(s1.send("f STORE 2 +FLAGS (\\Seen)"), "EXPUNGE"));
    CHECK_FALSE(has(s1.send("g SEARCH ALL"), "EXPUNGE"));
    CHECK(has(s1.send("h NOOP"), "* 1 EXPUNGE"));
    CHECK(s1.engine().exists() == 1);
    // Nothing is sent while no command is in progress.
    s2.raw("i APPEND INBOX {1+}\r\nx\r\n");
    CHECK(s1.output().empty());
    CHECK(has(s1.send("j CHECK"), "* 2 EXISTS"));
}

TEST_CASE("I23 CLOSE expunges silently and deselects, after EXAMINE nothing", "[imap][checklist]") {
    World w;
    w.add(msg("a"), {"\\Deleted"});
    Session s(w);
    s.login();
    s.send("a EXAMINE INBOX");
    CHECK(s.send("b CLOSE") == "b OK Close completed\r\n");
    CHECK(w.store.find("alice")->folders["INBOX"].messages.size() == 1);
    s.send("c SELECT INBOX");
    CHECK(s.send("d CLOSE") == "d OK Close completed\r\n");
    CHECK(w.store.find("alice")->folders["INBOX"].messages.empty());
    CHECK(s.engine().state() == ServerState::Authenticated);
}

TEST_CASE("I24 COPY keeps flags and INTERNALDATE, a missing destination is TRYCREATE and changes nothing", "[imap][checklist]") {
    World w;
    w.store.find("alice")->folders["Dest"];
    w.add(msg("a"), {"\\Flagged"}, store::kInbox, seconds(3600));
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    CHECK(has(s.send("b COPY 1 Missing"), "b NO [TRYCREATE]"));
    CHECK(w.store.find("alice")->folders.count("Missing") == 0);
    CHECK(has(s.send("c COPY 1 Dest"), "c OK"));
    const auto& d = w.store.find("alice")->folders["Dest"].messages.at(0);
    CHECK(d.flags == std::vector<std::string>{"\\Flagged"});
    CHECK(d.internal_date == seconds(3600));
}

TEST_CASE("I25 APPEND with flags and date, TRYCREATE when missing, other sessions hear EXISTS", "[imap][checklist]") {
    World w;
    Session s1(w), s2(w);
    s1.login();
    s2.login();
    s1.send("a SELECT INBOX");
    CHECK(has(s2.raw("b APPEND Missing {1+}\r\nx\r\n"), "b NO [TRYCREATE]"));
    CHECK(has(s2.raw("c APPEND INBOX (\\Draft) \"01-Feb-2024 10:00:00 +0100\" {1+}\r\nx\r\n"), "c OK"));
    const auto& m = w.store.find("alice")->folders["INBOX"].messages.at(0);
    CHECK(m.flags == std::vector<std::string>{"\\Draft"});
    CHECK(m.internal_date == seconds(31 * 86400 + 9 * 3600));
    CHECK(has(s1.send("d NOOP"), "* 1 EXISTS"));
}

TEST_CASE("I26 CREATE existing is NO, DELETE INBOX is NO, RENAME INBOX moves, a parent with children is \\Noselect", "[imap][checklist]") {
    World w;
    w.add(msg("a"));
    Session s(w);
    s.login();
    CHECK(has(s.send("a CREATE INBOX"), "a NO"));
    CHECK(has(s.send("b DELETE INBOX"), "b NO"));
    s.send("c CREATE P/C");
    CHECK(has(s.send("d CREATE P"), "d NO"));
    s.send("e DELETE P");
    CHECK(has(s.send("f LIST \"\" P"), "(\\Noselect \\HasChildren)"));
    CHECK(has(s.send("g RENAME INBOX Saved"), "g OK"));
    CHECK(w.store.find("alice")->folders["Saved"].messages.size() == 1);
    CHECK(w.store.find("alice")->folders["INBOX"].messages.empty());
}

TEST_CASE("I27 LIST \"\" \"\" gives the delimiter, % and * behave, INBOX is case-insensitive", "[imap][checklist]") {
    World w;
    w.store.find("alice")->folders["a/b/c"];
    Session s(w);
    s.login();
    CHECK(has(s.send("a LIST \"\" \"\""), "* LIST (\\Noselect) \"/\" \"\""));
    auto out = s.send("b LIST \"\" %");
    CHECK(has(out, "\"/\" a\r\n"));
    CHECK_FALSE(has(out, "a/b"));
    out = s.send("c LIST \"\" *");
    CHECK(has(out, "\"/\" a/b/c\r\n"));
    CHECK(has(s.send("d LIST \"\" InBoX"), "\"/\" INBOX\r\n"));
    CHECK(has(s.send("e SELECT inbox"), "e OK"));
}

TEST_CASE("I28 modified UTF-7 names round-trip", "[imap][checklist]") {
    CHECK(mutf7_decode("p&AOQA5A-").value() == "p\xC3\xA4\xC3\xA4");
    CHECK(mutf7_encode("p\xC3\xA4\xC3\xA4").value() == "p&AOQA5A-");
    CHECK(mutf7_decode("&-").value() == "&");
    CHECK(mutf7_encode("&").value() == "&-");
    CHECK(mutf7_encode("\xF0\x9F\x93\xAC").value() == "&2D3c7A-");  // a surrogate pair
    CHECK(mutf7_decode("&2D3c7A-").value() == "\xF0\x9F\x93\xAC");
    CHECK_FALSE(mutf7_decode("&AGE-").ok());  // shifted printable ASCII
    CHECK_FALSE(mutf7_decode("&AOQ").ok());
    World w;
    Session s(w);
    s.login();
    CHECK(has(s.send("a CREATE p&AOQA5A-"), "a OK"));
    CHECK(has(s.send("b LIST \"\" p*"), "\"/\" p&AOQA5A-\r\n"));
}

TEST_CASE("I29 IDLE: + then EXISTS pushed when another session APPENDs, DONE gives OK", "[imap][checklist]") {
    World w;
    Session s1(w), s2(w);
    w.adapter.on_change = [&] { s1.engine().handle_mailbox_changed(s1.now_); };
    s1.login();
    s2.login();
    s1.send("a SELECT INBOX");
    CHECK(s1.send("b IDLE") == "+ idling\r\n");
    s2.raw("c APPEND INBOX {1+}\r\nx\r\n");
    CHECK(has(s1.output(), "* 1 EXISTS"));
    CHECK(s1.send("DONE") == "b OK Idle completed\r\n");
}

TEST_CASE("I30 NOOP delivers pending updates, LOGOUT sends BYE then OK then closes", "[imap][checklist]") {
    World w;
    Session s1(w), s2(w);
    s1.login();
    s2.login();
    s1.send("a SELECT INBOX");
    s2.raw("b APPEND INBOX {1+}\r\nx\r\n");
    CHECK(has(s1.send("c NOOP"), "* 1 EXISTS\r\n* 1 RECENT\r\nc OK"));
    CHECK(s1.send("d LOGOUT") == "* BYE Logging out\r\nd OK Logout completed\r\n");
    CHECK(s1.engine().close_requested());
}

TEST_CASE("I32 the autologout timer is at least 30 minutes", "[imap][checklist]") {
    World w;
    ServerConfig c;
    c.autologout = minutes(1);
    Session s(w, c);
    REQUIRE(s.engine().next_deadline().has_value());
    CHECK(*s.engine().next_deadline() == minutes(30));
    s.engine().handle_timeout(minutes(29));
    CHECK_FALSE(s.engine().close_requested());
    s.engine().handle_timeout(minutes(30));
    CHECK(s.engine().close_requested());
}

TEST_CASE("imap engine: pipelined commands held over the output bound are answered once the host drains", "[imap][engine]") {
    World w;
    w.add(msg("big", std::string(100 * 1024, 'x')));
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    std::string in;
    for (int i = 0; i < 10; ++i) in += "f" + std::to_string(i) + " FETCH 1 BODY.PEEK[]\r\n";
    std::string out = s.raw(in);
    CHECK(count(out, " OK Fetch completed") < 10);  // paused over kOutputHighWater
    for (int i = 0; i < 20; ++i) out += s.output();
    CHECK(count(out, " OK Fetch completed") == 10);
    CHECK(has(out, "f9 OK Fetch completed"));
}

TEST_CASE("imap engine: a host shutdown sends BYE and asks to close, in any state", "[imap][engine]") {
    World w;
    Session fresh(w);
    fresh.engine().handle_shutdown(fresh.now_);
    CHECK(fresh.output() == "* BYE Server shutting down\r\n");
    CHECK(fresh.engine().close_requested());
    Session s(w);
    s.login();
    s.send("S SELECT INBOX");
    s.send("I IDLE");
    s.engine().handle_shutdown(s.now_);
    CHECK(s.output() == "* BYE Server shutting down\r\n");
    CHECK(s.engine().state() == ServerState::Logout);
    CHECK(s.send("X NOOP").empty());  // nothing is read after BYE
}
