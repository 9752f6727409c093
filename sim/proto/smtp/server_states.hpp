// server_states.hpp — the server's states and the command-sequence table.
//
// RFC 5321 §4.1.4 (order of commands: EHLO/HELO first, then MAIL, RCPT,
// DATA; RSET, NOOP, VRFY, HELP and QUIT at any time; a repeated EHLO resets
// the transaction), §3.1 (after a 554 greeting every command but QUIT gets
// 503), §4.2.4 / §4.3.2 (503 bad sequence). This file is the one place that
// says which verb may run in which state (h11's "rule 1"); the engine asks
// it before looking at a command's arguments.
#pragma once

#include <cstdint>
#include <string_view>

#include "proto/smtp/command.hpp"

namespace postino::smtp {

enum class ServerState : std::uint8_t {
    Start,      // before start(): nothing sent
    Refused,    // greeted with 554: waiting for QUIT (§3.1)
    Connected,  // greeted with 220: waiting for EHLO/HELO
    Ready,      // client identified, no transaction
    Mail,       // MAIL accepted, no recipient yet
    Rcpt,       // at least one recipient accepted
    Data,       // 354 sent, reading the message
    Closed,     // 221/421 sent or the connection is gone
};
const char* to_string(ServerState s);

// The 503 text when `verb` may not run in `state`, or an empty view when it
// may. Only implemented verbs are looked up (others get 500/502 first).
std::string_view sequence_error(ServerState state, Verb verb);

}  // namespace postino::smtp
