// path_test.cpp — the RFC 5321 §4.1.2/§4.1.3 path grammar and the
// §4.5.3.1.1–.3 limits.
#include <catch2/catch.hpp>

#include <string>

#include "proto/smtp/path.hpp"

using namespace postino::smtp;

TEST_CASE("path: reverse paths", "[smtp][path]") {
    auto p = parse_reverse_path("<alice@a.example> SIZE=10");
    REQUIRE(p.error == PathError::None);
    CHECK(p.path.mailbox.local == "alice");
    CHECK(p.path.mailbox.domain == "a.example");
    CHECK(p.consumed == 17);

    auto null = parse_reverse_path("<>");
    REQUIRE(null.error == PathError::None);
    CHECK(null.path.null);
    CHECK(null.path.mailbox.empty());
    CHECK(parse_forward_path("<>").error == PathError::Syntax);
}

TEST_CASE("path: postmaster without a domain only as a forward path", "[smtp][path]") {
    CHECK(parse_forward_path("<postmaster>").error == PathError::None);
    CHECK(parse_forward_path("<PostMaster>").path.mailbox.local == "PostMaster");
    CHECK(parse_reverse_path("<postmaster>").error == PathError::Syntax);
    CHECK(parse_forward_path("<bob>").error == PathError::Syntax);
}

TEST_CASE("path: local parts", "[smtp][path]") {
    for (const char* ok :
         {"a", "a.b", "a+tag", "!#$%&'*+-/=?^_`{|}~", "\"john doe\"", "\"a\\\"b\"", "\"\"", "\"a@b\""}) {
        INFO(ok);
        CHECK(valid_local_part(ok));
    }
    for (const char* bad : {"", ".a", "a.", "a..b", "a b", "a\"b", "\"unterminated", "a(b)", "a,b", "\"a\rb\""}) {
        INFO(bad);
        CHECK_FALSE(valid_local_part(bad));
    }
    CHECK(valid_local_part(std::string(64, 'x')));
    CHECK_FALSE(valid_local_part(std::string(65, 'x')));
    auto q = parse_forward_path("<\"a@b\"@c.example>");
    REQUIRE(q.error == PathError::None);
    CHECK(q.path.mailbox.local == "\"a@b\"");
    CHECK(q.path.mailbox.domain == "c.example");
}

TEST_CASE("path: domains and labels", "[smtp][path]") {
    CHECK(valid_domain("example"));
    CHECK(valid_domain("a-b.example"));
    CHECK(valid_domain("3com.example"));
    CHECK_FALSE(valid_domain("-a.example"));
    CHECK_FALSE(valid_domain("a-.example"));
    CHECK_FALSE(valid_domain("a..example"));
    CHECK_FALSE(valid_domain("a.example."));
    CHECK_FALSE(valid_domain("a_b.example"));
    CHECK(valid_domain(std::string(63, 'a') + ".example"));
    CHECK_FALSE(valid_domain(std::string(64, 'a') + ".example"));  // RFC 1035 §2.3.4
    std::string d255 =
        std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(63, 'd');
    CHECK(d255.size() == 255);
    CHECK(valid_domain(d255));
    CHECK_FALSE(valid_domain(d255 + "e"));
}

TEST_CASE("path: address literals", "[smtp][path]") {
    for (const char* ok :
         {"[192.0.2.1]", "[0.0.0.0]", "[255.255.255.255]", "[IPv6:2001:db8::1]", "[IPv6:::]", "[IPv6:1:2:3:4:5:6:7:8]",
          "[IPv6:::ffff:192.0.2.1]", "[IPv6:1:2:3:4:5:6:1.2.3.4]", "[ipv6:fe80::1]", "[x-tag:some-thing]"}) {
        INFO(ok);
        CHECK(valid_address_literal(ok));
    }
    for (const char* bad : {"[]", "[256.1.1.1]", "[1.2.3]", "[1.2.3.4.5]", "[1.2.3.04444]", "[IPv6:1:2:3:4:5:6:7]",
                            "[IPv6:1::2::3]", "[IPv6:1:2:3:4:5:6:7::8]", "[IPv6:12345::]", "[IPv6:g::1]", "[x-tag:]",
                            "[-tag:x]", "[tag:a[b]", "192.0.2.1"}) {
        INFO(bad);
        CHECK_FALSE(valid_address_literal(bad));
    }
}

TEST_CASE("path: source routes are parsed and kept apart", "[smtp][path]") {
    auto p = parse_forward_path("<@a.example,@b.example:joe@c.example>");
    REQUIRE(p.error == PathError::None);
    CHECK(p.path.route == "@a.example,@b.example");
    CHECK(p.path.mailbox.str() == "joe@c.example");
    CHECK(parse_forward_path("<@a.example:>").error == PathError::Syntax);
    CHECK(parse_forward_path("<@:joe@c.example>").error == PathError::Syntax);
    CHECK(parse_forward_path("<a.example:joe@c.example>").error == PathError::Syntax);
}

TEST_CASE("path: length limits are typed errors", "[smtp][path]") {
    CHECK(parse_forward_path("<" + std::string(65, 'l') + "@b.example>").error == PathError::LocalPartTooLong);
    const std::string d256 =
        std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." + std::string(64, 'd');
    CHECK(parse_forward_path("<x@" + d256 + ">").error == PathError::DomainTooLong);
    // 1 + 64 + 1 + 189 + 1 = 256: the longest path; one more octet is too long.
    const std::string d189 = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(61, 'c');
    CHECK(parse_forward_path("<" + std::string(64, 'l') + "@" + d189 + ">").error == PathError::None);
    CHECK(parse_forward_path("<" + std::string(64, 'l') + "@" + d189 + "c>").error == PathError::PathTooLong);
    CHECK(parse_forward_path("<" + std::string(300, 'x')).error == PathError::PathTooLong);
}

TEST_CASE("path: UTF-8 only with SMTPUTF8, and well-formed", "[smtp][path]") {
    const std::string utf8 = "<jos\xC3\xA9@\xE4\xBE\x8B.example>";
    CHECK(parse_forward_path(utf8).error == PathError::NonAscii);
    PathOptions opt;
    opt.allow_utf8 = true;
    auto p = parse_forward_path(utf8, opt);
    REQUIRE(p.error == PathError::None);
    CHECK(p.path.non_ascii);
    CHECK(parse_forward_path("<bad\xC3@b.example>", opt).error == PathError::Syntax);          // truncated sequence
    CHECK(parse_forward_path("<bad\xC0\x80@b.example>", opt).error == PathError::Syntax);      // overlong form
    CHECK(parse_forward_path("<bad\xED\xA0\x80@b.example>", opt).error == PathError::Syntax);  // surrogate
}

TEST_CASE("path: missing brackets only as a leniency", "[smtp][path]") {
    CHECK(parse_reverse_path("alice@a.example").error == PathError::Syntax);
    PathOptions opt;
    opt.allow_missing_brackets = true;
    auto p = parse_reverse_path("alice@a.example SIZE=1", opt);
    REQUIRE(p.error == PathError::None);
    CHECK_FALSE(p.path.bracketed);
    CHECK(p.consumed == 15);
}

TEST_CASE("path: format_path round-trips", "[smtp][path]") {
    postino::mail::Mailbox m{"\"john doe\"", "b.example"};
    CHECK(format_path(m) == "<\"john doe\"@b.example>");
    CHECK(format_path({}) == "<>");
    auto p = parse_forward_path(format_path(m));
    REQUIRE(p.error == PathError::None);
    CHECK(p.path.mailbox == m);
    CHECK(valid_mailbox(m));
    CHECK_FALSE(valid_mailbox({"bob", "b.example\r\nRSET"}));
    CHECK_FALSE(valid_mailbox({"bob\r\n", "b.example"}));
}
