// faults.hpp — deliberate defects of the SMTP server engine, off by
// default, that exist to prove the conformance checks can fail
// (docs/conformance-format.md, "Proving the checks can fail"). Each breaks
// one rule of RFC 5321 on purpose; the harness's tests switch them on
// (`postino check --builtin smtp --fault NAME`) and assert FAIL or WARN.
// Tolerances of bad client input are leniencies (server_config.hpp), not faults.
#pragma once

#include <string_view>

namespace postino::smtp {

struct ServerFaults {
    bool multiline_space = false;    // every line of a multi-line reply uses "ddd " (§4.2: "-" until the last)
    bool no_503 = false;             // commands out of sequence are carried out, not refused with 503 (§4.1.4)
    bool keep_dot_stuffing = false;  // the leading "." of a stuffed data line is kept (§4.5.2)
    bool ehlo_keeps_transaction = false;  // a repeated EHLO does not reset the transaction (§4.1.4)
    bool ignore_unknown_params = false;   // unknown MAIL/RCPT parameters are accepted, not 555 (§4.1.1.11)
    bool no_enhanced_codes = false;  // ENHANCEDSTATUSCODES advertised but the codes left out (RFC 2034 §3)
    bool quit_keeps_open = false;    // QUIT gets 221 but the connection stays open (§4.1.1.10)
    bool case_sensitive_verbs = false;  // only upper-case verbs are known (§2.4)
    bool close_on_error = false;     // the first protocol error ends the session with 421 (§4.2.4)
    bool refuse_null_sender = false; // MAIL FROM:<> is refused (§4.1.1.2, §4.5.5)
    bool too_many_is_552 = false;    // too many recipients get 552, not 452 (§4.5.3.1.10)
    bool ignore_size = false;        // a SIZE= above the limit is accepted (RFC 1870 §6)
    bool vrfy_verifies_all = false;  // VRFY says 250 for any name, verified or not (§3.5.3)
    bool refuse_8bitmime = false;    // BODY=8BITMIME refused although 8BITMIME is advertised (RFC 6152 §3)
    // STARTTLS (RFC 3207).
    bool starttls_ignores_argument = false;  // "STARTTLS now" gets 220, not 501 (§4)
    bool starttls_refused = false;           // STARTTLS advertised but answered 454 (§4)
    bool starttls_offered_again = false;     // EHLO inside TLS still lists STARTTLS (§4.2)
    bool starttls_keeps_session = false;     // the EHLO of before TLS is remembered, not discarded (§4.2)
    bool starttls_injection_answered = false;  // plaintext pipelined after STARTTLS is answered inside TLS (§4.2; CVE-2011-0411)
};

// Switches on the fault called `name` (the member names above, with '-'
// for '_'); false for an unknown name.
bool set_fault(ServerFaults& f, std::string_view name);
// The names, for help texts and errors.
const char* fault_names();

}  // namespace postino::smtp
