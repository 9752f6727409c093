// limits.hpp — every SMTP size limit and timeout as a named constant.
//
// RFC 5321 §4.5.3.1 (sizes of objects) and §4.5.3.2 (timeouts), RFC 1870
// (SIZE), plus the implementation bounds of these engines, each saying why it
// has the value it has. Address part limits (local-part 64, domain 255, path
// 256) live next to the Mailbox type in mail/mailbox.hpp and are used from there.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/time.hpp"

namespace postino::smtp {

// --- sizes (RFC 5321 §4.5.3.1) ---

// §4.5.3.1.4: a command line, verb to <CRLF> included, is at most 512 octets.
inline constexpr std::size_t kMaxCommandLineOctets = 512;
// §4.5.3.1.5: a reply line, code to <CRLF> included, is at most 512 octets.
inline constexpr std::size_t kMaxReplyLineOctets = 512;
// §4.5.3.1.6: a line of message text, <CRLF> included, is at most 1000 octets.
inline constexpr std::size_t kMaxTextLineOctets = 1000;
// §4.5.3.1.7: a server must accept messages of at least 64 KiB.
inline constexpr std::size_t kMinMessageSizeLimit = std::size_t{64} * 1024;
// §4.5.3.1.8: a server must buffer at least 100 recipients per transaction.
inline constexpr std::size_t kMinRecipientsBuffer = 100;
// RFC 1870 §3: the SIZE parameter value is at most 20 digits.
inline constexpr std::size_t kMaxSizeParamDigits = 20;

// Default message size limit a server advertises with SIZE (the value Postfix
// ships with, 10 240 000 octets; RFC 1870 leaves the number to the server).
inline constexpr std::uint64_t kDefaultMaxMessageOctets = 10'240'000;
// Default recipient limit: the §4.5.3.1.8 minimum. Scenarios may lower it
// (a deviation from §4.5.3.1.8 the scenario then demonstrates on purpose).
inline constexpr std::size_t kDefaultMaxRecipients = kMinRecipientsBuffer;

// --- timeouts (RFC 5321 §4.5.3.2) ---

// §4.5.3.2.1: client waits for the initial 220 greeting.
inline constexpr Duration kInitialGreetingTimeout = minutes(5);
// §4.5.3.2.2: client waits for the reply to MAIL.
inline constexpr Duration kMailTimeout = minutes(5);
// §4.5.3.2.3: client waits for the reply to each RCPT.
inline constexpr Duration kRcptTimeout = minutes(5);
// §4.5.3.2.4: client waits for the 354 after DATA.
inline constexpr Duration kDataInitiationTimeout = minutes(2);
// §4.5.3.2.5: each data block send must complete within 3 minutes. The send
// calls belong to the transport that owns the socket, so this value is
// exported for the host (see docs/smtp.md, "Timeouts").
inline constexpr Duration kDataBlockTimeout = minutes(3);
// §4.5.3.2.6: client waits for the reply to the final <CRLF>.<CRLF>.
inline constexpr Duration kDataTerminationTimeout = minutes(10);
// §4.5.3.2 gives no figure for EHLO/HELO, RSET and QUIT replies; the engines
// use the general 5-minute figure the section applies to MAIL and RCPT.
inline constexpr Duration kOtherReplyTimeout = minutes(5);
// §4.5.3.2.7: the server waits at least 5 minutes for the next command. The
// same wait applies between data blocks (a conforming client sends one at
// least every 3 minutes, §4.5.3.2.5).
inline constexpr Duration kServerTimeout = minutes(5);

// --- implementation bounds (no RFC figure; every buffer is bounded) ---

// Protocol errors (500/501/502/503/504/555, bad line ends, overlong lines)
// a session may make before the server answers 421 and closes. The figure
// is Postfix's smtpd_hard_error_limit default.
inline constexpr int kDefaultMaxErrors = 20;
// Lines in one multiline reply a client accepts (EHLO lists are ~15 lines).
inline constexpr std::size_t kMaxReplyLines = 100;
// Output octets the server may hold unread before it stops parsing further
// pipelined input until the host drains poll_output() (backpressure).
inline constexpr std::size_t kOutputHighWater = std::size_t{64} * 1024;
// Events the engines may hold unread before they pause the same way.
inline constexpr std::size_t kEventHighWater = 1024;
// Input octets a paused engine buffers; beyond this the host is feeding
// without ever draining, and the server ends the session with 421.
inline constexpr std::size_t kMaxBufferedInput = std::size_t{1024} * 1024;

}  // namespace postino::smtp
