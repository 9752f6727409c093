// fault_test.cpp — proving the checks can fail: each row switches on one
// named fault of Postino's own engines (proto/smtp/faults.hpp,
// proto/pop3/faults.hpp, proto/imap/faults.hpp, or the builtin world's) and asserts that the check
// reports FAIL or WARN against the faulty engine and PASS against the
// correct one.
#include <catch2/catch.hpp>

#include "conformance/builtin_transport.hpp"
#include "conformance/runner.hpp"
#include "conformance/suite_loader.hpp"

using namespace postino;
using namespace postino::conformance;

namespace {

struct Row {
    const char* fault;
    const char* suite;
    const char* check;
    Verdict expected;
    // A change to the builtin world for both runs: "apop" offers APOP (a
    // timestamp in the greeting), "mail" puts one message in the maildrop
    // first, for checks that read mail without sending any; "logindisabled"
    // bars plaintext IMAP login (CAPABILITY says LOGINDISABLED), "no-tls"
    // offers no STARTTLS/STLS.
    const char* setup = nullptr;
};

constexpr Verdict F = Verdict::Fail;
constexpr Verdict W = Verdict::Warn;

const Row kRows[] = {
    // STARTTLS / STLS (RFC 3207, RFC 2595 §4, RFC 3501 §6.2.1), over the builtin's TLS model.
    {"starttls-ignores-argument", "smtp", "S26.starttls-with-argument", F},
    {"starttls-refused", "smtp", "S26.starttls-220", F},
    {"starttls-offered-again", "smtp", "S26.no-starttls-inside-tls", F},
    {"starttls-keeps-session", "smtp", "S26.session-reset", F},
    {"starttls-injection-answered", "smtp", "S27.starttls-injection", F},
    {"stls-refused", "pop3", "P15.stls", F},
    {"stls-offered-again", "pop3", "P15.no-stls-inside-tls", F},
    {"stls-injection-answered", "pop3", "P15.stls-injection", F},
    {"imap-starttls-after-login", "imap", "I31.starttls-after-login", F},
    {"imap-starttls-offered-again", "imap", "I31.starttls", F},
    {"imap-starttls-injection-answered", "imap", "I31.starttls-injection", F},
    {"multiline-space", "smtp", "S1.reply-syntax", F},
    {"multiline-space", "smtp", "S2.ehlo-multiline", F},
    {"multiline-space", "smtp", "S2.reply-ends-with-space", F},
    {"multiline-space", "smtp", "S3.ehlo-domain", F},
    {"case-sensitive-verbs", "smtp", "S4.lower-case-verbs", F},
    {"case-sensitive-verbs", "smtp", "S4.mixed-case-verbs", F},
    {"close-on-error", "smtp", "S3.ehlo-no-argument", F},
    {"close-on-error", "smtp", "S3.helo-no-argument", F},
    {"close-on-error", "smtp", "S5.unknown-verb", F},
    {"close-on-error", "smtp", "S5.bad-argument", F},
    {"close-on-error", "smtp", "S5.several-errors", F},
    {"close-on-error", "smtp", "S6.state-after-501", F},
    {"close-on-error", "smtp", "S16.overlong-command", F},
    {"close-on-error", "smtp", "S19.open-after-errors", F},
    {"close-on-error", "smtp", "S24.body-bogus", F},
    {"no-503", "smtp", "S6.rcpt-before-mail", F},
    {"no-503", "smtp", "S6.data-without-rcpt", F},
    {"no-503", "smtp", "S6.nested-mail", F},
    {"no-503", "smtp", "S17.rset-clears", F},
    {"ehlo-keeps-transaction", "smtp", "S7.ehlo-resets", F},
    {"refuse-null-sender", "smtp", "S8.null-sender", F},
    {"refuse-null-sender", "smtp", "S9.postmaster", F},
    {"refuse-null-sender", "smtp", "S9.postmaster-case", F},
    {"few-recipients", "smtp", "S10.hundred-recipients", F},
    {"too-many-is-552", "smtp", "S10.too-many-is-452", W},
    {"keep-dot-stuffing", "smtp", "S13.dot-stuffing-end-to-end", F},
    {"lf-ends-line", "smtp", "S14.lf-dot-lf", F},
    {"lf-ends-line", "smtp", "S14.lf-dot-crlf", F},
    {"lf-ends-line", "smtp", "S14.no-second-message", F},
    {"quit-keeps-open", "smtp", "S19.quit", F},
    {"ignore-unknown-params", "smtp", "S20.unknown-mail-parameter", W},
    {"ignore-unknown-params", "smtp", "S20.unknown-rcpt-parameter", W},
    {"ignore-size", "smtp", "S23.size-over-limit", F},
    {"no-enhanced-codes", "smtp", "S25.enhanced-codes", F},
    {"short-smtp-timeout", "smtp", "S28.waits-five-minutes", W},
    {"no-trace-fields", "smtp", "S29.trace-fields", F},
    {"greeting-421", "smtp", "S1.greeting", F},
    {"vrfy-verifies-all", "smtp", "S18.vrfy-unknown-not-250", F},
    {"refuse-8bitmime", "smtp", "S24.body-8bitmime", F},
    {"help-250", "smtp", "S1.reply-syntax", F},
    {"rcpt-refusal-aborts", "smtp", "S11.rejected-rcpt-continues", F},
    {"data-250", "smtp", "S12.data-354-and-250", F},
    {"dot-line-ends-data", "smtp", "S12.only-crlf-dot-crlf", F},
    {"cr-ends-line", "smtp", "S14.cr-dot-crlf", F},
    {"drop-nul", "smtp", "S14.nul-dot-crlf", F},
    {"store-bare-lf", "smtp", "S15.bare-lf-not-a-line-break", W},
    {"short-command-line", "smtp", "S16.command-line-512", F},
    {"short-local-part", "smtp", "S16.local-part-64", F},
    {"short-domain", "smtp", "S16.domain-255", F},
    {"short-path", "smtp", "S16.path-256", F},
    {"short-text-line", "smtp", "S16.text-line-1000", F},
    {"small-message-limit", "smtp", "S16.message-64k", F},
    {"long-banner", "smtp", "S16.reply-lines-512", F},
    {"vrfy-500", "smtp", "S18.vrfy-codes", F},
    {"pipelining-drops-input", "smtp", "S21.pipelined-transaction", F},
    {"pipelining-drops-input", "smtp", "S21.pipelined-with-refusal", F},
    {"early-input-lost", "smtp", "S22.unnegotiated-pipelining", W},
    {"refuse-size-param", "smtp", "S23.size-within-limit", F},
    {"refuse-body-7bit", "smtp", "S24.body-7bit", F},
    {"no-idle-timeout", "smtp", "S28.timeout-421", W},
    {"helo-multiline", "smtp", "S3.helo-single", F},
    {"noop-argument-501", "smtp", "S17.noop-with-argument", F},
    {"close-on-error", "smtp", "S6.mail-before-helo", F},
    {"no-capa", "pop3", "P13.capa-before-login", W},
    {"no-capa", "pop3", "P13.capa-after-login", W},
    {"uidl-too-long", "pop3", "P12.uidl-syntax-of-new-message", F},
    {"lowercase-status", "pop3", "P1.greeting", F},
    {"lowercase-status", "pop3", "P1.status-words", F},
    {"case-sensitive-commands", "pop3", "P2.case-insensitive", F},
    {"user-after-login", "pop3", "P3.no-user-after-login", F},
    {"wrong-pass-closes", "pop3", "P4.wrong-password", F},
    {"stat-counts-deleted", "pop3", "P5.stat-excludes-deleted", F},
    {"deleted-still-readable", "pop3", "P6.list-deleted", F},
    {"deleted-still-readable", "pop3", "P9.dele-then-retr", F},
    {"list-size-lf", "pop3", "P7.list-size-is-retr-octets", W},
    {"no-byte-stuffing", "pop3", "P8.retr-byte-stuffed", F},
    {"rset-keeps-marks", "pop3", "P9.rset-unmarks", F},
    {"quit-no-update", "pop3", "P10.quit-removes-deleted", F},
    {"update-on-drop", "pop3", "P10.drop-deletes-nothing", F},
    {"top-whole-message", "pop3", "P11.top-headers", F},
    {"uidl-per-session", "pop3", "P12.uidl-stable", F},
    {"short-autologout", "pop3", "P16.autologout-ten-minutes", F},
    {"unknown-closes", "pop3", "P2.unknown-command", F},
    {"ok-before-login", "pop3", "P3.no-stat-before-login", F},
    {"ok-before-login", "pop3", "P3.no-list-before-login", F},
    {"ok-before-login", "pop3", "P3.no-retr-before-login", F},
    {"ok-before-login", "pop3", "P3.no-dele-before-login", F},
    {"apop-any-digest", "pop3", "P4.apop-wrong-digest", F, "apop"},
    {"stat-no-size", "pop3", "P5.stat-format", F},
    {"scan-listing-two-spaces", "pop3", "P6.list-all", F, "mail"},
    {"scan-listing-two-spaces", "pop3", "P6.list-one", F},
    {"list-missing-ok", "pop3", "P6.list-nonexistent", F},
    {"noop-err", "pop3", "P9.noop", F},
    {"noop-err", "pop3", "P2.case-insensitive", F},
    {"auth-quit-keeps-open", "pop3", "P10.quit-in-authorization", F},
    {"top-past-body-err", "pop3", "P11.top-more-than-body", F},
    {"uidl-too-long", "pop3", "P12.uidl-syntax", F, "mail"},
    {"uidl-listed-not-offered", "pop3", "P13.capa-uidl-works", W},
    {"split-long-commands", "pop3", "P14.command-255-octets", F},
    {"resp-code-unclosed", "pop3", "P14.response-codes-syntax", F},
    // IMAP engine faults (proto/imap/faults.hpp; docs/conformance-imap.md).
    {"uids-reused", "imap", "I17.uid-stable", F},
    {"uids-reused", "imap", "I17.uid-not-reused", F},
    {"expunge-during-fetch", "imap", "I22.no-expunge-during-fetch", F},
    {"literal-count-off", "imap", "I4.literal-crlf", F},
    {"literal-count-off", "imap", "I14.partial", F},
    {"literal-count-off", "imap", "I11.size-is-body-length", F},
    {"no-tagged-noop", "imap", "I2.pipelined", F},
    {"wrong-exists", "imap", "I8.exists-count", F},
    {"wrong-exists", "imap", "I10.status-agrees", F},
    {"garbage-ok", "imap", "I3.unknown-command", F},
    {"peek-sets-seen", "imap", "I15.peek-keeps-unseen", F},
    {"logout-no-bye", "imap", "I30.logout", F},
    {"logout-no-bye", "imap", "I30.logout-authenticated", F},
    {"expunge-not-renumbered", "imap", "I21.expunge-renumbers", F},
    {"append-creates", "imap", "I25.append-trycreate", F},
    {"examine-writable", "imap", "I9.examine-read-only", F},
    {"examine-writable", "imap", "I9.examine-keeps-flags", F},
    {"any-password", "imap", "I7.login-bad-password", F},
    {"any-password", "imap", "I7.login-unknown-user", F},
    {"partial-full-label", "imap", "I14.partial", F},
    {"silent-echoes", "imap", "I18.store-silent", F},
    {"copy-drops-flags", "imap", "I24.copy-keeps-flags-and-date", F},
    {"any-charset", "imap", "I20.badcharset", F},
    {"short-imap-autologout", "imap", "I32.autologout", F},
    {"wrong-exists", "imap", "I8.select-responses", F},
    {"literal-count-off", "imap", "I14.header-and-text", F},
    {"literal-count-off", "imap", "I14.part-numbers", F},
    {"literal-count-off", "imap", "I14.mime", F},
    {"partial-full-label", "imap", "I14.partial-past-end", F},
    {"examine-writable", "imap", "I23.close-after-examine", F},
    {"greeting-no-star", "imap", "I1.greeting", F},
    {"capability-no-rev1", "imap", "I1.capability", F},
    {"capability-no-rev1", "imap", "I1.capability-after-login", F},
    {"double-tagged-noop", "imap", "I2.one-tagged-reply", F},
    {"strict-tags", "imap", "I2.odd-tag", F},
    {"untagged-after-tagged", "imap", "I2.untagged-before-tagged", F},
    {"ok-before-auth", "imap", "I3.select-before-login", F},
    {"ok-without-select", "imap", "I3.fetch-without-select", F},
    {"relogin-ok", "imap", "I3.login-twice", F},
    {"syntax-error-no", "imap", "I3.missing-arguments", F},
    {"create-existing-ok", "imap", "I26.create-existing", F},
    {"delete-inbox-ok", "imap", "I26.delete-inbox", F},
    {"rename-missing-ok", "imap", "I26.rename-missing", F},
    {"done-not-recognized", "imap", "I29.idle-done", F},
    {"noop-no", "imap", "I30.noop", F},
    {"delimiter-unquoted", "imap", "I27.list-delimiter", F},
    {"unseen-always", "imap", "I8.unseen-only-when-unseen", F},
    {"uidnext-off", "imap", "I8.uidnext-predicts", W},
    {"uid-fetch-no-uid", "imap", "I16.uid-fetch-carries-uid", F},
    {"body-keeps-unseen", "imap", "I15.body-sets-seen", F},
    {"close-sends-expunge", "imap", "I23.close-expunges-silently", F},
    {"move-keeps-source", "imap", "I24.move", F},
    // IMAP: parser, literals, login, SELECT, FETCH items and ENVELOPE (I1, I4–I12, I31).
    {"login-despite-logindisabled", "imap", "I1.logindisabled", F, "logindisabled"},
    {"logindisabled-unadvertised", "imap", "I1.login-when-not-disabled", F},
    {"logindisabled-unadvertised", "imap", "I7.login-good", F},
    {"imap-starttls-not-offered-ok", "imap", "I31.starttls-not-offered", F, "no-tls"},
    {"astring-literal-refused", "imap", "I4.continuation", F},
    {"astring-literal-refused", "imap", "I4.literal-login", F},
    {"astring-literal-refused", "imap", "I4.literal-in-search", F},
    {"literal-plus-refused", "imap", "I5.nonsync-login", F},
    {"literal-plus-refused", "imap", "I5.nonsync-append", F},
    {"quoted-escapes-kept", "imap", "I6.quoted-escapes", F},
    {"atom-specials-allowed", "imap", "I6.atom-specials", F},
    {"recent-flag-missing", "imap", "I8.recent-count", W},
    {"failed-select-keeps-mailbox", "imap", "I9.failed-select-deselects", F},
    {"internaldate-no-zone", "imap", "I11.fetch-items", F},
    {"fast-as-all", "imap", "I11.macro-fast", F},
    {"full-bodystructure", "imap", "I11.macro-all-full", F},
    {"envelope-no-sender-default", "imap", "I12.envelope", F},
    {"envelope-empty-not-nil", "imap", "I12.envelope-nil", F},
    // IMAP: BODYSTRUCTURE, header fields, UIDs and SEARCH (I13, I14, I16, I17, I20).
    {"text-no-lines", "imap", "I13.bodystructure-single", F},
    {"text-no-lines", "imap", "I13.bodystructure-multipart", F},
    {"text-no-lines", "imap", "I13.bodystructure-rfc822", F},
    {"no-default-charset", "imap", "I13.bodystructure-single", F},
    {"no-default-charset", "imap", "I13.bodystructure-rfc822", F},
    {"multipart-no-subtype", "imap", "I13.bodystructure-multipart", F},
    {"rfc822-part-basic", "imap", "I13.bodystructure-rfc822", F},
    {"fields-not-as-fields", "imap", "I14.header-fields", F},
    {"uid-star-empty", "imap", "I16.uid-range-star", F},
    {"missing-uids-no", "imap", "I16.missing-uids-ignored", F},
    {"reversed-range-empty", "imap", "I16.reversed-range", F},
    {"uid-search-seqnums", "imap", "I16.uid-search", F},
    {"uid-store-seqnums", "imap", "I16.uid-store", F},
    {"uid-copy-seqnums", "imap", "I16.uid-copy", F},
    {"uids-descend", "imap", "I17.uids-ascend", F},
    {"uids-reused", "imap", "I16.uid-store", F},
    {"uids-reused", "imap", "I16.uid-copy", F},
    {"uidvalidity-from-name", "imap", "I17.uidvalidity-recreate", F},
    {"search-flags-match-all", "imap", "I20.search-flags", F},
    {"search-case-sensitive", "imap", "I20.search-strings", F},
    {"search-date-with-time", "imap", "I20.search-dates", F},
    {"search-size-swapped", "imap", "I20.search-size", F},
    {"search-or-as-and", "imap", "I20.search-not-or", F},
    // IMAP: flags, expunges, COPY, APPEND, mailbox names, LIST, IDLE (I18, I19, I21, I22, I24–I29).
    {"store-echoes-old-flags", "imap", "I18.store-echo", F},
    {"store-replace-adds", "imap", "I18.minus-and-replace", F},
    {"store-from-stale-view", "imap", "I18.concurrent-flags", F},
    {"keyword-not-announced", "imap", "I19.new-keyword", F},
    {"expunge-reported-twice", "imap", "I21.expunge-once", F},
    {"expunge-during-store-search", "imap", "I22.no-expunge-during-store-search", F},
    {"unsolicited-expunge", "imap", "I22.no-unsolicited-expunge", F},
    {"copy-creates", "imap", "I24.copy-trycreate", F},
    {"failed-copy-keeps-copies", "imap", "I24.failed-copy-unchanged", F},
    {"append-ignores-date", "imap", "I25.append-flags-date", F},
    {"exists-not-sent", "imap", "I25.append-exists-other-session", F},
    {"own-append-hidden", "imap", "I25.append-exists-same-session", W},
    {"rename-keeps-old-name", "imap", "I26.rename", F},
    {"delete-removes-inferiors", "imap", "I26.delete-parent", F},
    {"delete-parent-kept", "imap", "I26.delete-parent", F},
    {"percent-matches-delimiter", "imap", "I27.list-wildcards", F},
    {"inbox-case-sensitive", "imap", "I27.inbox-case-insensitive", F},
    {"lsub-ignores-subscriptions", "imap", "I27.lsub", F},
    {"list-utf8-names", "imap", "I28.mutf7", F},
    {"idle-no-push", "imap", "I29.idle-push", F},
    {"exists-not-sent", "imap", "I29.idle-push", F},
    // The builtin world's delivery and bounces (message suite, builtin_bounce.hpp).
    {"unfold-headers", "message", "M1.delivered-header", F},
    {"dsn-sender-not-null", "message", "M7.dsn-null-sender", F},
    {"dsn-plain-text", "message", "M8.dsn-structure", F},
    {"dsn-plain-text", "message", "M9.dsn-fields", F},
    // The builtin world's delivery (builtin_delivery.hpp) and more bounce faults.
    {"drop-blank-body-lines", "message", "M1.delivered-body", F},
    {"drop-blank-body-lines", "message", "M5.boundaries", F},
    {"second-date", "message", "M2.delivered-date-from", F},
    {"wrap-long-lines", "message", "M3.base64", F},
    {"wrap-long-lines", "message", "M4.quoted-printable", F},
    {"decode-subject", "message", "M6.encoded-words", F},
    {"dsn-status-4", "message", "M10.status-class", W},
    {"dsn-status-mailbox", "message", "M11.status-code", W},
    {"dsn-lf", "message", "M1.dsn-lines", F},
    {"dsn-no-date", "message", "M2.dsn-date-from", F},
    {"dsn-no-message-id", "message", "M2.dsn-message-id", W},
};

Verdict run_one(const Suite& suite, const char* check, const char* fault, const char* setup) {
    BuiltinOptions bo;
    if (fault != nullptr) REQUIRE(apply_fault(bo, fault));
    const std::string_view how = setup == nullptr ? "" : setup;
    if (how == "apop") bo.pop3.apop = true;
    if (how == "logindisabled") bo.imap.allow_plaintext_login = false;
    if (how == "no-tls") bo.tls = false;
    BuiltinTransport t(bo);
    if (how == "mail") t.insert("Subject: seeded\r\n\r\nbody\r\n");
    RunOptions o;
    o.allow_writes = true;
    o.run_slow = true;
    o.only = {check};
    o.vars = {{"user", "alice"}, {"pass", "secret"}, {"domain", "example.test"}, {"rcpt", "alice@example.test"},
              {"host", "builtin"}};
    const SuiteResult r = run_suite(suite, t, o, nullptr);
    REQUIRE(r.results.size() == 1);
    INFO(check << " with " << (fault ? fault : "no fault") << ": " << r.results[0].reason);
    return r.results[0].verdict;
}

}  // namespace

TEST_CASE("faults: each check fails against its faulty engine and passes against the correct one") {
    std::map<std::string, Suite> suites;
    for (const char* name : {"smtp", "pop3", "imap", "message"}) {
        auto s = load_suite_file(resolve_suite(name));
        REQUIRE(s.ok());
        suites.emplace(name, std::move(*s));
    }
    for (const Row& row : kRows) {
        INFO(row.check << " / " << row.fault);
        const Suite& s = suites.at(row.suite);
        REQUIRE(std::any_of(s.checks.begin(), s.checks.end(), [&](const Check& c) { return c.id == row.check; }));
        CHECK(run_one(s, row.check, nullptr, row.setup) == Verdict::Pass);
        CHECK(run_one(s, row.check, row.fault, row.setup) == row.expected);
    }
}

TEST_CASE("faults: every named fault is known and makes at least one row fail") {
    BuiltinOptions bo;
    CHECK_FALSE(apply_fault(bo, "no-such-fault"));
    std::string names = builtin_fault_names();
    std::size_t from = 0;
    while (from < names.size()) {
        const auto sp = names.find(' ', from);
        const std::string name = names.substr(from, sp == std::string::npos ? std::string::npos : sp - from);
        from = sp == std::string::npos ? names.size() : sp + 1;
        INFO(name);
        BuiltinOptions o;
        CHECK(apply_fault(o, name));
        CHECK(std::any_of(std::begin(kRows), std::end(kRows), [&](const Row& r) { return name == r.fault; }));
    }
}
