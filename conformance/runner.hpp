// runner.hpp — runs the checks of a suite over a transport and gives each a
// verdict (docs/conformance-format.md, "Verdicts"): PASS, FAIL (a MUST
// broken), WARN (a SHOULD broken), POLICY (an allowed variation seen), SKIP
// (not offered, or not allowed to run) and ERROR (could not run: timeout,
// a bound crossed, the transport failed). A check that errs never stops the
// run; the next one starts on fresh connections.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "conformance/suite.hpp"
#include "conformance/transport.hpp"
#include "core/trace.hpp"

namespace postino::conformance {

// --tls: whether the sessions of checks switch to TLS after the greeting
// (STARTTLS, RFC 3207; STLS, RFC 2595 §4; IMAP STARTTLS, RFC 3501 §6.2.1).
enum class TlsMode : std::uint8_t {
    Never,      // plaintext sessions (checks with starttls steps still switch themselves)
    IfOffered,  // switch when the server advertises it, else stay in plaintext
    Required,   // switch, and a server that does not advertise it (or refuses) is an ERROR
};
const char* to_string(TlsMode m);

struct RunOptions {
    Duration timeout = seconds(10);   // per reply
    Duration delivery_wait = milliseconds(500);  // "wait: delivery": mail accepted is in the mailbox by then
    bool allow_writes = false;        // run checks marked writes: true
    bool run_slow = false;            // run checks marked slow: true (builtin: always, time is virtual)
    std::vector<std::string> only;    // check ids, item names ("S2") or id prefixes; empty: all
    // ${user} ${pass} ${domain} ${rcpt} ${host} and any others the suite uses.
    std::map<std::string, std::string> vars;
    std::string target;               // for reports: "smtp://127.0.0.1:2525" or "builtin smtp"
    TlsMode tls = TlsMode::Never;     // checks not marked plaintext: switch to TLS right after the greeting
};

struct CheckResult {
    const Check* check = nullptr;
    Verdict verdict = Verdict::Pass;
    std::string reason;              // why it is not PASS (or the policy note)
    std::string where;               // the step that decided it (file:line:col)
    Duration elapsed{};
};

struct SuiteResult {
    std::string suite;
    std::string title;
    std::string target;
    std::vector<CheckResult> results;
    Duration elapsed{};         // transport time (virtual for --builtin)
    double wall_seconds = 0;    // real time the run took
    bool virtual_time = false;
    [[nodiscard]] std::size_t count(Verdict v) const;
    [[nodiscard]] bool failed() const { return count(Verdict::Fail) > 0; }
};

// `trace` (may be null) receives every session as trace events.
SuiteResult run_suite(const Suite& suite, Transport& transport, const RunOptions& options, trace::Recorder* trace);

// True when `check` is selected by `only` (empty: every check).
bool selected(const Check& check, const std::vector<std::string>& only);

// ${name} and ${repeat:N:TEXT} expansion; values regex-escaped when `for_regex`.
Result<std::string> expand(std::string_view text, const std::map<std::string, std::string>& vars, bool for_regex);

}  // namespace postino::conformance
