// builtin_test.cpp — the bundled suites against Postino's own engines in
// process: every check passes or is skipped for a reason (no FAIL, WARN or
// ERROR), and the run is deterministic (same trace fingerprint twice).
#include <catch2/catch.hpp>

#include "conformance/builtin_transport.hpp"
#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"

using namespace postino;
using namespace postino::conformance;

namespace {

RunOptions builtin_options() {
    RunOptions o;
    o.allow_writes = true;
    o.run_slow = true;
    o.vars = {{"user", "alice"}, {"pass", "secret"}, {"domain", "example.test"}, {"rcpt", "alice@example.test"},
              {"host", "builtin"}};
    o.target = "builtin";
    return o;
}

}  // namespace

TEST_CASE("builtin: the SMTP and POP3 suites pass against Postino's engines") {
    for (const char* name : {"smtp", "pop3"}) {
        auto suite = load_suite_file(resolve_suite(name));
        REQUIRE(suite.ok());
        BuiltinTransport t{BuiltinOptions{}};
        const SuiteResult r = run_suite(*suite, t, builtin_options(), nullptr);
        for (const auto& c : r.results) {
            INFO(name << " " << c.check->id << ": " << to_string(c.verdict) << " " << c.reason << " at " << c.where);
            CHECK((c.verdict == Verdict::Pass || c.verdict == Verdict::Skip));
        }
    }
}

TEST_CASE("builtin: two runs give the same trace") {
    auto suite = load_suite_file(resolve_suite("smtp"));
    REQUIRE(suite.ok());
    std::string prints[2];
    for (auto& fp : prints) {
        BuiltinTransport t{BuiltinOptions{}};
        trace::Recorder rec([&] { return t.now(); });
        (void)run_suite(*suite, t, builtin_options(), &rec);
        CHECK(rec.count() > 1000);
        fp = rec.fingerprint_hex();
    }
    CHECK(prints[0] == prints[1]);
}

TEST_CASE("builtin: writes are skipped without allow_writes, and nothing is delivered") {
    auto suite = load_suite_file(resolve_suite("smtp"));
    REQUIRE(suite.ok());
    BuiltinTransport t{BuiltinOptions{}};
    RunOptions o = builtin_options();
    o.allow_writes = false;
    const SuiteResult r = run_suite(*suite, t, o, nullptr);
    CHECK(r.count(Verdict::Skip) >= 10);
    CHECK(t.inbox_size() == 0);
    for (const auto& c : r.results) {
        if (c.check->writes) CHECK(c.verdict == Verdict::Skip);
    }
}
