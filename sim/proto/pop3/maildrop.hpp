// maildrop.hpp — the view of a mailbox a POP3 session works on.
//
// RFC 1939 §4–5: once the server has locked the maildrop it numbers the
// messages 1..n for the whole session and knows each one's size in octets;
// messages that arrive meanwhile are not part of the session. The host (the
// POP3 server agent) builds this snapshot from its store; the engine never
// sees the store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace postino::pop3 {

struct MaildropMessage {
    std::string uidl;     // RFC 1939 §7 unique-id: 1–70 octets in 0x21–0x7E, stable across sessions
    std::string content;  // the stored message; the engine normalizes line ends (RFC 1939 §10)
};

using Maildrop = std::vector<MaildropMessage>;

// True when `id` is a valid unique-id (RFC 1939 §7).
bool valid_uidl(std::string_view id);

}  // namespace postino::pop3
