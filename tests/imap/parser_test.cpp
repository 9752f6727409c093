// parser_test.cpp — the IMAP command framer and strict parser
// (sim/proto/imap/framer.hpp, command.hpp): literals with and without "+",
// quoted strings with escapes, atoms, lists, sequence sets, BODY sections
// with partials, search keys, bounds and typed errors. Framed input is fed
// whole, byte by byte and at seeded random splits.
#include <catch2/catch.hpp>

#include "imap/feed.hpp"
#include "proto/imap/command.hpp"
#include "proto/imap/framer.hpp"
#include "proto/imap/limits.hpp"

using namespace postino::imap;
using namespace postino::imap::testing;

namespace {

struct Framed {
    std::vector<std::string> commands;
    std::vector<std::uint64_t> literals;  // synchronizing literals announced
    std::vector<std::string> errors;      // "error-name fatal|ok tag"
};

// Feeds `in` in pieces; accepts every synchronizing literal unless `refuse`.
Framed frame(std::string_view in, Split how, std::uint64_t seed = 1, bool refuse = false) {
    Framed f;
    CommandFramer fr;
    std::string pending;
    for (const auto& piece : split(in, how, seed)) {
        pending += piece;
        std::size_t off = 0;
        for (;;) {
            auto s = fr.read(std::string_view(pending).substr(off));
            off += s.consumed;
            if (s.kind == CommandFramer::Kind::Command) f.commands.emplace_back(s.command);
            else if (s.kind == CommandFramer::Kind::Literal) {
                f.literals.push_back(s.literal);
                if (refuse) fr.refuse_literal();
                else fr.accept_literal();
            } else if (s.kind == CommandFramer::Kind::Error) {
                f.errors.push_back(std::string(to_string(s.error)) + (s.fatal ? " fatal " : " ok ") + s.tag);
                if (s.fatal) return f;
            } else break;
        }
        pending.erase(0, off);
    }
    return f;
}

void same_three_ways(std::string_view in, const Framed& want) {
    for (auto how : {Split::Whole, Split::ByteByByte, Split::Random}) {
        for (std::uint64_t seed = 1; seed <= (how == Split::Random ? 8u : 1u); ++seed) {
            INFO("split " << static_cast<int>(how) << " seed " << seed);
            const auto got = frame(in, how, seed);
            CHECK(got.commands == want.commands);
            CHECK(got.literals == want.literals);
            CHECK(got.errors == want.errors);
        }
    }
}

Command parse_ok(std::string_view s) {
    auto r = parse_command(s);
    INFO(s << " -> " << r.error.what << " at " << r.error.offset);
    REQUIRE(r.command.has_value());
    return *r.command;
}

ParseError parse_bad(std::string_view s) {
    auto r = parse_command(s);
    INFO(s);
    REQUIRE_FALSE(r.command.has_value());
    return r.error;
}

}  // namespace

TEST_CASE("imap framer: lines, synchronizing and non-synchronizing literals, fed three ways", "[imap][parser]") {
    const std::string in =
        "a1 NOOP\r\n"
        "a2 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n"
        "a3 APPEND INBOX {12}\r\nline1\r\nline2\r\n"
        "a4 LOGOUT\r\n";
    Framed want;
    want.commands = {"a1 NOOP", "a2 LOGIN {5}\r\nalice {6+}\r\nsecret", "a3 APPEND INBOX {12}\r\nline1\r\nline2",
                     "a4 LOGOUT"};
    want.literals = {5, 12};
    same_three_ways(in, want);
}

TEST_CASE("imap framer: a literal may hold CRLF, braces and what looks like a command", "[imap][parser]") {
    const std::string in = "t APPEND x {14}\r\nb LOGOUT {3}\r\n\r\nt2 NOOP\r\n";
    Framed want;
    want.commands = {"t APPEND x {14}\r\nb LOGOUT {3}\r\n", "t2 NOOP"};
    want.literals = {14};
    same_three_ways(in, want);
}

TEST_CASE("imap framer: a refused synchronizing literal drops the command, the next one is read", "[imap][parser]") {
    const auto f = frame("a APPEND INBOX {99}\r\nb NOOP\r\n", Split::ByteByByte, 1, true);
    CHECK(f.literals == std::vector<std::uint64_t>{99});
    CHECK(f.commands == std::vector<std::string>{"b NOOP"});
}

TEST_CASE("imap framer: bare LF, bare CR and NUL are reported, never executed", "[imap][parser]") {
    Framed want;
    want.commands = {"c NOOP"};
    want.errors = {"command line with a bare CR, a bare LF or a NUL ok a",
                   "command line with a bare CR, a bare LF or a NUL ok b"};
    same_three_ways("a NOOP\nb NO\rOP\r\nc NOOP\r\n", want);
    const auto nul = frame(std::string("x NO\0OP\r\n", 9), Split::Whole);
    CHECK(nul.errors.size() == 1);
    CHECK(nul.commands.empty());
}

TEST_CASE("imap framer: a broken line that announced a literal is fatal", "[imap][parser]") {
    const auto f = frame("a LOGIN {5}\nalice x\r\n", Split::Whole);
    REQUIRE(f.errors.size() == 1);
    CHECK(f.errors[0] == "command line with a bare CR, a bare LF or a NUL fatal a");
}

TEST_CASE("imap framer: line and literal bounds", "[imap][parser]") {
    SECTION("a line over kMaxLineOctets is fatal") {
        const std::string in = "a NOOP " + std::string(kMaxLineOctets, 'x') + "\r\n";
        const auto f = frame(in, Split::Random, 3);
        REQUIRE(f.errors.size() == 1);
        CHECK(f.errors[0] == "command line too long fatal a");
    }
    SECTION("a line of exactly kMaxLineOctets is read") {
        std::string in = "a NOOP ";
        in += std::string(kMaxLineOctets - in.size(), 'x') + "\r\n";
        CHECK(frame(in, Split::Whole).commands.size() == 1);
    }
    SECTION("a synchronizing literal over the bound is refused, the session goes on") {
        const auto f = frame("a APPEND INBOX {" + std::to_string(kMaxLiteralOctets + 1) + "}\r\nb NOOP\r\n", Split::Whole);
        REQUIRE(f.errors.size() == 1);
        CHECK(f.errors[0] == "literal too large ok a");
        CHECK(f.commands == std::vector<std::string>{"b NOOP"});
    }
    SECTION("a non-synchronizing literal over the bound is fatal") {
        const auto f = frame("a APPEND INBOX {" + std::to_string(kMaxLiteralOctets + 1) + "+}\r\nxxx", Split::Whole);
        REQUIRE(f.errors.size() == 1);
        CHECK(f.errors[0] == "literal too large fatal a");
    }
    SECTION("a literal length that is not a number") {
        const auto f = frame("a LOGIN {1x}\r\nb NOOP\r\n", Split::Whole);
        REQUIRE(f.errors.size() == 1);
        CHECK(f.errors[0] == "malformed literal length ok a");
        CHECK(f.commands.size() == 1);
        CHECK(frame("a LOGIN {99999999999}\r\n", Split::Whole).errors.size() == 1);
    }
}

TEST_CASE("imap parser: tags and command names", "[imap][parser]") {
    auto c = parse_ok("A001 noop");
    CHECK(c.tag == "A001");
    CHECK(c.name == "NOOP");
    CHECK(parse_bad("a+b NOOP").kind == ParseError::Kind::BadTag);
    CHECK(parse_bad("NOOP").kind == ParseError::Kind::BadSyntax);  // "NOOP" is the tag
    CHECK(parse_bad("").kind == ParseError::Kind::BadTag);
    CHECK(parse_bad("(x NOOP").kind == ParseError::Kind::BadTag);
    const auto e = parse_bad("a1 XYZZY");
    CHECK(e.kind == ParseError::Kind::UnknownCommand);
    CHECK(e.tag == "a1");
    CHECK(parse_bad("a1  NOOP").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a1 NOOP extra").what == "unexpected text after the command's arguments");
    CHECK(parse_bad("a1 UID NOOP").kind == ParseError::Kind::BadSyntax);
}

TEST_CASE("imap parser: astrings as atoms, quoted strings with escapes and literals (I6)", "[imap][parser]") {
    auto c = parse_ok("a LOGIN alice \"se\\\"cr\\\\et\"");
    CHECK(c.args == std::vector<std::string>{"alice", "se\"cr\\et"});
    c = parse_ok("a LOGIN {5}\r\nalice {3+}\r\na b");
    CHECK(c.args == std::vector<std::string>{"alice", "a b"});
    CHECK(parse_bad("a LOGIN \"a\\b\" x").what.find("escaped") != std::string::npos);
    CHECK(parse_bad("a LOGIN \"abc x").what == "unterminated quoted string");
    CHECK(parse_bad("a LOGIN al(ce x").kind == ParseError::Kind::BadSyntax);  // atom-special in an atom
    CHECK(parse_bad("a LOGIN al%ce x").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a LOGIN \"\xC3\xA8\" x").what.find("7-bit") != std::string::npos);
    CHECK(parse_bad("a LOGIN {9}\r\nabc x").what == "literal shorter than announced");
}

TEST_CASE("imap parser: mailbox names, INBOX in any case, list patterns", "[imap][parser]") {
    CHECK(parse_ok("a SELECT inBox").args[0] == "INBOX");
    CHECK(parse_ok("a SELECT \"Sent Items\"").args[0] == "Sent Items");
    auto c = parse_ok("a LIST \"\" %/*");
    CHECK(c.args == std::vector<std::string>{"", "%/*"});
    CHECK(parse_ok("a RENAME old new").args == std::vector<std::string>{"old", "new"});
    CHECK(parse_bad("a SELECT").what == "expected a space");
}

TEST_CASE("imap parser: sequence sets", "[imap][parser]") {
    auto c = parse_ok("a FETCH 1:*,3:1,7 FLAGS");
    REQUIRE(c.set.ranges.size() == 3);
    CHECK(c.set.ranges[0] == SeqRange{1, 0});
    CHECK(c.set.ranges[1] == SeqRange{3, 1});
    CHECK(c.set.contains(2, 5));
    CHECK(c.set.contains(5, 5));
    CHECK(format_sequence_set(c.set) == "1:*,3:1,7");
    SequenceSet s{{{5, 0}}};
    CHECK(s.contains(3, 3));  // "5:*" with 3 as the largest number: 3:5 (RFC 3501 §9)
    CHECK(parse_bad("a FETCH 0 FLAGS").what == "expected a non-zero number");
    CHECK(parse_bad("a FETCH 1:,2 FLAGS").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a FETCH 4294967296 FLAGS").what.find("larger") != std::string::npos);
    CHECK(format_numbers({1, 2, 3, 5, 7, 8}) == "1:3,5,7:8");
}

TEST_CASE("imap parser: FETCH items, macros, BODY sections and partials", "[imap][parser]") {
    using K = FetchItem::Kind;
    auto c = parse_ok("a UID FETCH 1:* (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (From \"To\")]<0.100> RFC822.SIZE)");
    CHECK(c.uid);
    REQUIRE(c.fetch.size() == 3);
    CHECK(c.fetch[1].kind == K::Section);
    CHECK(c.fetch[1].peek);
    CHECK(c.fetch[1].section.parts == std::vector<std::uint32_t>{1, 2});
    CHECK(c.fetch[1].section.text == Section::Text::HeaderFields);
    CHECK(c.fetch[1].section.fields == std::vector<std::string>{"FROM", "TO"});
    CHECK(c.fetch[1].partial == Partial{0, 100});
    CHECK(format_section(c.fetch[1].section) == "1.2.HEADER.FIELDS (FROM TO)");

    c = parse_ok("a FETCH 2 full");
    CHECK(c.macro == "FULL");
    CHECK(c.fetch.size() == 5);
    CHECK(parse_ok("a FETCH 2 FAST").fetch.size() == 3);
    CHECK(parse_ok("a FETCH 2 body[]").fetch[0].kind == K::Section);
    CHECK(parse_ok("a FETCH 2 BODY").fetch[0].kind == K::Body);
    CHECK(parse_ok("a FETCH 2 BODY[3.MIME]").fetch[0].section.text == Section::Text::Mime);
    CHECK(parse_ok("a FETCH 2 BODY[TEXT]<5.1>").fetch[0].partial == Partial{5, 1});
    CHECK(parse_ok("a FETCH 2 BODY[HEADER.FIELDS.NOT (X)]").fetch[0].section.text == Section::Text::HeaderFieldsNot);
    CHECK(parse_bad("a FETCH 2 BODY[MIME]").kind == ParseError::Kind::BadSyntax);  // MIME needs a part
    CHECK(parse_bad("a FETCH 2 BODY[1.0]").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a FETCH 2 BODY[TEXT]<5.0>").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a FETCH 2 BODY.PEEK").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a FETCH 2 (FLAGS ALL)").what == "unknown FETCH item ALL");
    CHECK(parse_bad("a FETCH 2 (FLAGS").kind == ParseError::Kind::BadSyntax);
}

TEST_CASE("imap parser: STORE, APPEND with flags and date, STATUS", "[imap][parser]") {
    auto c = parse_ok("a STORE 1:2 +FLAGS.SILENT (\\seen $Work)");
    CHECK(c.store_mode == Command::StoreMode::Add);
    CHECK(c.silent);
    CHECK(c.flags == std::vector<std::string>{"\\Seen", "$Work"});
    c = parse_ok("a STORE 1 -FLAGS \\Deleted \\Flagged");
    CHECK(c.store_mode == Command::StoreMode::Remove);
    CHECK(c.flags.size() == 2);
    CHECK(parse_bad("a STORE 1 FLAGZ (x)").kind == ParseError::Kind::BadSyntax);

    c = parse_ok("a APPEND Drafts (\\Draft) \" 7-Feb-1994 21:52:25 -0800\" {3}\r\nabc");
    CHECK(c.flags == std::vector<std::string>{"\\Draft"});
    REQUIRE(c.date.has_value());
    CHECK(c.date->zone_minutes == -480);
    CHECK(c.date->unix_seconds == 760686745);  // 1994-02-08T05:52:25Z
    CHECK(c.message == "abc");
    CHECK(parse_ok("a APPEND INBOX {0}\r\n").message.empty());
    CHECK(parse_bad("a APPEND INBOX \"7-Feb-1994 21:52:25 -0800\" {3}\r\nabc").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a APPEND INBOX abc").what == "expected the message as a literal");

    c = parse_ok("a STATUS INBOX (MESSAGES uidnext)");
    CHECK(c.status_items == std::vector<std::string>{"MESSAGES", "UIDNEXT"});
    CHECK(parse_bad("a STATUS INBOX (SIZE)").what == "unknown status item SIZE");
}

TEST_CASE("imap parser: SEARCH keys, nesting and CHARSET", "[imap][parser]") {
    using K = SearchKey::Kind;
    auto c = parse_ok("a UID SEARCH CHARSET utf-8 OR (FROM bob UNSEEN) NOT SUBJECT \"a b\" SINCE 1-Feb-1994 2:4 UID 9:*");
    CHECK(c.charset == std::optional<std::string>("UTF-8"));
    REQUIRE(c.search.children.size() == 4);
    CHECK(c.search.children[0].kind == K::Or);
    CHECK(c.search.children[0].children[0].kind == K::And);
    CHECK(c.search.children[1].kind == K::Since);
    CHECK(c.search.children[1].day == days_from_civil(1994, 2, 1));
    CHECK(c.search.children[2].kind == K::Sequence);
    CHECK(c.search.children[3].kind == K::Uid);
    CHECK(parse_ok("a SEARCH HEADER X-Spam yes LARGER 100").search.children.size() == 2);
    CHECK(parse_ok("a SEARCH ON \"3-Mar-2024\"").search.children[0].day == days_from_civil(2024, 3, 3));
    CHECK(parse_bad("a SEARCH").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a SEARCH FROM").kind == ParseError::Kind::BadSyntax);
    CHECK(parse_bad("a SEARCH BEFORE 1-Foo-2000").what.find("month") != std::string::npos);
    CHECK(parse_bad("a SEARCH FUZZY x").what == "unknown search key FUZZY");
    CHECK(parse_bad("a SEARCH " + std::string(40, '(') + "ALL" + std::string(40, ')')).what ==
          "search keys nested too deeply");
}

TEST_CASE("imap parser: AUTHENTICATE with and without an initial response", "[imap][parser]") {
    CHECK(parse_ok("a AUTHENTICATE plain").args[0] == "PLAIN");
    CHECK(parse_ok("a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==").initial_response == "AGFsaWNlAHNlY3JldA==");
    CHECK(parse_ok("a AUTHENTICATE PLAIN =").initial_response == "=");
}

TEST_CASE("imap parser: quoting helpers round-trip through the parser", "[imap][parser]") {
    for (std::string s : {"plain", "two words", "q\"uote", "back\\slash", "", "NIL", "line\r\nbreak"}) {
        INFO(s);
        const auto cmd = parse_ok("a LOGIN " + quote_astring(s) + " x");
        CHECK(cmd.args[0] == s);
    }
}
