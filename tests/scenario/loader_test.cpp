// loader_test.cpp — scenario files load into the model; every broken file
// under tests/scenario/broken/ gives exactly the message on its first line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "scenario/loader.hpp"

using namespace postino;
using namespace postino::scenario;

TEST_CASE("a scenario loads with its hosts, DNS, actions, faults, expectations and notes", "[scenario]") {
    const char* text = R"(
name: retry-then-bounce
title: The destination is down for six days; the sender gets a bounce
seed: 42
profile: postfix
hosts:
  - {name: pc.alice, role: user-agent, user: alice@a.example, submit-to: mx.a.example}
  - name: mx.a.example
    role: mta
    domains: [a.example]
    mailboxes: [alice, {name: bob, quota: 10KB, password: s3cret}]
    aliases: {team: [alice, bob]}
    link: {latency: 20ms, bandwidth: 10Mbps, loss: 1%}
  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob], profile: exim}
dns:
  b.example: {mx: [{preference: 10, host: mx.b.example}, "20 mx.a.example"]}
actions:
  - {at: 0s, on: pc.alice, send: {to: bob@b.example, subject: Ciao, body: "A presto!"}}
faults:
  - {at: 0s, for: 6d, host-down: mx.b.example}
  - {at: 1h, until: 2h, port-closed: mx.a.example, port: 25}
expect:
  - {bounced: {to: alice@a.example, status: 4.4.7}}
  - {attempts: {at-least: 20}}
  - trace-contains: "MAIL FROM"
notes:
  - {at: 0s, text: "Alice writes to Bob", it: "Alice scrive a Bob"}
)";
    auto s = load_scenario_text(text, "inline.yaml");
    if (!s) FAIL(s.error().message());
    CHECK(s->seed == 42);
    REQUIRE(s->hosts.size() == 3);
    CHECK(s->hosts[0].role == Role::UserAgent);
    CHECK(s->hosts[1].mailboxes[1].quota == 10'000);
    CHECK(s->hosts[1].link.bandwidth_bps == 10'000'000u);
    CHECK(*s->hosts[1].link.loss == Approx(0.01));
    CHECK(s->hosts[1].aliases.at("team") == std::vector<std::string>{"alice", "bob"});
    CHECK(s->hosts[2].profile == "exim");
    REQUIRE(s->dns.at("b.example").mx.size() == 2);
    CHECK(s->dns.at("b.example").mx[1].preference == 20);
    CHECK(s->actions[0].send.to == std::vector<std::string>{"bob@b.example"});
    CHECK(s->faults[0].length == days(6));
    CHECK(s->faults[1].length == hours(1));
    CHECK(s->faults[1].port == 25);
    CHECK(s->expects[0].status == "4.4.7");
    CHECK(*s->expects[1].at_least == 20);
    CHECK(s->notes[0].it == "Alice scrive a Bob");
}

TEST_CASE("every broken scenario gives its exact file:line:col message", "[scenario]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path(POSTINO_SOURCE_DIR) / "tests/scenario/broken";
    int checked = 0;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        std::ifstream in(path);
        std::string first, text;
        std::getline(in, first);
        const std::string prefix = "# expect: ";
        REQUIRE(first.rfind(prefix, 0) == 0);
        std::string rest((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        // Keep the comment line so line numbers match the file.
        auto s = load_scenario_text(first + "\n" + rest, path.filename().string());
        INFO(path.filename().string());
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().message() == first.substr(prefix.size()));
        ++checked;
    }
    CHECK(checked >= 10);
    CHECK_FALSE(load_scenario_file("/no/such/file.yaml").ok());
}
