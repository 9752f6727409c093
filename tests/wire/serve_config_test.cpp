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

TEST_CASE("serve config errors name file, line and column") {
    CHECK(error_of("domains: [a.example]\nmailboxes:\n  - {name: alice, pasword: x}\n") ==
          "s.yaml:3:19: unknown key 'pasword' in mailbox; did you mean 'password'?");
    CHECK(error_of("domains: [a.example]\nmailboxes: [../../etc]\n").rfind("s.yaml:2:13: mailbox name '../../etc'", 0) == 0);
    CHECK(error_of("domains: [a.example\n").find("YAML syntax error") != std::string::npos);
    CHECK(error_of("domains: [a.example]\nmailboxes: [a]\nprofile: exim\n").find("not supported by postino serve") !=
          std::string::npos);
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
