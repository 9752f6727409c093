// events.hpp — what the IMAP server engine reports through poll_event()
// (DESIGN.md §2.1), as small value types its host turns into trace events.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace postino::imap {

// A command as received (literals included, the first kMaxTraceOctets), or
// a line the engine could not read as one (`name` empty).
struct CommandEvent {
    std::string tag;
    std::string name;  // "FETCH", "UID FETCH", or "" for unreadable input
    std::string raw;
    std::uint64_t octets = 0;
};

// Octets the server wrote: one response (untagged, continuation or tagged),
// literals included.
struct ResponseEvent {
    std::string raw;
};

struct LoginEvent {
    std::string user;
    std::string method;  // "LOGIN" or "AUTHENTICATE PLAIN"
};

struct AuthFailureEvent {
    std::string user;
    int failures = 0;
};

// Something the peer did that the RFCs forbid or a student should notice.
struct ViolationEvent {
    std::string what;
    std::string rfc;  // "RFC 3501 §6.2.1"
};

// STARTTLS was accepted (RFC 3501 §6.2.1, RFC 9051 §6.2.1): the host sends
// what poll_output() holds in plaintext, runs the TLS handshake and calls
// handle_tls_started() (or closes the connection if it fails). Input the
// engine held after the command was discarded, never read inside TLS.
struct StartTlsEvent {};

// The session is over. `by_engine`: close once poll_output() is drained.
struct CloseEvent {
    bool by_engine = true;
    std::string reason;
};

using Event = std::variant<CommandEvent, ResponseEvent, LoginEvent, AuthFailureEvent, ViolationEvent, StartTlsEvent,
                           CloseEvent>;

// Octets of a command an event keeps (a bound of ours: an APPEND literal can be 64 MiB).
inline constexpr std::size_t kMaxTraceOctets = 4096;

}  // namespace postino::imap
