// params.cpp — ESMTP parameter syntax (RFC 5321 §4.1.2) and the MAIL
// parameters SIZE (RFC 1870), BODY (RFC 6152) and SMTPUTF8 (RFC 6531).
#include "proto/smtp/params.hpp"

#include "mail/mailbox.hpp"

namespace postino::smtp {
namespace {

bool is_alnum(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool valid_keyword(std::string_view k) {
    if (k.empty() || !is_alnum(static_cast<unsigned char>(k.front()))) return false;
    for (char c : k) {
        const auto u = static_cast<unsigned char>(c);
        if (!is_alnum(u) && u != '-') return false;
    }
    return true;
}

// esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii under RFC 6531.
bool valid_value(std::string_view v, bool utf8) {
    if (v.empty()) return false;
    for (char c : v) {
        const auto u = static_cast<unsigned char>(c);
        const bool ascii_ok = u >= 33 && u <= 126 && u != '=';
        if (!ascii_ok && !(utf8 && u >= 0x80)) return false;
    }
    return true;
}

}  // namespace

bool parse_esmtp_params(std::string_view s, std::vector<EsmtpParam>& out, bool allow_utf8) {
    out.clear();
    while (!s.empty()) {
        if (s.front() != ' ') return false;
        s.remove_prefix(1);
        const std::size_t sp = s.find(' ');
        const std::string_view item = s.substr(0, sp);
        s = sp == std::string_view::npos ? std::string_view{} : s.substr(sp);
        const std::size_t eq = item.find('=');
        EsmtpParam p;
        const std::string_view key = item.substr(0, eq);
        if (!valid_keyword(key)) return false;
        p.keyword = std::string(key);
        if (eq != std::string_view::npos) {
            const std::string_view value = item.substr(eq + 1);
            if (!valid_value(value, allow_utf8)) return false;
            p.value = std::string(value);
            p.has_value = true;
        }
        out.push_back(std::move(p));
    }
    return true;
}

const char* to_string(BodyType b) { return b == BodyType::EightBitMime ? "8BITMIME" : "7BIT"; }

MailParamsParse interpret_mail_params(const std::vector<EsmtpParam>& params, const OfferedMailParams& offered) {
    MailParamsParse r;
    bool seen_size = false, seen_body = false, seen_utf8 = false;
    auto fail = [&r](ParamError e, const std::string& k) {
        r.error = e;
        r.keyword = k;
        return r;
    };
    for (const auto& p : params) {
        const std::string key = mail::ascii_lower(p.keyword);
        if (key == "size" && offered.size) {
            if (seen_size) return fail(ParamError::Syntax, p.keyword);
            seen_size = true;
            // RFC 1870 §3: size-value ::= 1*20DIGIT.
            if (!p.has_value || p.value.size() > 20) return fail(ParamError::BadValue, p.keyword);
            std::uint64_t v = 0;
            for (char c : p.value) {
                if (c < '0' || c > '9') return fail(ParamError::BadValue, p.keyword);
                const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
                // 20 digits may exceed 2^64: saturate, it is "too big" either way.
                v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
            }
            r.params.size = v;
        } else if (key == "body" && offered.eightbitmime) {
            if (seen_body) return fail(ParamError::Syntax, p.keyword);
            seen_body = true;
            const std::string v = mail::ascii_lower(p.value);
            if (!p.has_value) return fail(ParamError::BadValue, p.keyword);
            if (v == "7bit") {
                r.params.body = BodyType::SevenBit;
            } else if (v == "8bitmime") {
                r.params.body = BodyType::EightBitMime;
            } else if (v == "binarymime") {
                return fail(ParamError::NotImplemented, p.keyword);
            } else {
                return fail(ParamError::BadValue, p.keyword);
            }
            r.params.body_given = true;
        } else if (key == "smtputf8" && offered.smtputf8) {
            if (seen_utf8 || p.has_value) return fail(ParamError::Syntax, p.keyword);
            seen_utf8 = true;
            r.params.smtputf8 = true;
        } else {
            return fail(ParamError::Unknown, p.keyword);
        }
    }
    return r;
}

}  // namespace postino::smtp
