// base64.hpp — the base64 content-transfer-encoding.
//
// RFC 4648 §4 (alphabet, padding) and §3.3/§3.5 (strict decoding for
// non-MIME uses such as encoded words), RFC 2045 §6.8 (MIME: lines of at
// most 76 characters, decoders skip characters outside the alphabet).
// Decoding is table driven: four 256-entry tables turn a quantum of four
// characters into three octets with one OR and one range check.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "mail/leniency.hpp"

namespace postino::mail {

// RFC 2045 §6.8: encoded lines must be no more than 76 characters long.
inline constexpr std::size_t kBase64LineChars = 76;
// 57 input octets make one full 76-character line.
inline constexpr std::size_t kBase64LineOctets = kBase64LineChars / 4 * 3;

enum class Base64Lines : std::uint8_t {
    none,  // one unbroken run (RFC 4648, encoded words, SASL)
    mime,  // 76-character lines, each ending in CRLF (RFC 2045 §6.8)
};

std::size_t base64_encoded_size(std::size_t octets, Base64Lines lines);
void base64_encode_to(std::string_view data, Base64Lines lines, std::string& out);
std::string base64_encode(std::string_view data, Base64Lines lines = Base64Lines::mime);

// RFC 4648 §3.3: only alphabet characters, padding to a multiple of four;
// §3.5: the unused bits of the last quantum must be zero unless allowed.
Result<std::string> base64_decode_strict(std::string_view text, bool allow_nonzero_pad_bits = false);

// What a MIME decode met that is allowed but worth showing.
struct Base64Report {
    std::size_t ignored_chars = 0;        // outside the alphabet, not CR/LF/SP/HTAB (RFC 2045 §6.8)
    std::size_t first_ignored_offset = 0; // offset of the first one
    std::size_t long_lines = 0;           // lines over kBase64LineChars
    Leniencies used;                      // leniencies this input needed
};

// Incremental MIME decoder: feed() chunks as they come, then finish().
// Offsets in errors count from the first octet ever fed.
class Base64Decoder {
public:
    explicit Base64Decoder(Leniencies allow = Leniencies{Leniency::base64_ignore_garbage});
    Status feed(std::string_view chunk, std::string& out);
    Status finish(std::string& out);
    [[nodiscard]] const Base64Report& report() const { return report_; }

private:
    Status slow_char(char c, std::size_t at, char*& o);
    Status fail(Status s);

    Leniencies allow_;
    Base64Report report_;
    std::uint32_t bits_ = 0;    // accumulated sextets of the current quantum
    int fill_ = 0;              // characters in the current quantum (0-3)
    bool want_second_pad_ = false;
    bool ended_ = false;        // padding seen: the data is over
    std::size_t offset_ = 0;    // offset of the next octet fed
    std::size_t line_len_ = 0;
    Status failed_;
};

struct Base64Decoded {
    std::string bytes;
    Base64Report report;
};
Result<Base64Decoded> base64_decode_mime(std::string_view text,
                                         Leniencies allow = Leniencies{Leniency::base64_ignore_garbage});

}  // namespace postino::mail
