// message.hpp — an Internet message as RFC 5322 sees it: header and body.
//
// RFC 5322 §2.1 (header section, blank line, body), §2.3 (body lines), §3.6
// (field counts, checked on request). Parsing keeps every octet: serialize()
// of a parsed message gives back exactly the bytes that were parsed, and a
// header edited by the MTA (a Received: field prepended) changes only what
// was edited. MIME structure is mime_parser.hpp's business.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"
#include "mail/header.hpp"
#include "mail/leniency.hpp"

namespace postino::mail {

struct Message {
    Header header;
    std::string separator = "\r\n";  // the blank line: "\r\n", "\n" (bare-lf) or "" (no body)
    std::string body;
    Leniencies used;  // leniencies parsing needed

    // Strict parse. The body is checked for RFC 5322 §2.3 line structure
    // (CRLF only, no NUL, at most 998 octets a line) unless the message
    // declares Content-Transfer-Encoding: binary (RFC 3030). 8-bit octets are
    // allowed in the body (RFC 6152); classify() says whether there are any.
    static Result<Message> parse(std::string_view bytes, const ParseOptions& options = {});
    [[nodiscard]] std::string serialize() const;
};

// 7-bit/8-bit/binary classification for the 8BITMIME and BINARYMIME decisions
// (RFC 6152, RFC 3030): 7bit when every octet is below 128, every line ends
// in CRLF and is at most 998 octets and there is no NUL; 8bit when only the
// high octets break that; binary otherwise.
enum class MessageClass : std::uint8_t { seven_bit, eight_bit, binary };
MessageClass classify(std::string_view message_bytes);
std::string_view to_string(MessageClass c);

}  // namespace postino::mail
