// limits.hpp — every IMAP size limit and timer as a named constant.
//
// RFC 3501 §4.3 (literals), §5.4 (autologout timer), RFC 7888 §4
// (LITERAL-), RFC 7162 §4 (command line length advice), plus the bounds of
// these engines, each saying why it has the value it has.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/time.hpp"

namespace postino::imap {

// --- sizes ---

// RFC 7162 §4 (and RFC 9051 §4) advise servers to accept command lines of
// at least 8192 octets, literals excluded. A longer line is hopeless input:
// the server answers BYE (the line's literals could not be framed safely).
inline constexpr std::size_t kMaxLineOctets = 8192;
// RFC 7888 §4: under LITERAL- a non-synchronizing literal is at most 4096
// octets; RFC 9051 §4.3 makes this the rev2 rule too.
inline constexpr std::size_t kMaxLiteralMinusOctets = 4096;
// Largest literal (an APPENDed message) the server takes: a bound of ours,
// the same 64 MiB POP3 clients read. A larger synchronizing literal is
// refused with a tagged NO [TOOBIG] (RFC 4469 / RFC 9051 §7.1) before "+".
inline constexpr std::uint64_t kMaxLiteralOctets = std::uint64_t{64} * 1024 * 1024;
// Octets of one whole command, lines and literals (a bound of ours).
inline constexpr std::uint64_t kMaxCommandOctets = kMaxLiteralOctets + std::uint64_t{64} * 1024;
// Literals in one command (a bound of ours: APPEND has one, LOGIN two).
inline constexpr std::size_t kMaxLiteralsPerCommand = 16;
// RFC 3501 §9: number = 1*DIGIT of an unsigned 32-bit integer; ten digits.
inline constexpr std::size_t kMaxNumberDigits = 10;
// Nesting of parenthesized lists and search keys (a bound of ours: keeps the
// recursive parser's stack small on hostile input).
inline constexpr std::size_t kMaxNesting = 32;
// Ranges in one sequence set (a bound of ours).
inline constexpr std::size_t kMaxSequenceRanges = 1024;
// Length of a tag (a bound of ours; RFC 3501 §9 sets none).
inline constexpr std::size_t kMaxTagOctets = 64;
// A mailbox name (a bound of ours; Dovecot's default is 255 per level).
inline constexpr std::size_t kMaxMailboxNameOctets = 1024;
// Levels of a mailbox name below its root (a bound of ours).
inline constexpr std::size_t kMaxMailboxLevels = 16;

// --- timers ---

// RFC 3501 §5.4: an inactivity autologout timer MUST last at least 30
// minutes (IDLE included, RFC 2177 §3).
inline constexpr Duration kMinAutologout = minutes(30);
inline constexpr Duration kDefaultAutologout = kMinAutologout;

// --- implementation bounds ---

// Protocol errors (BAD) a session may make before the server says BYE.
inline constexpr int kDefaultMaxErrors = 20;
// Failed LOGIN/AUTHENTICATE attempts before BYE (RFC 3501 §6.2.3 lets a
// server close after failures).
inline constexpr int kDefaultMaxAuthFailures = 3;
// Output octets the server may hold unsent before it stops reading
// pipelined commands until the host drains poll_output().
inline constexpr std::size_t kOutputHighWater = std::size_t{256} * 1024;
// Input octets a paused server buffers before it closes the session.
inline constexpr std::size_t kMaxBufferedInput = kMaxCommandOctets + kMaxLineOctets;

}  // namespace postino::imap
