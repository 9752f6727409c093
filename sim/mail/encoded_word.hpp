// encoded_word.hpp — RFC 2047 encoded words in header fields.
//
// RFC 2047 §2 (syntax, 75-character limit), §4.1 (B), §4.2 (Q), §5 (where
// encoded words may appear; the restricted Q alphabet of phrases), §6.2
// (whitespace between adjacent encoded words is dropped), §6.3 (a word that
// does not decode is shown as it is), RFC 2231 §5 (a language after '*').
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postino::mail {

// RFC 2047 §2: an encoded-word may not be more than 75 characters long.
inline constexpr std::size_t kMaxEncodedWordChars = 75;
// RFC 2047 §2: a header line containing an encoded word is at most 76 characters.
inline constexpr std::size_t kMaxEncodedLineChars = 76;

struct EncodedWord {
    std::string charset;   // as written, without any RFC 2231 language
    std::string language;  // RFC 2231 §5, may be empty
    char encoding = 'Q';   // 'B' or 'Q' (upper-cased)
    std::string bytes;     // the decoded octets, still in `charset`
};

// Parses one token that must be exactly an encoded word; nullopt if it is not
// one or its encoded text does not decode.
std::optional<EncodedWord> parse_encoded_word(std::string_view token);

struct DecodedText {
    std::string text;               // UTF-8
    std::size_t decoded_words = 0;  // encoded words decoded
    std::size_t kept_words = 0;     // tokens that looked like encoded words but were kept as written (§6.3)
    bool replaced = false;          // some octets were invalid in their charset and became U+FFFD
};

// Decodes the encoded words in an unfolded unstructured field body (§5 (1)).
DecodedText decode_unstructured(std::string_view text);

// Encodes UTF-8 text as one or more encoded words ("=?UTF-8?Q?...?=" joined
// by single spaces), each at most 75 characters, using the phrase-safe Q
// alphabet of §5 (3) or B, whichever is shorter; characters are never split.
std::string encode_words(std::string_view utf8);

// Encodes an unstructured field body: words that are plain printable ASCII
// stay as they are, runs of words that are not become encoded words.
std::string encode_unstructured(std::string_view utf8);

// A display name as a phrase (RFC 5322 §3.2.5): atoms when it can, a quoted
// string for other ASCII, encoded words for the rest.
std::string encode_phrase(std::string_view utf8);

}  // namespace postino::mail
