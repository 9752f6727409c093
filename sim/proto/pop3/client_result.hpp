// client_result.hpp — what a POP3 client session did: one result per step,
// the messages it downloaded, and how it ended. The user agent reports
// these to the trace; golden transcripts compare summary() lines.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "proto/pop3/response.hpp"

namespace postino::pop3 {

enum class ClientStep : std::uint8_t { Greeting, Capa, Stls, User, Pass, Apop, Stat, Uidl, List, Retr, Dele, Quit, Done };
const char* to_string(ClientStep s);

struct StepResult {
    ClientStep step = ClientStep::Greeting;
    std::uint32_t message = 0;  // RETR/DELE: the message number
    Response response;
    bool operator==(const StepResult&) const = default;
};

struct FetchedMessage {
    std::uint32_t number = 0;
    std::string uidl;       // "" when the server has no UIDL
    std::uint64_t listed_octets = 0;  // from LIST
    std::string content;    // unstuffed
    bool deleted = false;   // DELE answered +OK (removed only if QUIT succeeds)
};

enum class ClientFailure : std::uint8_t {
    None,
    ConnectionLost,  // closed before the session was done
    Timeout,         // no response within the client's timeout
    ServerRefused,   // the greeting was -ERR
    LoginFailed,     // USER, PASS or APOP refused (-ERR, [AUTH])
    InUse,           // the maildrop is locked by another session ([IN-USE])
    ProtocolError,   // an unreadable response
    LocalError,      // the configuration cannot work (APOP without a timestamp)
    Dropped,         // the client dropped the connection before QUIT on purpose
    UpdateFailed,    // QUIT answered -ERR: the deletions may not have happened
    TlsUnavailable,  // TLS was required and the server did not offer or refused STLS (RFC 2595 §4)
};
const char* to_string(ClientFailure f);

struct ClientResult {
    std::vector<StepResult> steps;
    std::vector<FetchedMessage> messages;
    std::vector<std::string> server_uidls;  // every unique-id UIDL listed
    std::size_t maildrop_count = 0;         // from STAT
    std::uint64_t maildrop_octets = 0;
    ClientFailure failure = ClientFailure::None;
    ClientStep failure_step = ClientStep::Greeting;
    std::string detail;
    bool finished = false;

    // One line per step ("pass -ERR [AUTH]", "retr 2 +OK"), one per fetched
    // message ("fetched 2 uidl=1.2 120 octets deleted"), then the session
    // ("session done", "session login-failed at pass").
    [[nodiscard]] std::vector<std::string> summary() const;
};

}  // namespace postino::pop3
