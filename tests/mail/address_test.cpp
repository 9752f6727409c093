// address_test.cpp — RFC 5322 §3.4 addresses with RFC 5321 limits.
#include <catch2/catch.hpp>

#include "mail/address.hpp"
#include "mail/error.hpp"

using namespace postino;
using namespace postino::mail;

namespace {
Errc code_of(const Error& e) { return error_code(e).value(); }
}  // namespace

TEST_CASE("addresses: addr-spec forms", "[address]") {
    auto a = parse_addr_spec("alice@a.example");
    REQUIRE(a.ok());
    CHECK(a->local == "alice");
    CHECK(a->domain == "a.example");
    auto q = parse_addr_spec("\"john doe\"@b.example");
    REQUIRE(q.ok());
    CHECK(q->local == "\"john doe\"");
    CHECK(unquote_local_part(q->local) == "john doe");
    CHECK(parse_addr_spec("first.last+tag@sub.b-c.example")->local == "first.last+tag");
    CHECK(parse_addr_spec("  x@y.example (comment) ")->domain == "y.example");
    CHECK(parse_addr_spec("root@[192.0.2.1]")->domain == "[192.0.2.1]");
    CHECK(parse_addr_spec("root@[IPv6:2001:db8::1]").ok());
}

TEST_CASE("addresses: case rules: domain case-insensitive, local part preserved", "[address]") {
    auto a = parse_addr_spec("Bob@B.Example");
    REQUIRE(a.ok());
    CHECK(a->local == "Bob");
    CHECK(a->domain == "B.Example");
    CHECK(*a == Mailbox{"Bob", "b.example"});
    CHECK_FALSE(*a == Mailbox{"bob", "b.example"});
}

TEST_CASE("addresses: name-addr, groups and lists", "[address]") {
    auto m = parse_mailbox("Mario Rossi <mario@posta.example>");
    REQUIRE(m.ok());
    CHECK(m->display_name == "Mario Rossi");
    CHECK(m->address.str() == "mario@posta.example");
    CHECK(parse_mailbox("\"Rossi, Mario\" <mario@posta.example>")->display_name == "Rossi, Mario");
    CHECK(parse_mailbox("<mario@posta.example>")->display_name.empty());
    CHECK(parse_mailbox("=?UTF-8?Q?Nicol=C3=B2?= Bianchi <n@x.example>")->display_name == "Nicol\xc3\xb2 Bianchi");
    CHECK(parse_mailbox("=?ISO-8859-1?Q?Andr=E9?= =?ISO-8859-1?Q?_Pirard?= <a@x.example>")->display_name ==
          "Andr\xc3\xa9 Pirard");

    auto list = parse_address_list("a@x.example, Friends: b@x.example, \"C\" <c@x.example>;, d@x.example");
    REQUIRE(list.ok());
    REQUIRE(list->size() == 3);
    CHECK(std::get<NamedMailbox>((*list)[0]).address.local == "a");
    const auto& g = std::get<Group>((*list)[1]);
    CHECK(g.display_name == "Friends");
    REQUIRE(g.members.size() == 2);
    CHECK(g.members[1].display_name == "C");
    CHECK(std::get<NamedMailbox>((*list)[2]).address.local == "d");
    auto empty_group = parse_address_list("undisclosed-recipients:;");
    REQUIRE(empty_group.ok());
    CHECK(std::get<Group>((*empty_group)[0]).members.empty());
    CHECK(parse_mailbox_list("a@x.example, b@y.example")->size() == 2);
    CHECK_FALSE(parse_mailbox_list("G: a@x.example;").ok());
}

TEST_CASE("addresses: limits are RFC 5321 section 4.5.3.1 constants", "[address]") {
    CHECK(kMaxLocalPartOctets == 64);
    CHECK(kMaxDomainOctets == 255);
    CHECK(kMaxPathOctets == 256);
    const std::string l64(64, 'a');
    CHECK(parse_addr_spec(l64 + "@x.example").ok());
    auto too_long = parse_addr_spec(l64 + "a@x.example");
    REQUIRE_FALSE(too_long.ok());
    CHECK(code_of(too_long.error()) == Errc::local_part_too_long);
    CHECK(code_of(parse_mailbox(l64 + "a@x.example").error()) == Errc::local_part_too_long);
    std::string label63(63, 'b');
    CHECK(parse_addr_spec("a@" + label63 + ".example").ok());
    CHECK(code_of(parse_addr_spec("a@" + label63 + "b.example").error()) == Errc::label_too_long);
    // A domain of 4 x 63-octet labels is 255 octets; with a 10-octet local part
    // the path is <10 + 1 + 255> = 268 > 256.
    const std::string dom = label63 + "." + label63 + "." + label63 + "." + label63.substr(0, 60);
    CHECK(code_of(parse_addr_spec("0123456789@" + dom).error()) == Errc::path_too_long);
    CHECK(code_of(parse_addr_spec("a@" + dom + ".abcd").error()) == Errc::domain_too_long);
}

TEST_CASE("addresses: bad input gives typed errors with offsets", "[address]") {
    struct Case {
        const char* text;
        Errc code;
        std::size_t offset;
    };
    const Case cases[] = {
        {"", Errc::address_syntax, 0},
        {"alice", Errc::address_syntax, 5},
        {"alice@", Errc::address_syntax, 6},
        {"@x.example", Errc::address_syntax, 0},
        {"a..b@x.example", Errc::address_syntax, 2},
        {"\"unterminated@x.example", Errc::unterminated_quote, 0},
        {"a@x.example (open", Errc::unterminated_comment, 12},
        {"a@-x.example", Errc::address_syntax, 2},
        {"a@x_y.example", Errc::address_syntax, 2},
        {"a@[300.1.1.1]", Errc::address_syntax, 2},
        {"Name <a@x.example", Errc::address_syntax, 5},
        {"a@x.example b@y.example", Errc::address_syntax, 12},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        auto r = parse_mailbox(c.text);
        REQUIRE_FALSE(r.ok());
        CHECK(code_of(r.error()) == c.code);
        CHECK(error_offset(r.error()) == c.offset);
    }
    CHECK(code_of(parse_address_list("a@x.example,").error()) == Errc::address_syntax);
    CHECK(code_of(parse_address_list("G: a@x.example").error()) == Errc::address_syntax);
}

TEST_CASE("addresses: named leniencies", "[address][leniency]") {
    // rfc5322-domain: a dot-atom domain that is no RFC 5321 host name.
    CHECK_FALSE(parse_addr_spec("a@x_y.example").ok());
    CHECK(parse_addr_spec("a@x_y.example", Leniencies{Leniency::rfc5322_domain}).ok());
    // obs-address: obs-phrase with a dot and CFWS around dots.
    CHECK_FALSE(parse_mailbox("John Q. Public <jqp@x.example>").ok());
    auto obs = parse_mailbox("John Q. Public <jqp@x.example>", Leniencies{Leniency::obs_address});
    REQUIRE(obs.ok());
    CHECK(obs->display_name == "John Q. Public");
    CHECK_FALSE(parse_addr_spec("a . b@x.example").ok());
    CHECK(parse_addr_spec("a . b@x.example", Leniencies{Leniency::obs_address})->local == "a.b");
}

TEST_CASE("addresses: formatting reads back the same", "[address]") {
    const std::vector<NamedMailbox> ms = {
        {"", {"alice", "a.example"}},
        {"Mario Rossi", {"mario", "posta.example"}},
        {"Rossi, Mario", {"mario", "posta.example"}},
        {"Nicol\xc3\xb2 Bianchi", {"\"n b\"", "x.example"}},
    };
    for (const auto& m : ms) {
        INFO(format_mailbox(m));
        auto back = parse_mailbox(format_mailbox(m));
        REQUIRE(back.ok());
        CHECK(*back == m);
    }
    std::vector<Address> list = {ms[0], Group{"Team", {ms[1], ms[2]}}};
    auto back = parse_address_list(format_address_list(list));
    REQUIRE(back.ok());
    CHECK(*back == list);
    CHECK(validate_mailbox({"ok", "x.example"}).ok());
    CHECK_FALSE(validate_mailbox({"not ok", "x.example"}).ok());
}
