// faults.hpp — deliberate defects of the POP3 server engine, off by
// default, that exist to prove the conformance checks can fail
// (docs/conformance-format.md, "Proving the checks can fail"). Each breaks
// one rule of RFC 1939 on purpose; `postino check --builtin pop3 --fault NAME`
// switches one on.
#pragma once

#include <string_view>

namespace postino::pop3 {

struct ServerFaults {
    bool lowercase_status = false;      // "+ok" instead of "+OK" (§3)
    bool no_byte_stuffing = false;      // multi-line bodies sent without stuffing leading dots (§3)
    bool list_size_lf = false;          // LIST sizes count LF line ends, not CRLF (§5, §11)
    bool stat_counts_deleted = false;   // STAT includes messages marked deleted (§5)
    bool deleted_still_readable = false;  // RETR/LIST/TOP of a deleted message succeed (§5)
    bool rset_keeps_marks = false;      // RSET does not unmark (§5)
    bool update_on_drop = false;        // a dropped connection removes the marked messages (§6)
    bool quit_no_update = false;        // QUIT removes nothing (§6)
    bool case_sensitive_commands = false;  // only upper-case keywords are known (§3)
    bool user_after_login = false;      // USER/PASS in TRANSACTION get +OK (§5)
    bool uidl_per_session = false;      // unique-ids change from session to session (§7)
    bool top_whole_message = false;     // TOP ignores its line count (§7)
    bool wrong_pass_closes = false;     // a wrong password closes without -ERR (§7)
    bool no_capa = false;               // CAPA is an unknown command (RFC 2449 §5)
    bool uidl_too_long = false;         // unique-ids of 80 characters (§7: at most 70)
    // STLS (RFC 2595 §4).
    bool stls_refused = false;          // STLS advertised but answered -ERR
    bool stls_offered_again = false;    // CAPA inside TLS still lists STLS
    bool stls_injection_answered = false;  // plaintext pipelined after STLS is answered inside TLS (CVE-2011-0411)
    bool ok_before_login = false;       // TRANSACTION commands before login get a bare +OK (§4)
    bool apop_any_digest = false;       // APOP accepts any well-formed digest (§7)
    bool scan_listing_two_spaces = false;  // scan listings "n  size", two spaces (§5: a single space)
    bool list_missing_ok = false;       // "LIST n" past the maildrop gets "+OK n 0" (§5: -ERR)
    bool noop_err = false;              // NOOP in TRANSACTION gets -ERR (§5)
    bool unknown_closes = false;        // an unknown command gets -ERR and closes the connection (§3)
    bool auth_quit_keeps_open = false;  // QUIT in AUTHORIZATION gets +OK, the connection stays open (§4)
    bool top_past_body_err = false;     // TOP with more lines than the body gets -ERR (§7: whole message)
    bool stat_no_size = false;          // STAT is "+OK n" without the size (§5)
    bool uidl_listed_not_offered = false;  // CAPA lists UIDL, UIDL is an unknown command (RFC 2449 §6.6)
    bool split_long_commands = false;   // lines over 47 octets are cut, the rest read as more commands (RFC 2449 §4)
    bool resp_code_unclosed = false;    // response codes lack their "]" (RFC 2449 §8)
};

// Switches on the fault called `name` (the member names, '-' for '_').
bool set_fault(ServerFaults& f, std::string_view name);
const char* fault_names();

}  // namespace postino::pop3
