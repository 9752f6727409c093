// suite.hpp — the data model of a conformance suite (docs/conformance-format.md):
// checks made of steps on one or more connections, expectations on the
// replies, and the verdicts a run gives (PASS, FAIL, WARN, POLICY, SKIP,
// ERROR; CONFORMANCE-CHECKLIST.md part b).
//
// A suite is pure data, loaded from YAML by suite_loader.hpp and executed by
// runner.hpp over any transport (transport.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace postino::conformance {

enum class Protocol : std::uint8_t { Smtp, Pop3, Imap };
const char* to_string(Protocol p);

// MUST broken → FAIL; SHOULD broken → WARN (RFC 2119).
enum class Level : std::uint8_t { Must, Should };
const char* to_string(Level l);

enum class Verdict : std::uint8_t { Pass, Fail, Warn, Policy, Skip, Error };
const char* to_string(Verdict v);

// A regular expression as written in the suite (ECMAScript, matched
// case-insensitively after ${var} expansion).
struct Pattern {
    std::string source;
    std::string where;  // file:line:col, for messages
};

// What one reply must look like. Only the keys the suite gave are checked.
struct Match {
    // SMTP: reply codes; each entry "250", "25x" or "2xx".
    std::vector<std::string> codes;
    std::optional<bool> multiline;        // SMTP / POP3: a multi-line reply
    std::optional<std::size_t> max_line;  // every line, CRLF included, at most this many octets
    std::optional<bool> enhanced;         // SMTP: every line carries a c.s.d code of the reply's class
    // POP3: "+OK" / "-ERR"; IMAP: "OK" / "NO" / "BAD" (tagged status).
    std::vector<std::string> status;
    std::string tag;             // IMAP: the tag to wait for ("" : expect an untagged or continuation line)
    bool continuation = false;   // IMAP: a "+" continuation request
    std::vector<Pattern> text;       // each must match somewhere in the reply text (lines joined by \n)
    std::vector<Pattern> not_text;   // none may match
    std::vector<Pattern> body;       // POP3 multi-line body (un-stuffed), IMAP: the literals
    std::vector<Pattern> not_body;
    std::string body_octets;         // POP3: octets of the un-stuffed body ("${var}" allowed)
    std::vector<Pattern> must;       // IMAP: untagged lines that must appear (any order)
    std::vector<Pattern> must_not;   // IMAP: untagged lines that must not appear
    std::vector<Pattern> may;        // IMAP: untagged lines that may appear
    bool no_extra = false;           // IMAP: any untagged line outside must/may is an error
    bool closed = false;             // the server closes the connection (instead of, or after, a reply)
};

// An allowed variation (CONFORMANCE-CHECKLIST.md part c): when the main
// match fails but this one holds, the step gives POLICY with the note.
struct PolicyAlt {
    Match match;
    std::string note;
};

struct Capture {
    std::string var;
    Pattern pattern;  // the first group (or the whole match) is bound
    bool from_body = false;
};

struct Expect {
    Match match;
    std::vector<PolicyAlt> policy;
    std::vector<Capture> captures;
    std::optional<Level> level;       // overrides the check's level for this step
    std::optional<Pattern> skip_unless;  // the check is SKIP unless the reply text matches
    std::string note;                 // said in the failure message
    // A reply that never comes fails the step (FAIL or WARN) instead of giving
    // ERROR: for checks whose point is that the server answers at all
    // (pipelined commands, early commands, the timeout's 421).
    bool must_answer = false;
};

enum class StepKind : std::uint8_t {
    Send,     // lines, each followed by CRLF, all in one write (a pipelined group)
    Raw,      // octets exactly as given
    Literal,  // IMAP: prefix {n} CRLF, wait for "+", the octets, then the rest of the line
    Expect,   // read one reply and match it
    Silence,  // nothing may arrive for a while
    Wait,     // let time pass
    Close,    // the harness closes the connection
    Repeat,   // the sub-steps `times` times, with ${i} = 1..times
    StartTls, // the TLS handshake, right after the server's yes to STARTTLS/STLS (RFC 3207 §4, RFC 2595 §4, RFC 3501 §6.2.1)
};

struct Step {
    StepKind kind = StepKind::Send;
    std::string conn = "c1";  // connection name
    std::vector<std::string> lines;  // Send
    std::string bytes;               // Raw; Literal: the literal's octets
    std::string prefix, suffix;      // Literal
    bool sync_literal = true;        // Literal: {n} (true) or {n+} (false)
    Expect expect;                   // Expect
    Duration duration{};             // Silence, Wait
    bool delivery_wait = false;      // Wait: "wait: delivery", as long as --delivery-wait
    int times = 0;                   // Repeat
    std::vector<Step> steps;         // Repeat
    std::string tls_failure_policy;  // StartTls: a handshake that fails (not the certificate check) is POLICY with this note
    std::string where;               // file:line:col of the step
};

struct Connection {
    std::string name;
    Protocol protocol = Protocol::Smtp;  // the endpoint it connects to
};

struct Check {
    std::string id;
    std::string title;
    std::string ref;    // "RFC 5321 §4.2"
    std::string item;   // checklist item, "S2"
    Level level = Level::Must;
    bool writes = false;                      // destructive: only with --allow-writes
    bool slow = false;                        // waits minutes: only on virtual time (builtin) or with --slow
    bool plaintext = false;                   // begins in plaintext whatever --tls says (it tests STARTTLS itself)
    std::vector<std::string> requires_caps;   // SKIP unless every one is advertised
    std::vector<std::string> policy_notes;    // the allowed variations, for the report
    std::vector<Connection> connections;      // declared extra connections (c1 is the suite's protocol)
    std::vector<Step> steps;
    std::string where;
};

struct Suite {
    std::string name;
    std::string title;
    Protocol protocol = Protocol::Smtp;
    std::string file;
    std::vector<Check> checks;
};

}  // namespace postino::conformance
