// server_config.hpp — what a POP3 server engine offers and how strict it is.
//
// RFC 1939 §7 optional commands (TOP, UIDL, USER/PASS, APOP), RFC 2449 §6
// capabilities (RESP-CODES, PIPELINING, AUTH-RESP-CODE from RFC 3206 §6),
// the §3 autologout timer, and the bad-password delay and attempt limit.
// Defaults come from limits.hpp.
#pragma once

#include <string>

#include "core/time.hpp"
#include "proto/pop3/faults.hpp"
#include "proto/pop3/limits.hpp"

namespace postino::pop3 {

// STLS (RFC 2595 §4). `offered`: the host can switch this connection to
// TLS, so CAPA lists STLS; `user_pass_needs_tls`: USER/PASS are refused
// (and USER is not listed) until TLS is up (RFC 2595 §2.1: plaintext
// passwords only over an encrypted channel).
struct ServerTls {
    bool offered = false;
    bool user_pass_needs_tls = false;
};

struct ServerConfig {
    std::string hostname = "pop.example";  // in the greeting and the APOP timestamp
    std::string banner = "Postino POP3 server ready";
    // APOP (RFC 1939 §7): the greeting carries a timestamp "<tag.time@host>".
    bool apop = false;
    // Unique per session on this host (the host's session counter): with the
    // start time it makes the APOP timestamp unique, as §7 requires.
    std::string session_tag = "1";
    bool user_pass = true;  // USER/PASS (§7); off: only APOP
    bool top = true;        // TOP (§7)
    bool uidl = true;       // UIDL (§7)
    // RFC 1939 §3: at least 10 minutes; shorter values are a deviation the
    // engine reports with a violation event when it starts.
    Duration autologout = kDefaultAutologout;
    Duration bad_password_delay = kDefaultBadPasswordDelay;
    int max_auth_failures = kDefaultMaxAuthFailures;
    int max_errors = kDefaultMaxErrors;
    ServerFaults faults;  // deliberate defects for the conformance tests; all off
    ServerTls tls;
};

}  // namespace postino::pop3
