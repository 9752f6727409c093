// classify_test.cpp — protocol categories, negative replies and labels.
#include <catch2/catch.hpp>

#include "model/classify.hpp"
#include "model/dns_peek.hpp"

using namespace postino;
using namespace postino::viz;

TEST_CASE("negative replies per protocol", "[viz][classify]") {
    CHECK(is_negative_reply("smtp", "450 4.2.0 Mailbox busy\r\n", 0));
    CHECK(is_negative_reply("smtp", "550-5.1.1 no\r\n550 5.1.1 such user\r\n", 0));
    CHECK_FALSE(is_negative_reply("smtp", "250 2.1.0 Ok\r\n", 0));
    CHECK_FALSE(is_negative_reply("smtp", "354 go ahead\r\n", 0));
    CHECK_FALSE(is_negative_reply("smtp", "MAIL FROM:<a@b>\r\n", 0));
    CHECK(is_negative_reply("smtp", "whatever", 554));
    CHECK(is_negative_reply("pop3", "-ERR no such message\r\n", 0));
    CHECK_FALSE(is_negative_reply("pop3", "+OK\r\n", 0));
    CHECK(is_negative_reply("imap", "a5 NO [TRYCREATE] no\r\n", 0));
    CHECK(is_negative_reply("imap", "a5 BAD syntax\r\n", 0));
    CHECK(is_negative_reply("imap", "* NO warning\r\n", 0));
    CHECK_FALSE(is_negative_reply("imap", "a1 OK done\r\n", 0));
    CHECK_FALSE(is_negative_reply("imap", "a1 NOOP\r\n", 0));
    CHECK(is_negative_reply("http", "HTTP/1.1 503 Service Unavailable\r\n", 0));
    CHECK_FALSE(is_negative_reply("http", "HTTP/1.1 200 OK\r\n", 0));
    CHECK(smtp_reply_code("250-first\r\n250 last\r\n") == 250);
    CHECK(smtp_reply_code("2500 nope") == 0);
}

TEST_CASE("line labels show the first line and how many follow", "[viz][classify]") {
    CHECK(first_line_label("MAIL FROM:<a@b>\r\n") == "MAIL FROM:<a@b>");
    CHECK(first_line_label("250-a\r\n250-b\r\n250 c\r\n") == "250-a  (+2 lines)");
    CHECK(first_line_label("no newline") == "no newline");
    CHECK(first_line_label(std::string("bin\x01\xff\r\n", 7)) == "bin\\x01\\xFF");
}

TEST_CASE("events classify into categories, flags and marks", "[viz][classify]") {
    trace::Event l("line", "a", "b", 1);
    l.set("proto", "smtp").set("dir", "send").set_bytes("bytes", "MAIL FROM:<>\r\n");
    auto c = classify(l);
    CHECK(c.cat == Cat::smtp);
    CHECK(c.flags & flag::bounce);
    trace::Event r("line", "a", "b", 1);
    r.set("proto", "smtp").set("dir", "send").set_bytes("bytes", "451 4.3.0 try later\r\n").set("code", 451);
    CHECK(classify(r).flags & flag::failure);
    trace::Event sp("spool", "mx");
    sp.set("ev", "deferred").set("queue_id", "Q");
    CHECK(classify(sp).mark == Mark::deferral);
    sp.set("ev", "bounced");
    CHECK(classify(sp).mark == Mark::bounce);
    sp.set("ev", "attempt").set("attempt", 3);
    CHECK(classify(sp).flags & flag::retry);
    trace::Event t("tcp", "a", "b", 1);
    t.set("ev", "refused");
    CHECK(classify(t).mark == Mark::fault);
    CHECK(classify(t).flags & flag::failure);
    trace::Event d("datagram", "a", "b");
    d.set("ev", "send").set("id", 1).set("sport", 5000).set("dport", 53).set("len", 0).set_bytes("bytes", "");
    CHECK(classify(d).cat == Cat::dns);
    CHECK(label_of(d) == "UDP 5000 > 53 len=0");  // not a DNS message: plain UDP label
    CHECK(cat_from("smtp") == Cat::smtp);
    CHECK(cat_from("Tcp") == Cat::tcp);
    CHECK_FALSE(cat_from("gopher"));
}

TEST_CASE("DNS messages are peeked for labels", "[viz][classify]") {
    // id 0x1234, standard query, one question: b.example MX IN
    const std::string q("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01" "b\x07" "example\x00\x00\x0f\x00\x01", 29);
    auto d = peek_dns(q);
    REQUIRE(d);
    CHECK_FALSE(d->response);
    CHECK(d->qname == "b.example");
    CHECK(dns_label(*d) == "DNS query MX b.example");
    std::string nx = q;
    nx[2] = '\x81';
    nx[3] = '\x83';  // response, NXDOMAIN
    CHECK(dns_label(*peek_dns(nx)) == "DNS reply MX b.example: NXDOMAIN");
    CHECK_FALSE(peek_dns(q.substr(0, 15)));
}
