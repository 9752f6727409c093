// faults.hpp — deliberate defects of the IMAP server engine, off by
// default, that exist to prove the conformance checks can fail
// (docs/conformance-imap.md, "Proving the checks can fail"). Each breaks one
// rule of RFC 3501 (or RFC 2177 / RFC 7888) on purpose;
// `postino check --builtin imap --fault NAME` switches one on.
#pragma once

#include <string_view>

namespace postino::imap {

struct ServerFaults {
    bool uids_reused = false;            // FETCH/SEARCH report sequence numbers as UIDs (§2.3.1.1)
    bool expunge_during_fetch = false;   // FETCH reports other sessions' EXPUNGEs (§7.4.1)
    bool literal_count_off = false;      // response literals announce one octet more than they carry (§4.3)
    bool no_tagged_noop = false;         // NOOP gets no tagged completion (§2.2.2, §6.1.2)
    bool wrong_exists = false;           // SELECT/EXAMINE report one message more than exist (§7.3.1)
    bool garbage_ok = false;             // an unknown command gets OK instead of BAD (§7.1.3)
    bool peek_sets_seen = false;         // BODY.PEEK[] sets \Seen (§6.4.5)
    bool logout_no_bye = false;          // LOGOUT closes without * BYE (§6.1.3)
    bool expunge_not_renumbered = false; // * n EXPUNGE numbers ignore the earlier ones (§7.4.1)
    bool append_creates = false;         // APPEND to a missing mailbox creates it (§6.3.11)
    bool examine_writable = false;       // EXAMINE selects read-write (§6.3.2)
    bool any_password = false;           // LOGIN accepts any password, and unknown users (§6.2.3)
    bool partial_full_label = false;     // partial FETCH answered as <o.n>, not <o> (§7.4.2)
    bool silent_echoes = false;          // STORE .SILENT still answers FETCH (§6.4.6)
    bool copy_drops_flags = false;       // COPY leaves the copies without flags (§6.4.7)
    bool any_charset = false;            // SEARCH accepts an unknown charset (§6.4.4)
    bool short_autologout = false;       // autologout after 10 minutes, below §5.4's 30
    // STARTTLS (§6.2.1).
    bool starttls_after_login = false;   // STARTTLS accepted in the authenticated state
    bool starttls_offered_again = false; // CAPABILITY inside TLS still lists STARTTLS
    bool starttls_injection_answered = false;  // plaintext pipelined after STARTTLS is answered inside TLS (CVE-2011-0411)
};

// Switches on the fault called `name` (the member names, '-' for '_').
bool set_fault(ServerFaults& f, std::string_view name);
// Every fault name, space-separated.
const char* fault_names();

}  // namespace postino::imap
