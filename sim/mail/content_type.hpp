// content_type.hpp — MIME header fields: Content-Type, Content-Disposition,
// Content-Transfer-Encoding, and their parameters.
//
// RFC 2045 §5.1 (Content-Type syntax: type/subtype, parameters, tokens and
// quoted strings, comments), §5.2 (defaults), §6.1 (Content-Transfer-
// Encoding), RFC 2046 §5.1.1 (the boundary parameter), RFC 2183 §2
// (Content-Disposition), RFC 2231 §3–§4 (parameter continuations, charset
// and language, %XX encoding; decoded, and produced for non-ASCII values).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace postino::mail {

// RFC 2046 §5.1.1: a boundary is 1 to 70 characters.
inline constexpr std::size_t kMaxBoundaryChars = 70;
// Postino bound: RFC 2231 continuations of one parameter (RFC sets none).
inline constexpr std::size_t kMaxParameterSections = 100;
// Width of one RFC 2231 section this library writes, so lines can fold.
inline constexpr std::size_t kParameterSectionChars = 60;

enum class TransferEncoding : std::uint8_t { seven_bit, eight_bit, binary, quoted_printable, base64, unknown };
std::string_view to_string(TransferEncoding e);
// RFC 2045 §6.1, case-insensitive; anything else (x-tokens included) is
// unknown-transfer-encoding.
Result<TransferEncoding> parse_transfer_encoding(std::string_view value);

struct MimeParameter {
    std::string name;       // lower-case, without RFC 2231 '*' markers
    std::string value;      // decoded; UTF-8 when an RFC 2231 charset was known
    std::string charset;    // RFC 2231 charset, empty if none
    std::string language;   // RFC 2231 language, empty if none
    bool extended = false;  // written with RFC 2231 syntax
    friend bool operator==(const MimeParameter&, const MimeParameter&) = default;
};

using MimeParameters = std::vector<MimeParameter>;
const MimeParameter* find_parameter(const MimeParameters& ps, std::string_view name);

struct ContentType {
    std::string type = "text";
    std::string subtype = "plain";
    MimeParameters params;

    [[nodiscard]] std::string mime_type() const { return type + "/" + subtype; }
    [[nodiscard]] const MimeParameter* param(std::string_view name) const { return find_parameter(params, name); }
    [[nodiscard]] std::string param_value(std::string_view name) const;
    [[nodiscard]] bool is(std::string_view t, std::string_view s) const;
    [[nodiscard]] bool is_multipart() const { return type == "multipart"; }
    [[nodiscard]] bool is_message() const { return type == "message" && subtype == "rfc822"; }
    void set_param(std::string_view name, std::string_view value);

    static ContentType default_text();    // RFC 2045 §5.2: text/plain; charset=us-ascii
    static ContentType default_digest();  // RFC 2046 §5.1.5: message/rfc822 in a digest
};

struct ContentDisposition {
    std::string type;  // lower-case: "inline", "attachment", ...
    MimeParameters params;
    [[nodiscard]] const MimeParameter* param(std::string_view name) const { return find_parameter(params, name); }
};

Result<ContentType> parse_content_type(std::string_view value);
Result<ContentDisposition> parse_content_disposition(std::string_view value);

// "; name=value" for each parameter: a token when it can be, a quoted string
// for other ASCII, RFC 2231 utf-8''%XX sections (each short enough to fold)
// for the rest.
std::string format_parameters(const MimeParameters& ps);
std::string format_content_type(const ContentType& ct);
std::string format_content_disposition(const ContentDisposition& cd);

// RFC 2046 §5.1.1: 1-70 characters from bchars, not ending in a space.
bool is_valid_boundary(std::string_view b);

}  // namespace postino::mail
