// chars.hpp — character classes of the mail grammars, as one constexpr table.
//
// RFC 5234 core rules (WSP, VCHAR), RFC 5322 §3.2.3 atext, §3.2.2 ctext,
// §3.2.4 qtext, §3.4.1 dtext, §3.6.8 ftext; RFC 2045 §5.1 token characters;
// RFC 2231 §7 attribute-char; RFC 2046 §5.1.1 bchars. Lookup is one load.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::mail::chars {

enum : std::uint16_t {
    kWsp = 1 << 0,      // SP / HTAB
    kAtext = 1 << 1,    // RFC 5322 §3.2.3
    kCtext = 1 << 2,    // RFC 5322 §3.2.2 (printable except ( ) and backslash)
    kQtext = 1 << 3,    // RFC 5322 §3.2.4 (printable except " and backslash)
    kDtext = 1 << 4,    // RFC 5322 §3.4.1 (printable except [ ] and backslash)
    kFtext = 1 << 5,    // RFC 5322 §3.6.8 (printable except :)
    kToken = 1 << 6,    // RFC 2045 §5.1 (printable except tspecials)
    kAttr = 1 << 7,     // RFC 2231 §7 attribute-char (token minus * ' %)
    kBchar = 1 << 8,    // RFC 2046 §5.1.1 bcharsnospace
    kVchar = 1 << 9,    // RFC 5234 VCHAR %x21-7E
    kHex = 1 << 10,     // 0-9 A-F a-f
    kLdh = 1 << 11,     // letters, digits, hyphen (RFC 5321 §4.1.2)
};

constexpr std::array<std::uint16_t, 256> make_table() {
    std::array<std::uint16_t, 256> t{};
    for (int c = 0x21; c <= 0x7e; ++c) {
        auto& v = t[static_cast<std::size_t>(c)];
        v |= kVchar;
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        const bool digit = c >= '0' && c <= '9';
        if (alpha || digit || std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos)
            v |= kAtext;
        if (c != '(' && c != ')' && c != '\\') v |= kCtext;
        if (c != '"' && c != '\\') v |= kQtext;
        if (c != '[' && c != ']' && c != '\\') v |= kDtext;
        if (c != ':') v |= kFtext;
        if (std::string_view("()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) == std::string_view::npos) {
            v |= kToken;
            if (c != '*' && c != '\'' && c != '%') v |= kAttr;
        }
        if (alpha || digit || std::string_view("'()+_,-./:=?").find(static_cast<char>(c)) != std::string_view::npos)
            v |= kBchar;
        if (digit || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f')) v |= kHex;
        if (alpha || digit || c == '-') v |= kLdh;
    }
    t[' '] |= kWsp;
    t['\t'] |= kWsp;
    return t;
}

inline constexpr std::array<std::uint16_t, 256> kTable = make_table();

constexpr bool is(char c, std::uint16_t cls) { return (kTable[static_cast<unsigned char>(c)] & cls) != 0; }
constexpr bool is_wsp(char c) { return c == ' ' || c == '\t'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr bool is_8bit(char c) { return static_cast<unsigned char>(c) >= 0x80; }
constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}
inline constexpr char kHexUpper[] = "0123456789ABCDEF";

// Case-insensitive ASCII comparison (header names, tokens, charsets).
constexpr bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}
constexpr bool all_ascii(std::string_view s) {
    for (char c : s)
        if (is_8bit(c)) return false;
    return true;
}
inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = lower(c);
    return out;
}
// Strip SP/HTAB at both ends.
constexpr std::string_view trim_wsp(std::string_view s) {
    while (!s.empty() && is_wsp(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_wsp(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace postino::mail::chars
