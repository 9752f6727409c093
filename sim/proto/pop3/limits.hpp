// limits.hpp — every POP3 size limit and timer as a named constant.
//
// RFC 1939 §3 (commands, responses, the autologout timer), §7 (UIDL),
// RFC 2449 §4 (longer commands once CAPA is supported), plus the bounds of
// these engines, each saying why it has the value it has.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/time.hpp"

namespace postino::pop3 {

// --- sizes ---

// RFC 2449 §4: with CAPA a command may be up to 255 octets, CRLF included
// (RFC 1939 §3 alone allowed 4 + 1 + 40 + 2 = 47).
inline constexpr std::size_t kMaxCommandOctets = 255;
// RFC 1939 §3's own limit, used only by the split-long-commands fault (faults.hpp).
inline constexpr std::size_t kRfc1939CommandOctets = 47;
// RFC 1939 §3: a keyword is three or four characters.
inline constexpr std::size_t kMinKeywordOctets = 3;
inline constexpr std::size_t kMaxKeywordOctets = 4;
// RFC 1939 §3: an argument may be up to 40 characters. RFC 2449 §4 lifts the
// command length, so the server accepts longer arguments within
// kMaxCommandOctets; the client never writes longer ones (names, digests).
inline constexpr std::size_t kMaxArgumentOctets = 40;
// RFC 1939 §3 / RFC 2449 §4: a response line (the status line, or the first
// line of a multi-line response) is at most 512 octets, CRLF included.
inline constexpr std::size_t kMaxResponseLineOctets = 512;
// RFC 1939 §7: a unique-id is 1 to 70 characters in 0x21–0x7E.
inline constexpr std::size_t kMaxUidlOctets = 70;
// RFC 1939 §7: an APOP digest is 16 octets written as 32 lower-case hex digits.
inline constexpr std::size_t kApopDigestHexDigits = 32;
// Message numbers are decimal; ten digits hold every 32-bit count (a bound of ours).
inline constexpr std::size_t kMaxMessageNumberDigits = 10;

// --- timers ---

// RFC 1939 §3: an inactivity autologout timer MUST be at least 10 minutes.
inline constexpr Duration kMinAutologout = minutes(10);
inline constexpr Duration kDefaultAutologout = kMinAutologout;
// How long a client waits for any response (no RFC figure; the same ten
// minutes, so a client never gives up before a conforming server would).
inline constexpr Duration kDefaultClientTimeout = minutes(10);
// Delay before answering a failed PASS or APOP. RFC 1939 §12 warns that
// passwords can be guessed; the figure is Dovecot's auth_failure_delay (2 s).
inline constexpr Duration kDefaultBadPasswordDelay = seconds(2);

// --- implementation bounds (no RFC figure; every buffer is bounded) ---

// Failed PASS/APOP attempts before the server closes the session (RFC 1939
// §4: "the server may close the connection" after a negative response).
inline constexpr int kDefaultMaxAuthFailures = 3;
// Protocol errors (unknown command, wrong state, bad argument, bad line) a
// session may make before the server answers -ERR and closes.
inline constexpr int kDefaultMaxErrors = 20;
// Output octets the server may hold unsent before it stops reading
// pipelined commands (RFC 2449 §6.6) until the host drains poll_output().
inline constexpr std::size_t kOutputHighWater = std::size_t{64} * 1024;
// Events the engines may hold unread before they pause the same way.
inline constexpr std::size_t kEventHighWater = 1024;
// Input octets a paused server buffers; beyond this the host is feeding
// without draining, and the server closes the session.
inline constexpr std::size_t kMaxBufferedInput = std::size_t{1024} * 1024;
// Longest line of a multi-line response body a client reads. RFC 5322 §2.1.1
// says 998 + CRLF, but stored mail may break that; the client tolerates it
// up to this bound.
inline constexpr std::size_t kMaxBodyLineOctets = std::size_t{64} * 1024;
// Largest multi-line response body a client reads (one message).
inline constexpr std::size_t kMaxBodyOctets = std::size_t{64} * 1024 * 1024;
// Lines in a CAPA, LIST or UIDL response a client keeps (a bound of ours).
inline constexpr std::size_t kMaxListLines = 100'000;

}  // namespace postino::pop3
