// client_config.hpp — how a client engine behaves and what it must send.
//
// RFC 5321 §4.5.3.2 (the client timeouts, as named defaults from limits.hpp,
// overridable so a scenario can compress time), §4.1.1.1 (the EHLO/HELO
// name), RFC 2920 (use PIPELINING when offered), RFC 3207 (STARTTLS).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "mail/mailbox.hpp"
#include "proto/smtp/limits.hpp"

namespace postino::smtp {

struct ClientTimeouts {
    Duration greeting = kInitialGreetingTimeout;          // §4.5.3.2.1
    Duration mail = kMailTimeout;                         // §4.5.3.2.2
    Duration rcpt = kRcptTimeout;                         // §4.5.3.2.3
    Duration data_initiation = kDataInitiationTimeout;    // §4.5.3.2.4
    Duration data_block = kDataBlockTimeout;              // §4.5.3.2.5 (for the transport: see limits.hpp)
    Duration data_termination = kDataTerminationTimeout;  // §4.5.3.2.6
    Duration other = kOtherReplyTimeout;                  // EHLO, HELO, RSET, QUIT
};

// STARTTLS use (RFC 3207): Off never sends it; WhenOffered sends it when EHLO
// lists it and goes on in plaintext if it is refused; Required ends the
// session with QUIT (recipients temp-fail, tls-unavailable) when it is not
// offered or refused (RFC 3207 §4.1: the client decides whether to go on).
enum class StartTls : std::uint8_t { Off, WhenOffered, Required };

struct ClientConfig {
    std::string helo_name = "client.example";  // a domain or an address literal
    bool use_ehlo = true;                      // false: HELO only (no extensions)
    bool use_pipelining = true;                // pipeline when the server offers PIPELINING
    StartTls starttls = StartTls::Off;
    ClientTimeouts timeouts;
};

// One mail transaction to perform.
struct Transaction {
    mail::Mailbox sender;  // empty() for the null reverse-path "<>" (bounces)
    std::vector<mail::Mailbox> recipients;
    std::string content;  // the message, unstuffed; line ends are normalized to CRLF
    // UNSAFE, for the SMTP-smuggling lesson only (docs/scenario-format.md):
    // `content` is sent after the 354 exactly as given — no CRLF
    // normalization (RFC 5321 §2.3.8), no dot-stuffing (§4.5.2), no
    // end-of-data line added (§4.1.1.4): it must carry its own <CRLF>.<CRLF>.
    // A broken or hostile client; never used by the MTA.
    bool verbatim = false;
};

}  // namespace postino::smtp
