// reply.hpp — an SMTP reply: code, enhanced status code and text lines, and
// its wire form.
//
// RFC 5321 §4.2 (reply grammar: `Reply-code [ SP textstring ] CRLF`, multiline
// replies repeat the code with "-" until the last line), §4.2.1 (code
// classes), §4.5.3.1.5 (512-octet reply lines); RFC 2034 §3 and RFC 3463 §2
// (enhanced status codes `class.subject.detail`, on every line of a reply).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postino::smtp {

struct Reply {
    int code = 0;
    std::string enhanced;            // "2.1.0"; empty when the reply carries none
    std::vector<std::string> lines;  // text of each line, without code, enhanced code or CRLF

    // All lines joined with '\n' (for people and tests).
    [[nodiscard]] std::string text() const;
    [[nodiscard]] int reply_class() const { return code / 100; }
    [[nodiscard]] bool positive() const { return code >= 200 && code < 400; }
    [[nodiscard]] bool transient() const { return code >= 400 && code < 500; }
    [[nodiscard]] bool permanent() const { return code >= 500 && code < 600; }

    bool operator==(const Reply&) const = default;
};

// A one-line reply.
Reply make_reply(int code, std::string enhanced, std::string text);

// RFC 5321 §4.2: a reply code is three digits, the first 2–5, the second 0–5.
bool valid_reply_code(int code);

// RFC 3463 §2: `class "." subject "." detail` with class 2, 4 or 5, subject
// 1–3 digits, detail 1–3 digits, no leading zeros beyond a single "0".
bool valid_enhanced_code(std::string_view s);

// RFC 3463 §2 / RFC 2034 §3: the enhanced class digit equals the first digit
// of the reply code.
bool enhanced_matches(int code, std::string_view enhanced);

// Appends the wire form of `r` to `out`. Text is cleaned of control octets
// (each becomes '?', so no reply can inject a line end) and cut so that no
// line exceeds kMaxReplyLineOctets including its CRLF. Returns the number of
// octets appended.
std::size_t append_reply(std::string& out, const Reply& r);
std::string format_reply(const Reply& r);

}  // namespace postino::smtp
