// maildir_flags.hpp — IMAP flags in a Maildir file name, and the per-folder
// UID list of `postino serve` (RFC 3501 §2.3.1.1 UIDs, §2.3.2 flags).
//
// Maildir keeps a message's flags in the "info" after the unique name:
// "<name>:2,<letters>", the letters in ASCII order. The letters are
// D (draft), F (flagged), P (passed), R (replied), S (seen), T (trashed);
// so \Draft = D, \Flagged = F, \Answered = R, \Seen = S, \Deleted = T.
// P has no IMAP flag: it is kept as it is. Keywords ($Work, …) are the
// lower-case letters a–z, each naming an entry of the folder's keyword
// table (the convention Dovecot uses too), so at most 26 keywords a folder.
//
// The UID list (file `postino-uidlist` in the folder's directory) gives
// every message its UID for good: UIDVALIDITY, the next UID, the keyword
// table and one "<uid> <name>" line per message. A message whose name is not
// listed gets the next UID; UIDs only grow, so none is ever reused.
//   postino-uidlist 1
//   validity <n>
//   next <n>
//   keyword <letter> <keyword>       (zero or more)
//   <uid> <name>                     (one per message, ascending uid)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace postino::wire {

// Keyword letters a–z (the Maildir convention): at most this many keywords a folder.
inline constexpr std::size_t kMaxMaildirKeywords = 26;
inline constexpr std::string_view kUidListFile = "postino-uidlist";

// The part of a Maildir file name before ':' (the unique name).
std::string maildir_base(const std::string& file);
// The letters after ":2," ("" when there is no info).
std::string maildir_letters(const std::string& file);

// The IMAP flags the letters stand for, sorted (std::string order, as the
// engine keeps them); unknown keyword letters are skipped.
std::vector<std::string> flags_from_letters(const std::string& letters, const std::vector<std::string>& keywords);
// The letters for `flags` (ASCII order), keeping the letters of `old` that
// no IMAP flag maps to (P, and any other upper-case letter). A keyword not
// in `keywords` is added to it; nullopt when the table would pass 26.
std::optional<std::string> letters_from_flags(const std::vector<std::string>& flags, const std::string& old,
                                              std::vector<std::string>& keywords);

struct UidEntry {
    std::uint32_t uid = 0;
    std::string base;  // the unique name (before ':')
};

struct UidList {
    std::uint32_t validity = 0;
    std::uint32_t next = 1;
    std::vector<std::string> keywords;  // index 0 is letter 'a'
    std::vector<UidEntry> entries;      // ascending uid
};

std::string encode_uid_list(const UidList& l);
// `where` names the file in errors.
Result<UidList> decode_uid_list(const std::string& bytes, const std::string& where);

}  // namespace postino::wire
