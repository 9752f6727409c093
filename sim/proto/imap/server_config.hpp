// server_config.hpp — what a host decides about its IMAP server engine.
//
// RFC 3501 §6.2.3 and §7.2.1 (LOGINDISABLED when plaintext login is barred),
// §6.2.1 (STARTTLS),
// §5.4 (the autologout timer, at least 30 minutes), RFC 2177 (IDLE),
// RFC 7888 (LITERAL+).
#pragma once

#include <string>

#include "core/time.hpp"
#include "mail/date.hpp"
#include "proto/imap/faults.hpp"
#include "proto/imap/limits.hpp"

namespace postino::imap {

struct ServerConfig {
    std::string hostname = "imap.example";
    // False: the connection is not private, so LOGIN and AUTHENTICATE PLAIN
    // are refused and CAPABILITY says LOGINDISABLED (RFC 3501 §6.2.3).
    // Once TLS is up (STARTTLS) the connection is private and login is allowed.
    bool allow_plaintext_login = true;
    // The host can switch this connection to TLS: CAPABILITY lists STARTTLS
    // before login (RFC 3501 §6.2.1, RFC 9051 §6.2.1).
    bool starttls = false;
    bool idle = true;          // RFC 2177
    bool literal_plus = true;  // RFC 7888
    Duration autologout = kDefaultAutologout;  // clamped to kMinAutologout
    int max_errors = kDefaultMaxErrors;
    int max_auth_failures = kDefaultMaxAuthFailures;
    mail::DateContext dates;   // calendar of INTERNALDATE and of SEARCH dates
    ServerFaults faults;       // deliberate defects for the conformance tests; all off
};

}  // namespace postino::imap
