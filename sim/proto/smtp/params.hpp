// params.hpp — ESMTP parameters of MAIL and RCPT, and what the MAIL ones mean.
//
// RFC 5321 §4.1.2 (`Mail-parameters = esmtp-param *(SP esmtp-param)`,
// `esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")`,
// `esmtp-value = 1*(%d33-60 / %d62-126)`), §4.1.1.11 (555 for a parameter
// not recognized); RFC 1870 §3, §6 (SIZE=1*20DIGIT); RFC 6152 §2
// (BODY=7BIT / 8BITMIME); RFC 3030 §3 (BODY=BINARYMIME, not implemented
// here: 504); RFC 6531 §3.4 (SMTPUTF8, no value) and §3.3 (UTF-8 in values).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postino::smtp {

struct EsmtpParam {
    std::string keyword;  // as written
    std::string value;    // empty when has_value is false
    bool has_value = false;
};

// Parses what follows a path: "" (no parameters) or " K[=V]( K[=V])*".
// Returns false on syntax errors (which the server answers with 501).
bool parse_esmtp_params(std::string_view s, std::vector<EsmtpParam>& out, bool allow_utf8 = false);

enum class BodyType : std::uint8_t { SevenBit, EightBitMime };
const char* to_string(BodyType b);

struct MailParams {
    std::optional<std::uint64_t> size;  // RFC 1870 declared size
    BodyType body = BodyType::SevenBit;
    bool body_given = false;  // BODY= appeared
    bool smtputf8 = false;    // RFC 6531
    bool operator==(const MailParams&) const = default;
};

// Which MAIL parameters the server offers (through its EHLO keywords).
struct OfferedMailParams {
    bool size = true;
    bool eightbitmime = true;
    bool smtputf8 = false;
};

enum class ParamError : std::uint8_t {
    None,
    Syntax,          // 501: malformed list, duplicate, value where none allowed
    BadValue,        // 501: SIZE not 1*20DIGIT, unknown BODY value
    Unknown,         // 555: keyword not recognized or extension not offered (§4.1.1.11)
    NotImplemented,  // 504: BODY=BINARYMIME (RFC 3030) is recognized but not offered
};

struct MailParamsParse {
    ParamError error = ParamError::None;
    MailParams params;
    std::string keyword;  // the offending keyword, for the reply text
};

// Interprets MAIL FROM parameters against what the server offers.
MailParamsParse interpret_mail_params(const std::vector<EsmtpParam>& params, const OfferedMailParams& offered);

}  // namespace postino::smtp
