// imap_suite_test.cpp — the IMAP suite (conformance/suites/imap.yaml)
// against Postino's IMAP server engine in process: every check passes (or
// is skipped for a feature the engine does not offer) against the correct
// engine (the faults of proto/imap/faults.hpp that make them FAIL are rows
// of fault_test.cpp), and the message/DSN suite against the builtin world.
#include <catch2/catch.hpp>

#include <set>

#include "conformance/builtin_transport.hpp"
#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"
#include "proto/imap/faults.hpp"

using namespace postino;
using namespace postino::conformance;

namespace {

RunOptions options() {
    RunOptions o;
    o.allow_writes = true;
    o.run_slow = true;
    o.vars = {{"user", "alice"}, {"pass", "secret"}, {"domain", "example.test"}, {"rcpt", "alice@example.test"},
              {"host", "builtin"}};
    o.target = "builtin imap";
    return o;
}

const Suite& imap_suite() {
    static const Suite s = [] {
        auto r = load_suite_file(resolve_suite("imap"));
        REQUIRE(r.ok());
        return *r;
    }();
    return s;
}

SuiteResult run_with(const std::string& fault, const std::vector<std::string>& only) {
    BuiltinOptions bo;
    if (!fault.empty()) REQUIRE(imap::set_fault(bo.imap.faults, fault));
    BuiltinTransport t{bo};
    RunOptions o = options();
    o.only = only;
    return run_suite(imap_suite(), t, o, nullptr);
}

}  // namespace

TEST_CASE("imap suite: at least 60 checks covering I1 to I32") {
    const Suite& s = imap_suite();
    CHECK(s.checks.size() >= 60);
    std::set<std::string> items;
    for (const auto& c : s.checks) items.insert(c.item);
    for (int i = 1; i <= 32; ++i) CHECK(items.count("I" + std::to_string(i)) == 1);
}

TEST_CASE("imap suite: every check passes against the correct engine") {
    const SuiteResult r = run_with("", {});
    std::size_t pass = 0;
    for (const auto& c : r.results) {
        INFO(c.check->id << ": " << to_string(c.verdict) << " " << c.reason << " at " << c.where);
        CHECK((c.verdict == Verdict::Pass || c.verdict == Verdict::Skip));
        if (c.verdict == Verdict::Pass) ++pass;
    }
    CHECK(pass >= 100);
    // Skipped only for what the engine does not offer: LOGINDISABLED (plaintext allowed) and STARTTLS.
    CHECK(r.count(Verdict::Skip) == 2);
}

TEST_CASE("imap suite: an unknown fault name is refused") {
    imap::ServerFaults f;
    CHECK_FALSE(imap::set_fault(f, "no-such-fault"));
    CHECK(imap::set_fault(f, "uids_reused"));
    CHECK(f.uids_reused);
}

TEST_CASE("message suite: M1-M11 pass against the builtin world, whose undeliverable domain bounces") {
    auto suite = load_suite_file(resolve_suite("message"));
    REQUIRE(suite.ok());
    std::set<std::string> items;
    for (const auto& c : suite->checks) items.insert(c.item);
    for (int i = 1; i <= 11; ++i) CHECK(items.count("M" + std::to_string(i)) == 1);
    BuiltinTransport t{BuiltinOptions{}};
    const SuiteResult r = run_suite(*suite, t, options(), nullptr);
    for (const auto& c : r.results) {
        INFO(c.check->id << ": " << to_string(c.verdict) << " " << c.reason << " at " << c.where);
        CHECK(c.verdict == Verdict::Pass);
    }
    // Seven delivered messages and one bounce per DSN check, all in alice's INBOX.
    CHECK(t.inbox_size() == 7 + 8);
}

TEST_CASE("message suite: a server that accepts undeliverable mail but bounces nothing fails the DSN checks") {
    auto suite = load_suite_file(resolve_suite("message"));
    REQUIRE(suite.ok());
    BuiltinTransport t{BuiltinOptions{}};
    RunOptions o = options();
    // The envelope sender is no account of the world, so the world drops the
    // bounce, and alice's INBOX never receives one.
    o.vars["rcpt"] = "nobody-here@example.test";
    o.only = {"M7", "M8", "M9", "M10", "M11", "M1.dsn-lines", "M2.dsn-date-from", "M2.dsn-message-id"};
    const SuiteResult r = run_suite(*suite, t, o, nullptr);
    REQUIRE(r.results.size() == 8);
    for (const auto& c : r.results) {
        INFO(c.check->id << ": " << to_string(c.verdict) << " " << c.reason);
        CHECK((c.verdict == Verdict::Fail || c.verdict == Verdict::Warn));
    }
    CHECK(t.inbox_size() == 0);
}
