// client_test.cpp — the IMAP response parser and the client engine
// (sim/proto/imap/response_parser.hpp, client_engine.hpp) against a scripted
// server, the server's octets fed whole, byte by byte and at seeded random
// splits: the same commands and the same result every way.
#include <catch2/catch.hpp>

#include "imap/feed.hpp"
#include "proto/imap/client_engine.hpp"
#include "proto/imap/response_parser.hpp"

using namespace postino;
using namespace postino::imap;
using namespace postino::imap::testing;

TEST_CASE("imap response parser: status, codes, numbers, FETCH values with literals and sections", "[imap][client]") {
    auto r = parse_response("a1 OK [READ-WRITE] Select completed");
    REQUIRE(r.ok());
    CHECK(r->kind == ServerResponse::Kind::Tagged);
    CHECK(r->status == "OK");
    CHECK(r->code == "READ-WRITE");
    CHECK(r->text == "Select completed");
    r = parse_response("* 12 EXISTS");
    REQUIRE(r.ok());
    CHECK(r->number == std::optional<std::uint32_t>(12));
    CHECK(r->name == "EXISTS");
    r = parse_response("* 1 FETCH (UID 7 BODY[HEADER.FIELDS (FROM)] {5}\r\nab)cd ENVELOPE (NIL \"s \\\"q\\\"\" NIL))");
    REQUIRE(r.ok());
    CHECK(fetch_item(r->data, "UID")->text == "7");
    CHECK(fetch_item(r->data, "BODY[HEADER.FIELDS (FROM)]")->text == "ab)cd");
    const Value* env = fetch_item(r->data, "ENVELOPE");
    REQUIRE(env);
    CHECK(env->items[0].kind == Value::Kind::Nil);
    CHECK(env->items[1].text == "s \"q\"");
    CHECK(parse_response("+ Ready")->kind == ServerResponse::Kind::Continuation);
    CHECK_FALSE(parse_response("a1 MAYBE").ok());
    CHECK_FALSE(parse_response("* 1 FETCH (UID 7").ok());
}

namespace {

const std::string kServer =
    "* OK [CAPABILITY IMAP4rev1] ready\r\n"
    "c1 OK Logged in\r\n"
    "* 2 EXISTS\r\n* 0 RECENT\r\nc2 OK [READ-WRITE] Select completed\r\n"
    "* 1 FETCH (UID 4 RFC822.SIZE 900 ENVELOPE (NIL \"Photos\" ((\"Bob\" NIL \"bob\" \"b.example\")) NIL NIL NIL NIL NIL NIL NIL) "
    "BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 5 1)(\"image\" \"png\" NIL NIL NIL \"BASE64\" 800) \"mixed\"))\r\n"
    "* 2 FETCH (UID 9 RFC822.SIZE 40 ENVELOPE (NIL \"Hi\" NIL NIL NIL NIL NIL NIL NIL NIL) "
    "BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7BIT\" 3 1))\r\n"
    "c3 OK Fetch completed\r\n"
    "* 1 FETCH (UID 4 BODY[1] {5}\r\nhello FLAGS (\\Seen))\r\nc4 OK Fetch completed\r\n"
    "* 2 FETCH (UID 9 BODY[1] {3}\r\nyo\n FLAGS (\\Seen))\r\nc5 OK Fetch completed\r\n"
    "* BYE Logging out\r\nc6 OK Logout completed\r\n";

const std::string kCommands =
    "c1 LOGIN alice secret\r\nc2 SELECT INBOX\r\nc3 UID FETCH 1:* (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)\r\n"
    "c4 UID FETCH 4 (BODY[1])\r\nc5 UID FETCH 9 (BODY[1])\r\nc6 LOGOUT\r\n";

}  // namespace

TEST_CASE("imap client engine: headers, then only the text part, fed three ways", "[imap][client]") {
    for (auto how : {Split::Whole, Split::ByteByByte, Split::Random}) {
        for (std::uint64_t seed = 1; seed <= (how == Split::Random ? 6u : 1u); ++seed) {
            INFO("split " << static_cast<int>(how) << " seed " << seed);
            ClientConfig cfg;
            cfg.user = "alice";
            cfg.password = "secret";
            ClientEngine c(cfg);
            c.start(Time{});
            std::string sent;
            for (const auto& piece : split(kServer, how, seed)) {
                c.handle_bytes(Time{}, piece);
                sent += c.poll_output();
            }
            c.handle_closed(Time{});
            CHECK(sent == kCommands);
            const auto& r = c.result();
            CHECK(r.finished);
            CHECK(r.ok);
            REQUIRE(r.messages.size() == 2);
            CHECK(r.messages[0].subject == "Photos");
            CHECK(r.messages[0].from == "Bob <bob@b.example>");
            CHECK(r.messages[0].section == "1");
            CHECK(r.messages[0].bytes == "hello");
            CHECK(r.messages[1].bytes == "yo\n");
            CHECK(r.octets_total == 940);
            CHECK(r.octets_fetched == 8);
        }
    }
}

TEST_CASE("imap client engine: a refused login and a lost connection are failures", "[imap][client]") {
    ClientConfig cfg;
    cfg.user = "alice";
    cfg.password = "bad";
    ClientEngine c(cfg);
    c.start(Time{});
    c.handle_bytes(Time{}, "* OK ready\r\nc1 NO [AUTHENTICATIONFAILED] Authentication failed\r\n");
    CHECK(c.result().finished);
    CHECK_FALSE(c.result().ok);
    CHECK(c.result().failure == "login refused: Authentication failed");
    ClientEngine d(cfg);
    d.start(Time{});
    d.handle_bytes(Time{}, "* OK ready\r\n");
    d.handle_closed(seconds(1));
    CHECK(d.result().failure == "connection lost");
    ClientEngine e(cfg);
    e.start(Time{});
    e.handle_timeout(minutes(30));
    CHECK(e.result().failure == "timeout waiting for the server");
}
