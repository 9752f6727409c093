// imap_suite_test.cpp — the IMAP suite (conformance/suites/imap.yaml)
// against Postino's IMAP server engine in process: every check passes (or
// is skipped for a feature the engine does not offer) against the correct
// engine, and each named fault of proto/imap/faults.hpp makes the checks
// written for it FAIL or WARN, while they PASS without it.
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

TEST_CASE("imap suite: each engine fault is caught by its checks") {
    struct Row {
        const char* fault;
        std::vector<std::string> checks;
    };
    const std::vector<Row> table = {
        {"uids-reused", {"I17.uid-stable", "I17.uid-not-reused"}},
        {"expunge-during-fetch", {"I22.no-expunge-during-fetch"}},
        {"literal-count-off", {"I4.literal-crlf", "I14.partial", "I11.size-is-body-length"}},
        {"no-tagged-noop", {"I2.pipelined"}},
        {"wrong-exists", {"I8.exists-count", "I10.status-agrees"}},
        {"garbage-ok", {"I3.unknown-command"}},
        {"peek-sets-seen", {"I15.peek-keeps-unseen"}},
        {"logout-no-bye", {"I30.logout", "I30.logout-authenticated"}},
        {"expunge-not-renumbered", {"I21.expunge-renumbers"}},
        {"append-creates", {"I25.append-trycreate"}},
        {"examine-writable", {"I9.examine-read-only", "I9.examine-keeps-flags"}},
        {"any-password", {"I7.login-bad-password", "I7.login-unknown-user"}},
        {"partial-full-label", {"I14.partial"}},
        {"silent-echoes", {"I18.store-silent"}},
        {"copy-drops-flags", {"I24.copy-keeps-flags-and-date"}},
        {"any-charset", {"I20.badcharset"}},
        {"short-autologout", {"I32.autologout"}},
    };
    // Every fault of the engine has a row.
    std::set<std::string> named;
    const std::string all = imap::fault_names();
    for (std::size_t from = 0; from < all.size();) {
        auto sp = all.find(' ', from);
        if (sp == std::string::npos) sp = all.size();
        named.insert(all.substr(from, sp - from));
        from = sp + 1;
    }
    CHECK(named.size() == table.size());
    for (const auto& row : table) {
        CHECK(named.count(row.fault) == 1);
        const SuiteResult good = run_with("", row.checks);
        const SuiteResult bad = run_with(row.fault, row.checks);
        REQUIRE(good.results.size() == row.checks.size());
        REQUIRE(bad.results.size() == row.checks.size());
        for (std::size_t i = 0; i < row.checks.size(); ++i) {
            INFO(row.fault << " / " << row.checks[i] << ": correct engine " << to_string(good.results[i].verdict) << " "
                           << good.results[i].reason << "; faulty engine " << to_string(bad.results[i].verdict) << " "
                           << bad.results[i].reason);
            CHECK(good.results[i].verdict == Verdict::Pass);
            CHECK((bad.results[i].verdict == Verdict::Fail || bad.results[i].verdict == Verdict::Warn));
        }
    }
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
