// server_config.hpp — what a server engine offers and how strict it is.
//
// Extensions: RFC 3207 STARTTLS, RFC 2920 PIPELINING, RFC 1870 SIZE, RFC 6152 8BITMIME,
// RFC 2034 ENHANCEDSTATUSCODES, RFC 6531 SMTPUTF8, RFC 5321 §4.1.1.8 HELP,
// RFC 4954 AUTH with the PLAIN mechanism (RFC 4616), RFC 6409 §4.3 (a
// submission server requires AUTH before MAIL).
// Limits default to the values in limits.hpp. Every tolerance of input the
// RFCs do not allow is a named, opt-in leniency (DESIGN.md §4); each has its
// own golden transcript under tests/smtp/golden/lenient-*.txt.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.hpp"
#include "proto/smtp/data_reader.hpp"
#include "proto/smtp/faults.hpp"
#include "proto/smtp/limits.hpp"

namespace postino::smtp {

struct ServerExtensions {
    bool pipelining = true;
    bool size = true;
    bool eightbitmime = true;
    bool enhanced_status_codes = true;
    bool smtputf8 = false;
    bool help = true;
};

// RFC 4954 AUTH. Off by default (an MX does not authenticate).
struct ServerAuth {
    bool plain = false;     // offer AUTH PLAIN (RFC 4616) in EHLO
    bool required = false;  // MAIL before a successful AUTH gets 530 5.7.0 (RFC 4954 §6, RFC 6409 §4.3)
    // False: the channel is not private, so AUTH PLAIN is not advertised and
    // AUTH gets 538 5.7.11 (RFC 4954 §4, §6: plaintext mechanisms need encryption).
    bool allow_plaintext = true;
};

// STARTTLS (RFC 3207). `offered`: the host can switch this connection to TLS,
// so EHLO lists STARTTLS; `required`: MAIL before TLS is refused with
// 530 5.7.0 (RFC 3207 §4, a "publicly-referenced" server MUST NOT require it).
struct ServerTls {
    bool offered = false;
    bool required = false;
};

struct ServerLeniency {
    // Bare CR/LF (RFC 5321 §2.3.8): Strict rejects; Normalize stores CRLF;
    // LfEndsLine is the SMTP-smuggling demonstration (see data_reader.hpp).
    // Normalize and LfEndsLine also accept an LF alone after a command.
    LineEndMode line_ends = LineEndMode::Strict;
    // "MAIL FROM: <a@b>": spaces after the colon (§4.1.1.2 has none).
    bool space_after_colon = false;
    // "MAIL FROM:a@b": a path without angle brackets (§4.1.2 requires them).
    bool missing_brackets = false;
    // Data lines over 1000 octets are stored instead of refused (§4.5.3.1.6).
    bool long_data_lines = false;
};

struct ServerConfig {
    std::string hostname = "mx.example";  // first word of the greeting, EHLO, 221 and 421 replies
    std::string banner = "Postino";       // greeting text after "ESMTP"
    std::uint64_t max_message_octets = kDefaultMaxMessageOctets;  // advertised with SIZE
    std::size_t max_recipients = kDefaultMaxRecipients;
    int max_errors = kDefaultMaxErrors;
    Duration timeout = kServerTimeout;
    ServerExtensions extensions;
    ServerLeniency leniency;
    ServerFaults faults;  // deliberate defects for the conformance tests; all off
    ServerAuth auth;
    ServerTls tls;
    // Emit a DataEvent with the raw octets of message content (needed for
    // traces and pcap export; benchmarks of the engine alone turn it off).
    bool report_data = true;
};

}  // namespace postino::smtp
