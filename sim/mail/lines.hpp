// lines.hpp — line-structure checks shared by the message and MIME parsers.
//
// RFC 5322 §2.1.1 (998 octets a line), §2.3 (CR and LF only together as
// CRLF; no NUL), RFC 2045 §2.7/§2.8 (7bit data has no octets above 127; 8bit
// data may), RFC 3030 (binary data has no line rules at all). One pass finds
// the first violation, counts lines and notes 8-bit octets, a word at a time.
#pragma once

#include <cstddef>
#include <string_view>

#include "core/result.hpp"
#include "mail/leniency.hpp"

namespace postino::mail {

// RFC 5322 §2.1.1: each line of characters MUST be no more than 998
// characters, excluding the CRLF.
inline constexpr std::size_t kMaxLineOctets = 998;
// RFC 5322 §2.1.1: and SHOULD be no more than 78 characters, excluding CRLF.
inline constexpr std::size_t kFoldLineOctets = 78;

enum class LineDomain : std::uint8_t {
    seven_bit,  // RFC 2045 §2.7 (also base64 and quoted-printable text)
    eight_bit,  // RFC 2045 §2.8
    binary,     // RFC 2045 §2.9: anything goes
};

struct LineStats {
    std::size_t lines = 0;    // lines, counting a last line without a line break
    bool has_8bit = false;    // some octet is above 127
    std::size_t longest = 0;  // longest line, excluding its line break
    Leniencies used;          // leniencies the data needed
};

// Checks `data` against the rules of `domain`; error offsets are `base` plus
// the position in data. Stats accumulate into `stats`.
Status check_lines(std::string_view data, std::size_t base, LineDomain domain, Leniencies allow, LineStats& stats);

// Whether any octet is above 127 (word at a time).
bool has_8bit(std::string_view data);

}  // namespace postino::mail
