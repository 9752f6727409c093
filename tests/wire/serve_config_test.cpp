// serve_config_test.cpp — the `postino serve` config: a scenario mta host's
// keys, errors as file:line:col with the nearest key, names that cannot
// leave the data directory, aliases that must end in local mailboxes.
#include <catch2/catch.hpp>

#include "app/serve_command.hpp"

using namespace postino;

namespace {
Status load(const std::string& text, wire::ServeConfig& c) { return app::load_serve_config_text(text, "s.yaml", c); }
std::string error_of(const std::string& text) {
    wire::ServeConfig c;
    const Status st = load(text, c);
    REQUIRE_FALSE(st.ok());
    return st.error().message();
}
}  // namespace

TEST_CASE("a serve config reads an mta host's domains, mailboxes, quotas, aliases and limits") {
    wire::ServeConfig c;
    const Status st = load("name: mx.a.example\nrole: mta\ndomains: [A.Example]\n"
                           "mailboxes:\n  - {name: Alice, password: s, quota: 1KB, quota-temporary: true}\n  - bob\n"
                           "aliases:\n  team: [alice, bob@a.example]\n  postmaster@a.example: [alice]\n"
                           "leniencies: [bare-lf]\nmax-message-size: 2MB\nmax-recipients: 5\n",
                           c);
    REQUIRE(st.ok());
    CHECK(c.hostname == "mx.a.example");
    CHECK(c.domains == std::vector<std::string>{"a.example"});
    REQUIRE(c.accounts.size() == 2);
    CHECK(c.accounts[0].name == "alice");
    CHECK(c.accounts[0].password == "s");
    CHECK(c.accounts[0].quota_octets == 1000);
    CHECK(c.accounts[0].quota_is_temporary);
    CHECK(c.accounts[1].name == "bob");
    CHECK(c.aliases.at("team@a.example") == std::vector<std::string>{"alice@a.example", "bob@a.example"});
    CHECK(c.aliases.count("postmaster@a.example") == 1);
    CHECK(c.smtp.leniency.line_ends == smtp::LineEndMode::Normalize);
    CHECK(c.smtp.max_message_octets == 2'000'000);
    CHECK(c.smtp.max_recipients == 5);
}

TEST_CASE("serve config reads routes and a retry profile") {
    wire::ServeConfig c;
    REQUIRE(app::load_serve_config_text(
        "domains: [a.example]\nmailboxes: [a]\nroutes: {B.Example: \"127.0.0.1:2526\"}\nprofile: \"F,6s,1s\"\n", "s.yaml", c));
    REQUIRE(c.routes.count("b.example") == 1);
    CHECK(c.routes["b.example"].host == "127.0.0.1");
    CHECK(c.routes["b.example"].port == 2526);
    CHECK(c.profile.lifetime == seconds(6));
    wire::ServeConfig d;
    REQUIRE(app::load_serve_config_text("domains: [a.example]\nmailboxes: [a]\n", "s.yaml", d));
    CHECK(d.profile.name == "postfix");  // the default
}

TEST_CASE("serve config errors name file, line and column") {
    CHECK(error_of("domains: [a.example]\nmailboxes:\n  - {name: alice, pasword: x}\n") ==
          "s.yaml:3:19: unknown key 'pasword' in mailbox; did you mean 'password'?");
    CHECK(error_of("domains: [a.example]\nmailboxes: [../../etc]\n").rfind("s.yaml:2:13: mailbox name '../../etc'", 0) == 0);
    CHECK(error_of("domains: [a.example\n").find("YAML syntax error") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nrelay-from: [x]\n").find("not supported by postino serve") !=
          std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nprofile: eximm\n").rfind("s.yaml:3:10: unknown retry profile", 0) ==
          0);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nroutes: {b.example: \"mx.b.example:25\"}\n")
              .find("a route is an IP address and a port") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nroutes: {b.example: \"127.0.0.1:99999\"}\n")
              .find("a route is an IP address and a port") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nrole: dns\n").find("'mta'") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\naliases: {x: [b@elsewhere.example]}\n")
              .find("not in a local domain") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\naliases: {x: [nobody]}\n").find("neither a mailbox") !=
          std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a, A]\n").find("listed twice") != std::string::npos);
    CHECK(error_of("mailboxes: [a]\n").find("needs 'domains'") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nleniencies: [bare-cr]\n").find("did you mean 'bare-lf'") !=
          std::string::npos);
}
