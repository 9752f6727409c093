// response.hpp — POP3 responses: the status line, extended response codes,
// and multi-line bodies with byte-stuffing.
//
// RFC 1939 §3: a response is a status indicator, "+OK" or "-ERR" in upper
// case, optionally followed by SP and text, ending in CRLF, at most 512
// octets. A multi-line response continues with lines ending in CRLF; a line
// that begins with "." gets another "." in front (byte-stuffing), and the
// response ends with ".CRLF". RFC 2449 §8: the text of a response may begin
// with an extended response code in brackets, e.g. "-ERR [IN-USE] …"
// (§8.1.1), "-ERR [AUTH] …" and "-ERR [SYS/TEMP] …" (RFC 3206 §4–5).
#pragma once

#include <string>
#include <string_view>

namespace postino::pop3 {

struct Response {
    bool ok = true;
    std::string code;  // extended response code without brackets ("IN-USE", "SYS/TEMP"), or ""
    std::string text;  // after the status (and code), without the separating SP

    // The status line with CRLF: "+OK text", "-ERR [CODE] text", "+OK".
    [[nodiscard]] std::string line() const;
    bool operator==(const Response&) const = default;
};

Response ok(std::string text = {});
Response err(std::string text, std::string code = {});

// The body of a multi-line response as sent: every line of `content`
// (CRLF-terminated lines, as normalize_message() makes them) byte-stuffed,
// then the terminating ".CRLF" (RFC 1939 §3).
std::string stuff_body(std::string_view content);
// Appends the same to `out` (no copy of a large message).
void append_stuffed_body(std::string& out, std::string_view content);

// A message as a POP3 server sends it (RFC 1939 §10): every line ends in
// CRLF — a bare CR or LF becomes CRLF, and a missing final CRLF is added —
// so the octet count a server announces is exactly what the client receives
// after removing the byte-stuffing.
std::string normalize_message(std::string_view stored);

// TOP (RFC 1939 §7): the header, the blank line after it, and at most
// `lines` lines of the body. A message with no blank line is all header.
std::string_view top_of(std::string_view normalized, std::uint64_t lines);

}  // namespace postino::pop3
