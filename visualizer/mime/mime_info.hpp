// mime_info.hpp — the message inspector's view of a message's MIME structure,
// as plain data: parts in IMAP numbering (RFC 3501 §6.4.5), each with its
// type, transfer encoding, encoded body and decoded body, plus the fields of
// a delivery-status report (RFC 3464) when the message is a DSN.
//
// Two implementations, chosen by CMake: mime_sim_mail.cpp uses Postino's own
// MIME library (sim/mail), mime_unavailable.cpp says it is not built in (the
// panel then shows headers and raw text only).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postino::viz {

struct MimeNode {
    std::string path;       // "1", "2.1", "TEXT" (IMAP section of the part's body)
    int depth = 0;
    std::string type;       // "text/plain"
    std::string encoding;   // "base64", "quoted-printable", "7bit", ...
    std::string filename;   // from name= or filename=, if any
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;       // as transmitted
    std::string decoded;    // transfer encoding undone
    std::string decode_error;
    bool leaf = true;
};

struct MimeInfo {
    bool available = false;   // false: built without a MIME parser
    std::string backend;      // "sim/mail"
    std::string error;        // the parser's complaint, if the message is malformed
    std::vector<MimeNode> parts;  // pre-order
    // message/delivery-status: the per-message block, then one per recipient.
    std::vector<std::vector<std::pair<std::string, std::string>>> dsn_blocks;
};

MimeInfo analyze_message(std::string_view raw);

}  // namespace postino::viz
