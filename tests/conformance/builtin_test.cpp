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

TEST_CASE("builtin: with --tls required every suite passes inside TLS and the TLS checks run") {
    for (const char* name : {"smtp", "pop3", "imap"}) {
        auto suite = load_suite_file(resolve_suite(name));
        REQUIRE(suite.ok());
        BuiltinTransport t{BuiltinOptions{}};
        RunOptions o = builtin_options();
        o.tls = TlsMode::Required;
        const SuiteResult r = run_suite(*suite, t, o, nullptr);
        for (const auto& c : r.results) {
            INFO(name << " " << c.check->id << ": " << to_string(c.verdict) << " " << c.reason << " at " << c.where);
            CHECK((c.verdict == Verdict::Pass || c.verdict == Verdict::Skip));
            if (c.check->item == "S26" || c.check->item == "S27" || c.check->item == "P15" ||
                c.check->id == "I31.starttls" || c.check->id == "I31.starttls-injection") {
                CHECK(c.verdict == Verdict::Pass);
            }
        }
    }
}

TEST_CASE("builtin: --tls required against engines without TLS is an ERROR naming the missing capability") {
    auto suite = load_suite_file(resolve_suite("pop3"));
    REQUIRE(suite.ok());
    BuiltinOptions bo;
    bo.tls = false;
    BuiltinTransport t{bo};
    RunOptions o = builtin_options();
    o.tls = TlsMode::Required;
    o.only = {"P1"};
    const SuiteResult r = run_suite(*suite, t, o, nullptr);
    REQUIRE_FALSE(r.results.empty());
    for (const auto& c : r.results) {
        CHECK(c.verdict == Verdict::Error);
        CHECK(c.reason.find("does not advertise STLS") != std::string::npos);
    }
    o.tls = TlsMode::IfOffered;  // plaintext then, as written
    BuiltinTransport t2{bo};
    for (const auto& c : run_suite(*suite, t2, o, nullptr).results) CHECK(c.verdict == Verdict::Pass);
}

TEST_CASE("builtin: the trace of a TLS session has the records, the switch and the lines marked tls") {
    auto suite = load_suite_file(resolve_suite("smtp"));
    REQUIRE(suite.ok());
    std::string prints[2];
    for (auto& fp : prints) {
        BuiltinTransport t{BuiltinOptions{}};
        trace::Recorder rec([&] { return t.now(); });
        struct Collect final : trace::Sink {
            std::vector<trace::Event> events;
            void on_event(const trace::Event& e) override { events.push_back(e); }
        } sink;
        rec.add_sink(&sink);
        RunOptions o = builtin_options();
        o.only = {"S27"};
        (void)run_suite(*suite, t, o, &rec);
        bool established = false, record = false, tls_line = false, plain_after = false;
        for (const auto& e : sink.events) {
            if (e.kind == "tls" && e.get_str("ev") == "established") established = true;
            if (e.kind == "tls" && e.get_str("ev") == "record") record = true;
            if (e.kind == "line" && e.get_bool("tls").value_or(false)) tls_line = true;
            // Once a line was carried inside TLS, every later one on that connection is too.
            if (tls_line && e.kind == "line" && !e.get_bool("tls").value_or(false)) plain_after = true;
        }
        CHECK(established);
        CHECK(record);
        CHECK(tls_line);
        CHECK_FALSE(plain_after);
        fp = rec.fingerprint_hex();
    }
    CHECK(prints[0] == prints[1]);
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
