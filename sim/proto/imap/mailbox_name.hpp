// mailbox_name.hpp — IMAP mailbox names: modified UTF-7, the names a
// server refuses, and LIST pattern matching.
//
// RFC 3501 §5.1 (names; INBOX is case-insensitive), §5.1.1 (the hierarchy
// delimiter, "/" here), §5.1.3 (modified UTF-7: "&" starts base64 of
// UTF-16 with "," for "/", "-" ends it, "&-" is "&"), §6.3.8 (LIST: "*"
// matches any characters, "%" any but the delimiter).
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace postino::imap {

inline constexpr char kDelimiter = '/';  // RFC 3501 §5.1.1

// Modified UTF-7 (wire) to UTF-8; fails on malformed input (a bare "&", bad
// base64, a shift of printable ASCII, an unpaired surrogate).
Result<std::string> mutf7_decode(std::string_view wire);
// UTF-8 to modified UTF-7 (the input must be valid UTF-8).
Result<std::string> mutf7_encode(std::string_view utf8);

// Whether a name may be created: valid modified UTF-7, no empty level, no
// "." or ".." level (which could reach outside the user's storage on a
// file-backed store), no control characters, within the bounds of limits.hpp.
Status check_mailbox_name(std::string_view wire);

// LIST/LSUB matching of a full name against reference + pattern (§6.3.8).
bool match_list_pattern(std::string_view name, std::string_view pattern);

}  // namespace postino::imap
