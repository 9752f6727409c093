// events.hpp — what the POP3 engines report through poll_event(), as small
// value types (DESIGN.md §2.1). The same types serve both roles; the role
// decides the direction. trace_line.hpp turns them into trace events.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "proto/pop3/response.hpp"

namespace postino::pop3 {

// A command line: received (server) or sent (client). For a line the server
// could not read as a command (too long, bare CR/LF) `verb` is empty.
struct CommandEvent {
    std::string verb;  // canonical upper-case keyword, or the keyword as written when unknown
    std::string raw;   // the octets of the line, line end included (the first 255 of an overlong line)
    std::uint64_t octets = 0;
};

// A response: sent (server) or parsed (client).
struct ResponseEvent {
    Response response;
    std::string raw_status;  // the status line with CRLF
    std::string raw_body;    // multi-line responses: the stuffed body with ".CRLF"; else empty
    bool multiline = false;
};

// Server: the user authenticated and the maildrop is locked.
struct LoginEvent {
    std::string user;
    std::string method;  // "USER/PASS" or "APOP"
    std::size_t messages = 0;
    std::uint64_t octets = 0;
};

// Server: a failed authentication (wrong password, unknown user, locked, …).
struct AuthFailureEvent {
    std::string user;
    std::string reason;  // "bad credentials", "in use", "unavailable"
    int failures = 0;    // failed PASS/APOP attempts so far in the session
};

// Server: the UPDATE state ran (RFC 1939 §6).
struct UpdateEvent {
    std::string user;
    std::vector<std::string> deleted;  // unique-ids removed
    bool ok = true;
};

// Client: one message retrieved (unstuffed, as the server holds it).
struct FetchedEvent {
    std::uint32_t number = 0;
    std::string uidl;
    std::string content;
};

struct ViolationEvent {
    std::string what;
    std::string rfc;  // "RFC 1939 §3"
};

// STLS was accepted (RFC 2595 §4): the host sends what poll_output() holds
// in plaintext, runs the TLS handshake and calls handle_tls_started() (or
// closes the connection if the handshake fails). Input already received after
// the command (server) or the +OK (client) was discarded (CVE-2011-0411).
struct StartTlsEvent {};

// The session is over for this engine. `by_engine`: the engine asks its host
// to close once poll_output() is drained; otherwise the peer closed.
struct CloseEvent {
    bool by_engine = true;
    std::string reason;
};

using Event = std::variant<CommandEvent, ResponseEvent, LoginEvent, AuthFailureEvent, UpdateEvent, FetchedEvent,
                           ViolationEvent, StartTlsEvent, CloseEvent>;

}  // namespace postino::pop3
