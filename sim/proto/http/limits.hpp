// limits.hpp — every bound of the HTTP/1.1 engines, each a named constant
// with its source (DESIGN.md §4). RFC 9112 (HTTP/1.1 message syntax) and
// RFC 9110 (HTTP semantics) leave most sizes to the implementation; where
// they recommend a figure it is used, elsewhere the choice is ours and says so.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/time.hpp"

namespace postino::http {

// RFC 9112 §3: "It is RECOMMENDED that all HTTP senders and recipients
// support, at a minimum, request-line lengths of 8000 octets." Longer: 414
// (RFC 9110 §15.5.15) when the target is what makes it long, else 400.
inline constexpr std::size_t kMaxRequestLineOctets = 8000;
// A status line (RFC 9112 §4): the same bound, for the client engine.
inline constexpr std::size_t kMaxStatusLineOctets = 8000;
// RFC 9110 §5.4: a server that receives a header section larger than it
// wishes to process responds with 4xx; RFC 6585 §5 names 431. Ours: 64 KiB
// for the whole head (request line and field lines).
inline constexpr std::size_t kMaxHeadOctets = std::size_t{64} * 1024;
// Field lines in one head (a bound of ours, RFC 9110 §5.4 again): 431 past it.
inline constexpr std::size_t kMaxFieldLines = 100;
// The longest method token we accept (a bound of ours; RFC 9110 §9.1 says a
// server receiving a method longer than any it implements SHOULD answer 501).
inline constexpr std::size_t kMaxMethodOctets = 16;
// A request body (content, RFC 9110 §6.4): a webmail form. Larger: 413
// Content Too Large (RFC 9110 §15.5.14). A bound of ours.
inline constexpr std::uint64_t kMaxRequestBodyOctets = std::uint64_t{1} * 1024 * 1024;
// A response body the client engine accepts (a bound of ours).
inline constexpr std::uint64_t kMaxResponseBodyOctets = std::uint64_t{16} * 1024 * 1024;
// Digits of a Content-Length (RFC 9110 §8.6 is 1*DIGIT; 15 digits keep the
// value far below 2^63, and our body bounds are far below that anyway).
inline constexpr std::size_t kMaxContentLengthDigits = 15;
// RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF)
// received before the request-line. We ignore up to this many.
inline constexpr int kMaxLeadingEmptyLines = 4;
// RFC 9112 §9.5: a server may close an idle persistent connection. Ours:
// after 60 s without a request (a partial request then gets 408, RFC 9110
// §15.5.9).
inline constexpr Duration kDefaultIdleTimeout = seconds(60);
// How long the client engine waits for a response (a bound of ours).
inline constexpr Duration kDefaultResponseTimeout = seconds(60);
// Requests read ahead of their responses (RFC 9112 §9.3.2 pipelining): the
// engine reads one request, then waits for the host's response before it
// parses the next; unread input is bounded by this (a bound of ours), past
// which the engine stops reading (the host's link stops feeding it).
inline constexpr std::size_t kMaxPipelinedOctets = kMaxHeadOctets + kMaxRequestBodyOctets;
}  // namespace postino::http
