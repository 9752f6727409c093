// events.hpp — what the SMTP engines report through poll_event(), as small
// value types (DESIGN.md §2.1). The same types serve both roles; the role
// decides the direction (a server receives commands and sends replies, a
// client the other way round). trace_line.hpp turns them into trace events.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "proto/smtp/client_result.hpp"
#include "proto/smtp/envelope.hpp"
#include "proto/smtp/reply.hpp"

namespace postino::smtp {

// A command line: received (server) or sent (client). For a line the server
// could not read as a command (too long, bare CR/LF) `verb` is empty.
struct CommandEvent {
    std::string verb;          // canonical upper-case verb ("MAIL"), or the token as written for unknown verbs
    std::string args;          // after the first SP
    std::string raw;           // the octets of the line, line end included (at most the first 512 of an overlong line)
    std::uint64_t octets = 0;  // octets the line really had
};

// A reply: sent (server) or parsed (client).
struct ReplyEvent {
    Reply reply;
    std::string raw;  // every octet of every line
};

// Message content octets as they crossed the wire (dot-stuffed, the final
// ".\r\n" included in the last one): received (server) or sent (client).
struct DataEvent {
    std::string raw;
};

// Server: a mail transaction ended with the reply to the final dot.
struct MessageEvent {
    SessionInfo session;
    Envelope envelope;
    std::string content;    // unstuffed, CRLF lines; empty when refused
    Reply reply;            // 250 … queued as …, or the refusal
    bool accepted = false;  // the server took responsibility (§6.1)
    std::string queue_id;   // from the policy, when accepted
    std::uint64_t wire_octets = 0;
};

// Client: one transaction is decided (every recipient has an outcome).
struct TransactionEvent {
    std::size_t index = 0;
    TransactionResult result;
};

// Something the peer (or a policy) did that the RFCs do not allow, or that
// a student should notice.
struct ViolationEvent {
    std::string what;
    std::string rfc;  // "RFC 5321 §2.3.8"
};

// STARTTLS was accepted (RFC 3207 §4): the host sends what poll_output()
// holds in plaintext, then runs the TLS handshake on the connection and calls
// handle_tls_started() when it is done (or closes the connection if it
// fails). Input the engine already held after the command (server) or after
// the 220 (client) was discarded, never read after the switch (CVE-2011-0411).
struct StartTlsEvent {};

// The session is over for this engine. `by_engine`: the engine asks its host
// to close the connection once poll_output() is drained; otherwise the peer
// (or the host) closed it.
struct CloseEvent {
    bool by_engine = true;
    std::string reason;
};

using Event =
    std::variant<CommandEvent, ReplyEvent, DataEvent, MessageEvent, TransactionEvent, ViolationEvent, StartTlsEvent,
                 CloseEvent>;

}  // namespace postino::smtp
