// loader_test.cpp — the suite loader: located errors (file:line:col, the
// nearest valid key), every bundled suite loads, variable expansion.
#include <catch2/catch.hpp>

#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"

using namespace postino;
using namespace postino::conformance;

namespace {

std::string error_of(const std::string& text) {
    auto s = load_suite_text(text, "t.yaml");
    REQUIRE_FALSE(s.ok());
    return s.error().message();
}

const char* kHead = "suite: t\nprotocol: smtp\nchecks:\n";

}  // namespace

TEST_CASE("suite loader: a misspelt key names file, line, column and the nearest key") {
    const std::string text = std::string(kHead) + "  - id: A.1\n    title: x\n    ref: RFC 1\n    levle: MUST\n    steps:\n      - send: NOOP\n";
    CHECK(error_of(text) == "t.yaml:7:5: unknown key 'levle' in check; did you mean 'level'?");
}

TEST_CASE("suite loader: a misspelt expect key inside a flow map is located") {
    const std::string text = std::string(kHead) + "  - id: A.1\n    title: x\n    ref: RFC 1\n    steps:\n      - expect: {cod: 250}\n";
    CHECK(error_of(text) == "t.yaml:8:18: unknown key 'cod' in expect; did you mean 'code'?");
}

TEST_CASE("suite loader: wrong values are refused with what is expected") {
    const std::string base = std::string(kHead) + "  - id: A.1\n    title: x\n    ref: RFC 1\n";
    CHECK(error_of(base + "    level: MAY\n    steps: [{send: NOOP}]\n") == "t.yaml:7:12: level must be MUST or SHOULD, not 'MAY'");
    CHECK(error_of(base + "    steps: [{expect: {code: 2500}}]\n").find("code must be three digits") != std::string::npos);
    CHECK(error_of(base + "    steps: [{expect: {status: +OK}}]\n").find("'status' is for POP3 and IMAP") != std::string::npos);
    CHECK(error_of(base + "    steps: [{expect: {text: '(unclosed'}}]\n").find("not a valid regular expression") != std::string::npos);
    CHECK(error_of(base + "    steps: [{on: p, send: NOOP}]\n").find("unknown connection 'p'") != std::string::npos);
    CHECK(error_of(base + "    steps: [{send: NOOP, raw: x}]\n").find("exactly one of") != std::string::npos);
    CHECK(error_of(base + "    steps: [{expect: {code: 250, policy: [{code: 500}]}}]\n").find("needs a 'note'") !=
          std::string::npos);
    CHECK(error_of(base + "    steps: []\n").find("at least one step") != std::string::npos);
}

TEST_CASE("suite loader: a duplicate id and a missing key are refused") {
    const std::string one = "  - id: A.1\n    title: x\n    ref: RFC 1\n    steps: [{send: NOOP}]\n";
    CHECK(error_of(std::string(kHead) + one + one) == "t.yaml:8:9: duplicate check id 'A.1'");
    CHECK(error_of(std::string(kHead) + "  - id: A.1\n    ref: RFC 1\n    steps: [{send: NOOP}]\n") ==
          "t.yaml:4:5: a check needs 'title'");
    CHECK(error_of("suite: t\nchecks: []\n").find("protocol") != std::string::npos);
    CHECK(error_of("suite: [t\n").find("YAML syntax error") != std::string::npos);
}

TEST_CASE("suite loader: the bundled suites load and have the checks the checklist asks for") {
    for (const char* name : {"smtp", "pop3"}) {
        INFO(name);
        auto s = load_suite_file(resolve_suite(name));
        REQUIRE(s.ok());
        CHECK(s->name == name);
        CHECK(s->checks.size() >= (std::string(name) == "smtp" ? 40U : 20U));
    }
    auto smtp = load_suite_file(resolve_suite("smtp"));
    REQUIRE(smtp.ok());
    for (int i = 1; i <= 29; ++i) {
        const std::string item = "S" + std::to_string(i);
        INFO(item);
        CHECK(std::any_of(smtp->checks.begin(), smtp->checks.end(), [&](const Check& c) { return c.item == item; }));
    }
}

TEST_CASE("expand: variables, nested repeats, regex escaping, unknown names") {
    const std::map<std::string, std::string> vars = {{"user", "a.b"}, {"n", "3"}};
    CHECK(*expand("USER ${user}", vars, false) == "USER a.b");
    CHECK(*expand("^${user}$", vars, true) == "^a\\.b$");
    CHECK(*expand("${repeat:3:ab}", vars, false) == "ababab");
    CHECK(*expand("${repeat:2:${repeat:2:x}.}", vars, false) == "xx.xx.");
    CHECK(*expand("${repeat:${n}:z}", vars, false) == "zzz" );
    auto bad = expand("${nope}", vars, false);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().what.find("unknown variable ${nope}") != std::string::npos);
    CHECK_FALSE(expand("${user", vars, false).ok());
}

TEST_CASE("suite loader: starttls steps, their policy, and plaintext checks") {
    const std::string base = std::string(kHead) + "  - id: A.1\n    title: x\n    ref: RFC 3207\n";
    auto s = load_suite_text(base + "    steps: [{expect: {code: 220}}, {starttls: true}]\n", "t.yaml");
    REQUIRE(s.ok());
    REQUIRE(s->checks[0].steps.size() == 2);
    CHECK(s->checks[0].steps[1].kind == StepKind::StartTls);
    CHECK(s->checks[0].steps[1].tls_failure_policy.empty());
    CHECK(s->checks[0].plaintext);  // a check that switches itself is never switched by --tls
    auto p = load_suite_text(base + "    steps: [{starttls: {policy-failed: closed instead}}]\n", "t.yaml");
    REQUIRE(p.ok());
    CHECK(p->checks[0].steps[0].tls_failure_policy == "closed instead");
    auto plain = load_suite_text(base + "    plaintext: true\n    steps: [{send: NOOP}]\n", "t.yaml");
    REQUIRE(plain.ok());
    CHECK(plain->checks[0].plaintext);
    auto other = load_suite_text(base + "    steps: [{send: NOOP}]\n", "t.yaml");
    REQUIRE(other.ok());
    CHECK_FALSE(other->checks[0].plaintext);
    CHECK(error_of(base + "    steps: [{starttls: false}]\n").find("write 'starttls: true'") != std::string::npos);
    CHECK(error_of(base + "    steps: [{starttls: {policy-failes: x}}]\n") ==
          "t.yaml:7:25: unknown key 'policy-failes' in starttls; did you mean 'policy-failed'?");
    CHECK(error_of(base + "    steps: [{starttls: true, send: NOOP}]\n").find("exactly one of") != std::string::npos);
}
