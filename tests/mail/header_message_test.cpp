// header_message_test.cpp — RFC 5322 header sections and messages: exact
// round trips, folding, strict errors with offsets, named leniencies, the
// incremental parser fed three ways, 7/8-bit classification, Date,
// Message-ID, Received and Return-Path.
#include <catch2/catch.hpp>

#include <cstdio>

#include "feed.hpp"
#include "mail/date.hpp"
#include "mail/error.hpp"
#include "mail/header.hpp"
#include "mail/message.hpp"
#include "mail/message_id.hpp"
#include "mail/trace_fields.hpp"

using namespace postino;
using namespace postino::mail;

namespace {
Errc code_of(const Error& e) { return error_code(e).value(); }
std::size_t offset_of(const Error& e) { return error_offset(e).value(); }

const std::string kMessage =
    "Received: from pc.alice (pc.alice [192.0.2.10])\r\n"
    "\tby mx.a.example with ESMTP id 1A2B; Mon, 1 Jan 2024 00:00:05 +0000\r\n"
    "From: Alice <alice@a.example>\r\n"
    "To: bob@b.example\r\n"
    "Subject: =?UTF-8?Q?Ciao_=C3=A8?=\r\n"
    "X-Dup: one\r\n"
    "X-Dup: two\r\n"
    "Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n"
    "\r\n"
    "A presto!\r\n";
}  // namespace

TEST_CASE("messages: parse and serialize give back the exact octets", "[message]") {
    auto m = Message::parse(kMessage);
    REQUIRE(m.ok());
    CHECK(m->serialize() == kMessage);
    REQUIRE(m->header.fields.size() == 7);
    CHECK(m->header.fields[0].name() == "Received");
    CHECK(m->header.fields[0].value() ==
          "from pc.alice (pc.alice [192.0.2.10])\tby mx.a.example with ESMTP id 1A2B; Mon, 1 Jan 2024 00:00:05 +0000");
    CHECK(m->header.find("subject")->text() == "Ciao \xc3\xa8");
    auto dups = m->header.find_all("X-Dup");
    REQUIRE(dups.size() == 2);
    CHECK(dups[0]->value() == "one");
    CHECK(dups[1]->value() == "two");
    CHECK(m->body == "A presto!\r\n");
    CHECK(check_field_counts(m->header).ok());
    // No blank line, no body: still exact.
    const std::string headers_only = "Subject: x\r\nFrom: a@b.example\r\n";
    auto h = Message::parse(headers_only);
    REQUIRE(h.ok());
    CHECK(h->separator.empty());
    CHECK(h->serialize() == headers_only);
}

TEST_CASE("messages: the MTA prepends trace fields and nothing else changes", "[message][trace]") {
    auto m = Message::parse(kMessage);
    REQUIRE(m.ok());
    ReceivedInfo info;
    info.from_helo = "mx.a.example";
    info.from_tcp_info = "mx.a.example [192.0.2.1]";
    info.by_host = "mx.b.example";
    info.id = "Q42";
    info.for_recipient = Mailbox{"bob", "b.example"};
    info.when = seconds(65);
    auto rcv = make_received(info);
    REQUIRE(rcv.ok());
    CHECK(rcv->value() ==
          "from mx.a.example (mx.a.example [192.0.2.1]) by mx.b.example with ESMTP id Q42 for <bob@b.example>; "
          "Mon, 1 Jan 2024 00:01:05 +0000");
    for (std::size_t start = 0; start < rcv->raw().size();) {
        const std::size_t crlf = rcv->raw().find("\r\n", start);
        CHECK(crlf - start <= kFoldLineOctets);
        start = crlf + 2;
    }
    auto rp = make_return_path(Mailbox{"alice", "a.example"});
    REQUIRE(rp.ok());
    CHECK(rp->raw() == "Return-Path: <alice@a.example>\r\n");
    CHECK(make_return_path(Mailbox{})->raw() == "Return-Path: <>\r\n");
    m->header.prepend(*rcv);
    m->header.prepend(*rp);
    CHECK(m->serialize() == rp->raw() + rcv->raw() + kMessage);
}

TEST_CASE("headers: folding keeps lines short and unfolds to the same value", "[header]") {
    const std::string value =
        "a very long subject line that goes on and on, well past the seventy-eight octets that RFC 5322 "
        "recommends for a line, so it has to be folded at whitespace";
    auto f = HeaderField::make("Subject", value);
    REQUIRE(f.ok());
    CHECK(f->value() == value);
    for (std::size_t start = 0; start < f->raw().size();) {
        const std::size_t crlf = f->raw().find("\r\n", start);
        CHECK(crlf - start <= kFoldLineOctets);
        start = crlf + 2;
    }
    CHECK(HeaderField::make("X", std::string(990, 'a'))->raw().size() == 995);
    auto too_long = HeaderField::make("X", std::string(1000, 'a'));
    REQUIRE_FALSE(too_long.ok());
    CHECK(code_of(too_long.error()) == Errc::fold_impossible);
    CHECK(code_of(HeaderField::make("Bad Name", "x").error()) == Errc::field_name_invalid);
    CHECK(code_of(HeaderField::make("X", "a\r\nb").error()) == Errc::fold_impossible);
}

TEST_CASE("headers: bad input is a typed error with its offset", "[header]") {
    struct Case {
        std::string text;
        Errc code;
        std::size_t offset;
    };
    const std::vector<Case> cases = {
        {"Subject: a\rb\r\n\r\n", Errc::bare_cr, 10},
        {"Subject: a\nTo: b\r\n\r\n", Errc::bare_lf, 10},
        {std::string("Subject: a\0b\r\n\r\n", 16), Errc::nul_octet, 10},
        {"Subject: caf\xc3\xa9\r\n\r\n", Errc::eight_bit_octet, 12},
        {"Subject: a\x01\r\n\r\n", Errc::control_char, 10},
        {"Subject a\r\n\r\n", Errc::missing_colon, 8},
        {"Subject\r\n\r\n", Errc::missing_colon, 7},
        {": x\r\n\r\n", Errc::field_name_invalid, 0},
        {" folded first\r\n\r\n", Errc::continuation_first, 0},
        {"Subject : x\r\n\r\n", Errc::ws_before_colon, 7},
        {"Subject: x\r\n   \r\n\r\n", Errc::blank_continuation, 12},
        {"X: " + std::string(996, 'a') + "\r\n\r\n", Errc::line_too_long, 998},
        {"Subject: x\r\n\r", Errc::bare_cr, 12},
    };
    for (const Case& c : cases) {
        INFO(c.text.substr(0, 30));
        auto r = parse_header_section(c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(code_of(r.error()) == c.code);
        CHECK(offset_of(r.error()) == c.offset);
    }
    // The section is bounded, however it is folded.
    std::string huge = "X: a\r\n";
    for (int i = 0; i < 1100; ++i) huge += " " + std::string(990, 'b') + "\r\n";
    CHECK(code_of(parse_header_section(huge + "\r\n").error()) == Errc::header_too_large);
    HeaderParser bounded;
    CHECK(bounded.feed(huge) == HeaderParser::State::error);
    CHECK(code_of(bounded.error()) == Errc::header_too_large);
    // 998 octets is fine, 999 is not.
    CHECK(parse_header_section("X: " + std::string(995, 'a') + "\r\n\r\n").ok());
    // Body rules: bare CR, bare LF, NUL, overlong lines.
    CHECK(code_of(Message::parse("A: b\r\n\r\nx\ry\r\n").error()) == Errc::bare_cr);
    CHECK(offset_of(Message::parse("A: b\r\n\r\nx\ny\r\n").error()) == 9);
    CHECK(code_of(Message::parse(std::string("A: b\r\n\r\nx\0y", 11)).error()) == Errc::nul_octet);
    CHECK(code_of(Message::parse("A: b\r\n\r\n" + std::string(999, 'x')).error()) == Errc::line_too_long);
    // Declared binary (RFC 3030): no line rules in the body.
    CHECK(Message::parse(std::string("Content-Transfer-Encoding: binary\r\n\r\n\0\r\n\r", 42)).ok());
}

TEST_CASE("headers: named leniencies, each recorded when used", "[header][leniency]") {
    auto lf = Message::parse("Subject: x\nFrom: a@b.example\n\nbody\n", ParseOptions{{Leniency::bare_lf}});
    REQUIRE(lf.ok());
    CHECK(lf->used.has(Leniency::bare_lf));
    CHECK(lf->header.fields.size() == 2);
    CHECK(lf->separator == "\n");
    CHECK(lf->serialize() == "Subject: x\nFrom: a@b.example\n\nbody\n");

    auto eight = Message::parse("Subject: caf\xc3\xa9\r\n\r\n", ParseOptions{{Leniency::eight_bit_headers}});
    REQUIRE(eight.ok());
    CHECK(eight->used.has(Leniency::eight_bit_headers));

    auto obs = Message::parse("Subject : x\r\nTo: a\r\n   \r\n b\r\n\r\n", ParseOptions{{Leniency::obs_header_syntax}});
    REQUIRE(obs.ok());
    CHECK(obs->header.find("Subject")->value() == "x");
    CHECK(obs->header.find("To")->value() == "a    b");
    CHECK(obs->used.has(Leniency::obs_header_syntax));

    auto longl = Message::parse("X: " + std::string(1200, 'a') + "\r\n\r\n", ParseOptions{{Leniency::long_lines}});
    REQUIRE(longl.ok());
    CHECK(longl->used.has(Leniency::long_lines));
    auto strict = Message::parse(kMessage, ParseOptions::strict());
    REQUIRE(strict.ok());
    CHECK(strict->used.empty());
}

TEST_CASE("headers: the incremental parser gives the same answer fed three ways", "[header]") {
    const std::string trailing = kMessage + "more bytes after the body";
    for (const auto& pieces : test::three_ways(trailing)) {
        HeaderParser p;
        std::size_t fed = 0;
        HeaderParser::State st = HeaderParser::State::need_more;
        for (auto piece : pieces) {
            st = p.feed(piece);
            fed += piece.size();
            if (st != HeaderParser::State::need_more) break;
        }
        REQUIRE(st == HeaderParser::State::complete);
        CHECK(p.section().consumed == kMessage.find("\r\n\r\n") + 4);
        CHECK(p.section().header.fields.size() == 7);
        CHECK(p.section().header.serialize() + "\r\n" == kMessage.substr(0, p.section().consumed));
    }
    // An error is found at the same offset however the bytes arrive.
    const std::string bad = "Subject: fine\r\nTo: a\r\nBad Field: x\r\n\r\n";
    for (const auto& pieces : test::three_ways(bad)) {
        HeaderParser p;
        HeaderParser::State st = HeaderParser::State::need_more;
        for (auto piece : pieces)
            if ((st = p.feed(piece)) != HeaderParser::State::need_more) break;
        REQUIRE(st == HeaderParser::State::error);
        CHECK(offset_of(p.error()) == 26);
    }
    // A section that ends with the input completes on finish().
    HeaderParser p;
    CHECK(p.feed("Subject: x\r\nTo: y") == HeaderParser::State::need_more);
    CHECK(p.finish() == HeaderParser::State::complete);
    CHECK(p.section().header.fields.size() == 2);
    // A line that can never be valid is refused before it ends.
    HeaderParser q;
    CHECK(q.feed("X: " + std::string(2000, 'a')) == HeaderParser::State::error);
}

TEST_CASE("messages: RFC 5322 section 3.6 field counts", "[message]") {
    auto no_date = Message::parse("From: a@b.example\r\n\r\n");
    CHECK(code_of(check_field_counts(no_date->header).error()) == Errc::missing_field);
    auto two_subjects = Message::parse("Date: x\r\nFrom: a@b.example\r\nSubject: a\r\nSubject: b\r\n\r\n");
    CHECK(code_of(check_field_counts(two_subjects->header).error()) == Errc::duplicate_field);
}

TEST_CASE("classification: 7bit, 8bit and binary for 8BITMIME decisions", "[message]") {
    CHECK(classify("A: b\r\n\r\nplain\r\n") == MessageClass::seven_bit);
    CHECK(classify("A: b\r\n\r\ncaf\xc3\xa9\r\n") == MessageClass::eight_bit);
    CHECK(classify(std::string("A: b\r\n\r\n\0\r\n", 11)) == MessageClass::binary);
    CHECK(classify("A: b\r\n\r\nbare\nlf") == MessageClass::binary);
    CHECK(classify("A: b\r\n\r\n" + std::string(1000, 'x')) == MessageClass::binary);
    CHECK(to_string(MessageClass::eight_bit) == "8bit");
}

TEST_CASE("dates: RFC 5322 section 3.3 from simulated time", "[date]") {
    CHECK(format_date(Duration{}) == "Mon, 1 Jan 2024 00:00:00 +0000");
    CHECK(format_date(days(60) + hours(13) + minutes(5) + seconds(9)) == "Fri, 1 Mar 2024 13:05:09 +0000");
    CHECK(format_date(hours(23), DateContext{kDefaultEpochUnixSeconds, 120}) == "Tue, 2 Jan 2024 01:00:00 +0200");
    CHECK(format_date(Duration{}, DateContext{0, -300}) == "Wed, 31 Dec 1969 19:00:00 -0500");
    CHECK(format_date(days(366 + 365 * 3)) == "Sat, 1 Jan 2028 00:00:00 +0000");
    auto back = parse_date_time("Thu, 7 Jul 1994 17:15:49 -0400");
    REQUIRE(back.ok());
    CHECK(back->zone_minutes == -240);
    CHECK(format_date_time(*back) == "Thu, 7 Jul 1994 17:15:49 -0400");
    CHECK(parse_date_time("7 Jul 1994 17:15 -0400 (EDT)").ok());
    CHECK(code_of(parse_date_time("Fri, 7 Jul 1994 17:15:49 -0400").error()) == Errc::date_syntax);
    CHECK_FALSE(parse_date_time("Thu, 7 Jul 94 17:15:49 -0400").ok());
    CHECK_FALSE(parse_date_time("Thu, 7 Jul 1994 17:15:49 EDT").ok());
    CHECK_FALSE(parse_date_time("30 Feb 2024 00:00:00 +0000").ok());
    Rng rng = Rng::stream(1, "dates");
    for (int i = 0; i < 2000; ++i) {
        const DateTime dt{rng.uniform_int(-2'000'000'000, 8'000'000'000), static_cast<int>(rng.uniform_int(-720, 840))};
        auto r = parse_date_time(format_date_time(dt));
        REQUIRE(r.ok());
        REQUIRE(*r == dt);
    }
}

TEST_CASE("message ids: deterministic from the RNG stream and host", "[message-id]") {
    Rng a = Rng::stream(42, "ua.pc.alice");
    Rng b = Rng::stream(42, "ua.pc.alice");
    const std::string id1 = make_message_id(a, "pc.alice", seconds(300));
    CHECK(id1 == make_message_id(b, "pc.alice", seconds(300)));
    CHECK(id1.rfind("<20240101000500.", 0) == 0);
    CHECK(id1.size() == std::string("<20240101000500.0123456789abcdef@pc.alice>").size());
    // The 16 hex digits are the stream's next 64 bits, zero-padded.
    Rng c = Rng::stream(42, "ua.pc.alice");
    char bits[17];
    std::snprintf(bits, sizeof bits, "%016llx", static_cast<unsigned long long>(c.next_u64()));
    CHECK(id1 == "<20240101000500." + std::string(bits) + "@pc.alice>");
    Rng d = Rng::stream(7, "x");
    const std::string id_late = make_message_id(d, "", seconds(86400LL * 365 * 30 + 3661));
    CHECK(id_late.size() == std::string("<20531225010101.0123456789abcdef@localhost>").size());
    CHECK(id_late.find("@localhost>") == id_late.size() - 11);
    CHECK(is_valid_message_id(id1));
    CHECK(make_message_id(a, "pc.alice", seconds(300)) != id1);
    CHECK(is_valid_message_id("<a.b@[127.0.0.1]>"));
    CHECK_FALSE(is_valid_message_id("<a..b@x>"));
    CHECK_FALSE(is_valid_message_id("a@x"));
}
