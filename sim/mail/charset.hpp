// charset.hpp — the character sets sim/mail can turn into UTF-8.
//
// RFC 2046 §4.1.2 (the charset parameter), RFC 2047 §3 and RFC 2231 §4 (the
// charset of encoded words and extended parameters). Names are matched case-
// insensitively against the IANA names and common aliases. UTF-8 is checked
// per RFC 3629 §3–§4 (no overlong forms, no surrogates, at most U+10FFFF).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postino::mail {

enum class Charset : std::uint8_t { us_ascii, utf8, iso_8859_1, iso_8859_2, iso_8859_15, windows_1252 };

std::optional<Charset> charset_from_name(std::string_view name);
std::string_view charset_name(Charset c);  // the preferred MIME name, e.g. "ISO-8859-1"

struct Utf8Text {
    std::string text;
    bool replaced = false;  // some octets were invalid and became U+FFFD
};
// Converts octets in charset `c` to UTF-8; invalid octets become U+FFFD.
Utf8Text to_utf8(std::string_view bytes, Charset c);

bool is_valid_utf8(std::string_view s);
void append_utf8(std::string& out, char32_t cp);
// Length of the UTF-8 sequence that starts at s[i] (1 for an invalid octet).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

}  // namespace postino::mail
