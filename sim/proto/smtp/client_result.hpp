// client_result.hpp — what a client session achieved: one outcome per
// recipient, and how the session ended. The MTA decides retries and bounces
// from this (RFC 5321 §4.2.1 reply classes: 2yz done, 4yz try again later,
// 5yz do not retry; §6.1 a 250 to the final dot means responsibility moved).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mail/mailbox.hpp"
#include "proto/smtp/reply.hpp"

namespace postino::smtp {

// Where the client was when something happened (RFC 5321 §4.5.3.2 names the
// same steps for its timeouts).
enum class Stage : std::uint8_t {
    Greeting,  // waiting for the 220
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,     // waiting for the 354
    DataEnd,  // content sent, waiting for the reply to the final dot
    Rset,
    Starttls,  // waiting for the 220 to STARTTLS (RFC 3207 §4)
    Quit,
    Done,
};
const char* to_string(Stage s);

enum class Outcome : std::uint8_t {
    Pending,   // not decided yet
    Accepted,  // the server took responsibility (250 to the final dot)
    TempFail,  // try again later (4yz, or the session broke before the 250)
    PermFail,  // do not retry (5yz, or refused locally)
};
const char* to_string(Outcome o);

struct RecipientResult {
    mail::Mailbox recipient;
    Outcome outcome = Outcome::Pending;
    Stage stage = Stage::Greeting;  // the step that decided the outcome
    std::optional<Reply> reply;     // the server's reply that decided it, if any
    bool local = false;             // decided by the client without asking the server
    std::string detail;             // for people: why, when there is no reply

    bool operator==(const RecipientResult&) const = default;
};

struct TransactionResult {
    std::vector<RecipientResult> recipients;
    std::optional<Reply> data_reply;  // reply to the final dot, if one came
    bool content_sent = false;        // the data was written after a 354

    bool operator==(const TransactionResult&) const = default;
};

enum class FailureKind : std::uint8_t {
    None,
    ConnectionLost,  // the connection closed before the session was done
    Timeout,         // a §4.5.3.2 timeout expired
    ServiceClosing,  // the server sent 421 (§3.8)
    SessionRefused,  // the greeting was 554, or EHLO and HELO (or RSET) were refused
    ProtocolError,   // a reply the client cannot read, or one out of sequence
    LocalError,      // the client's own configuration is unusable
    TlsUnavailable,  // TLS was required and the server did not offer or refused STARTTLS (RFC 3207 §4.1)
};
const char* to_string(FailureKind k);

struct SessionFailure {
    FailureKind kind = FailureKind::None;
    Stage stage = Stage::Greeting;
    std::optional<Reply> reply;
    std::string detail;

    bool operator==(const SessionFailure&) const = default;
};

struct SessionResult {
    std::vector<TransactionResult> transactions;
    SessionFailure failure;  // kind None when the session ended normally
    bool finished = false;   // no more input or output expected

    // One line per recipient then one for the session, e.g.
    //   "txn 0 <bob@b.example> accepted at data-end 250 2.0.0"
    //   "txn 0 <eve@b.example> temp-fail at rcpt: connection lost"
    //   "session connection-lost at rcpt: connection lost"
    // The golden transcripts compare these lines (docs/transcript-format.md).
    [[nodiscard]] std::vector<std::string> summary() const;
};

}  // namespace postino::smtp
