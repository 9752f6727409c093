// content_type.cpp — MIME structured field parsing and formatting with RFC
// 2231 parameter continuations.
#include "mail/content_type.hpp"

#include <algorithm>
#include <optional>

#include "mail/charset.hpp"
#include "mail/chars.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

class Lexer {
public:
    explicit Lexer(std::string_view s) : s_(s) {}

    Status cfws() {
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (chars::is_wsp(c) || c == '\r' || c == '\n') {
                ++i_;
                continue;
            }
            if (c != '(') break;
            const std::size_t open = i_;
            std::size_t depth = 0;
            bool closed = false;
            while (i_ < s_.size()) {
                const char d = s_[i_++];
                if (d == '\\') {
                    ++i_;
                } else if (d == '(') {
                    if (++depth > 32) return make_error(Errc::comment_too_deep, i_ - 1, "comments nested too deep (Postino bound)");
                } else if (d == ')') {
                    if (--depth == 0) {
                        closed = true;
                        break;
                    }
                }
            }
            if (!closed) return make_error(Errc::unterminated_comment, open, "comment without its ')' (RFC 5322 §3.2.2)");
        }
        return {};
    }

    std::string_view token() {
        const std::size_t start = i_;
        while (i_ < s_.size() && chars::is(s_[i_], chars::kToken)) ++i_;
        return s_.substr(start, i_ - start);
    }

    Result<std::string> quoted() {
        const std::size_t open = i_++;
        std::string out;
        while (i_ < s_.size()) {
            const char c = s_[i_++];
            if (c == '"') return out;
            if (c == '\\') {
                if (i_ >= s_.size()) break;
                out.push_back(s_[i_++]);
                continue;
            }
            if (c == '\r' || c == '\n') continue;  // folding inside the quotes
            out.push_back(c);
        }
        return make_error(Errc::unterminated_quote, open, "quoted string without its closing '\"' (RFC 2045 §5.1)");
    }

    [[nodiscard]] bool done() const { return i_ >= s_.size(); }
    [[nodiscard]] char peek() const { return s_[i_]; }
    std::size_t i_ = 0;

private:
    std::string_view s_;
};

struct RawParam {
    std::string base;     // lower-case name without markers
    int section = -1;     // -1: no section
    bool extended = false;
    std::string value;    // as given (token or quoted-string content)
    std::size_t at = 0;
};

std::optional<std::string> percent_decode(std::string_view v) {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%') {
            if (i + 2 >= v.size()) return std::nullopt;
            const int hi = chars::hex_value(v[i + 1]);
            const int lo = chars::hex_value(v[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(v[i]);
        }
    }
    return out;
}

Result<MimeParameters> parse_params(Lexer& lx) {
    std::vector<RawParam> raw;
    while (true) {
        if (Status s = lx.cfws(); !s.ok()) return s.error();
        if (lx.done()) break;
        if (lx.peek() != ';') return make_error(Errc::parameter_syntax, lx.i_, "expected ';' before a parameter (RFC 2045 §5.1)");
        ++lx.i_;
        if (Status s = lx.cfws(); !s.ok()) return s.error();
        // XXX RFC 2045 §5.1: a trailing ';' with no parameter after it is
        // tolerated: it is common and cannot be read two ways.
        if (lx.done()) break;
        const std::size_t at = lx.i_;
        const std::string_view name = lx.token();
        if (name.empty()) return make_error(Errc::parameter_syntax, at, "expected a parameter name (RFC 2045 §5.1)");
        RawParam p;
        p.at = at;
        std::string_view base = name;
        if (base.back() == '*') {
            p.extended = true;
            base.remove_suffix(1);
        }
        if (const std::size_t star = base.find('*'); star != std::string_view::npos) {
            const std::string_view num = base.substr(star + 1);
            if (num.empty() || num.size() > 3 || (num.size() > 1 && num[0] == '0') ||
                !std::all_of(num.begin(), num.end(), [](char c) { return chars::is_digit(c); }))
                return make_error(Errc::parameter_syntax, at, "bad RFC 2231 section number (RFC 2231 §3)");
            p.section = std::stoi(std::string(num));
            base = base.substr(0, star);
        }
        for (char c : base)
            if (!chars::is(c, chars::kAttr))
                return make_error(Errc::parameter_syntax, at, "bad parameter name (RFC 2231 §7 attribute-char)");
        if (base.empty()) return make_error(Errc::parameter_syntax, at, "expected a parameter name (RFC 2045 §5.1)");
        p.base = chars::to_lower(base);
        if (Status s = lx.cfws(); !s.ok()) return s.error();
        if (lx.done() || lx.peek() != '=')
            return make_error(Errc::parameter_syntax, lx.i_, "expected '=' after the parameter name (RFC 2045 §5.1)");
        ++lx.i_;
        if (Status s = lx.cfws(); !s.ok()) return s.error();
        if (!lx.done() && lx.peek() == '"') {
            if (p.extended)
                return make_error(Errc::parameter_syntax, lx.i_, "an RFC 2231 extended value is not quoted (RFC 2231 §7)");
            auto q = lx.quoted();
            if (!q.ok()) return q.error();
            p.value = std::move(*q);
        } else {
            const std::size_t vat = lx.i_;
            const std::string_view v = lx.token();
            if (v.empty()) return make_error(Errc::parameter_syntax, vat, "expected a token or quoted-string value (RFC 2045 §5.1)");
            p.value = std::string(v);
        }
        raw.push_back(std::move(p));
    }
    // Assemble, keeping the order in which names first appear.
    MimeParameters out;
    std::vector<std::string> seen;
    for (const RawParam& first : raw) {
        if (std::find(seen.begin(), seen.end(), first.base) != seen.end()) continue;
        seen.push_back(first.base);
        const RawParam* plain = nullptr;
        std::vector<const RawParam*> sections;
        for (const RawParam& p : raw) {
            if (p.base != first.base) continue;
            if (p.section < 0 && !p.extended) {
                if (plain != nullptr || !sections.empty())
                    return make_error(Errc::duplicate_parameter, p.at, "parameter given twice (RFC 2045 §5.1)");
                plain = &p;
                continue;
            }
            if (plain != nullptr) return make_error(Errc::duplicate_parameter, p.at, "parameter given twice (RFC 2231 §3)");
            const std::size_t idx = p.section < 0 ? 0 : static_cast<std::size_t>(p.section);
            if (idx >= kMaxParameterSections)
                return make_error(Errc::parameter_syntax, p.at, "too many RFC 2231 sections (Postino bound)");
            if (sections.size() <= idx) sections.resize(idx + 1, nullptr);
            if (sections[idx] != nullptr)
                return make_error(Errc::duplicate_parameter, p.at, "RFC 2231 section given twice (RFC 2231 §3)");
            sections[idx] = &p;
        }
        MimeParameter mp;
        mp.name = first.base;
        if (plain != nullptr) {
            mp.value = plain->value;
            out.push_back(std::move(mp));
            continue;
        }
        mp.extended = true;
        std::string bytes;
        for (std::size_t k = 0; k < sections.size(); ++k) {
            const RawParam* s = sections[k];
            if (s == nullptr) return make_error(Errc::parameter_syntax, first.at, "missing RFC 2231 section " + std::to_string(k));
            std::string_view v = s->value;
            if (k == 0 && s->extended) {
                const std::size_t q1 = v.find('\'');
                const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
                if (q2 == std::string_view::npos)
                    return make_error(Errc::parameter_syntax, s->at, "expected charset'language' (RFC 2231 §4)");
                mp.charset = std::string(v.substr(0, q1));
                mp.language = std::string(v.substr(q1 + 1, q2 - q1 - 1));
                v = v.substr(q2 + 1);
            }
            if (s->extended) {
                auto d = percent_decode(v);
                if (!d) return make_error(Errc::parameter_syntax, s->at, "bad %XX escape (RFC 2231 §4)");
                bytes += *d;
            } else {
                bytes += v;
            }
        }
        if (mp.charset.empty()) {
            mp.value = std::move(bytes);
        } else if (auto cs = charset_from_name(mp.charset)) {
            mp.value = to_utf8(bytes, *cs).text;
        } else {
            mp.value = std::move(bytes);  // unknown charset: octets as given
        }
        out.push_back(std::move(mp));
    }
    return out;
}

std::string quote_if_needed(std::string_view v) {
    const bool token = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return chars::is(c, chars::kToken); });
    if (token) return std::string(v);
    std::string out = "\"";
    for (char c : v) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

}  // namespace

std::string_view to_string(TransferEncoding e) {
    switch (e) {
        case TransferEncoding::seven_bit: return "7bit";
        case TransferEncoding::eight_bit: return "8bit";
        case TransferEncoding::binary: return "binary";
        case TransferEncoding::quoted_printable: return "quoted-printable";
        case TransferEncoding::base64: return "base64";
        case TransferEncoding::unknown: return "unknown";
    }
    return "unknown";
}

Result<TransferEncoding> parse_transfer_encoding(std::string_view value) {
    Lexer lx(value);
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    const std::size_t at = lx.i_;
    const std::string_view t = lx.token();
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    if (!lx.done() || t.empty())
        return make_error(Errc::unknown_transfer_encoding, at, "expected one mechanism token (RFC 2045 §6.1)");
    for (TransferEncoding e : {TransferEncoding::seven_bit, TransferEncoding::eight_bit, TransferEncoding::binary,
                               TransferEncoding::quoted_printable, TransferEncoding::base64})
        if (chars::iequals(t, to_string(e))) return e;
    return make_error(Errc::unknown_transfer_encoding, at, "unknown mechanism \"" + std::string(t) + "\" (RFC 2045 §6.1)");
}

const MimeParameter* find_parameter(const MimeParameters& ps, std::string_view name) {
    for (const auto& p : ps)
        if (chars::iequals(p.name, name)) return &p;
    return nullptr;
}

std::string ContentType::param_value(std::string_view name) const {
    const MimeParameter* p = param(name);
    return p ? p->value : std::string();
}

bool ContentType::is(std::string_view t, std::string_view s) const {
    return chars::iequals(type, t) && chars::iequals(subtype, s);
}

void ContentType::set_param(std::string_view name, std::string_view value) {
    for (auto& p : params) {
        if (chars::iequals(p.name, name)) {
            p.value = std::string(value);
            return;
        }
    }
    params.push_back(MimeParameter{chars::to_lower(name), std::string(value), "", "", false});
}

ContentType ContentType::default_text() {
    ContentType ct;
    ct.params.push_back(MimeParameter{"charset", "us-ascii", "", "", false});
    return ct;
}

ContentType ContentType::default_digest() {
    ContentType ct;
    ct.type = "message";
    ct.subtype = "rfc822";
    return ct;
}

Result<ContentType> parse_content_type(std::string_view value) {
    Lexer lx(value);
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    const std::size_t at = lx.i_;
    const std::string_view type = lx.token();
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    if (type.empty() || lx.done() || lx.peek() != '/')
        return make_error(Errc::content_type_syntax, at, "expected type/subtype (RFC 2045 §5.1)");
    ++lx.i_;
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    const std::size_t sub_at = lx.i_;
    const std::string_view sub = lx.token();
    if (sub.empty()) return make_error(Errc::content_type_syntax, sub_at, "expected a subtype (RFC 2045 §5.1)");
    auto ps = parse_params(lx);
    if (!ps.ok()) return ps.error();
    ContentType ct;
    ct.type = chars::to_lower(type);
    ct.subtype = chars::to_lower(sub);
    ct.params = std::move(*ps);
    return ct;
}

Result<ContentDisposition> parse_content_disposition(std::string_view value) {
    Lexer lx(value);
    if (Status s = lx.cfws(); !s.ok()) return s.error();
    const std::size_t at = lx.i_;
    const std::string_view type = lx.token();
    if (type.empty()) return make_error(Errc::content_type_syntax, at, "expected a disposition type (RFC 2183 §2)");
    auto ps = parse_params(lx);
    if (!ps.ok()) return ps.error();
    return ContentDisposition{chars::to_lower(type), std::move(*ps)};
}

std::string format_parameters(const MimeParameters& ps) {
    std::string out;
    for (const auto& p : ps) {
        bool ascii = true;
        for (char c : p.value)
            if (!chars::is(c, chars::kVchar) && c != ' ') ascii = false;
        if (ascii) {
            out += "; " + p.name + "=" + quote_if_needed(p.value);
            continue;
        }
        // RFC 2231 §4: charset'language'%XX, cut into sections that fold.
        std::string enc;
        for (char c : p.value) {
            if (chars::is(c, chars::kAttr)) {
                enc.push_back(c);
            } else {
                const auto u = static_cast<unsigned char>(c);
                enc.push_back('%');
                enc.push_back(chars::kHexUpper[u >> 4]);
                enc.push_back(chars::kHexUpper[u & 15]);
            }
        }
        const std::string head = "utf-8''";
        if (enc.size() + head.size() <= kParameterSectionChars) {
            out.append("; ").append(p.name).append("*=").append(head).append(enc);
            continue;
        }
        std::size_t i = 0;
        for (int k = 0; i < enc.size(); ++k) {
            std::size_t take = std::min(kParameterSectionChars, enc.size() - i);
            // Never cut a %XX escape.
            if (i + take < enc.size()) {
                if (enc[i + take - 1] == '%') take -= 1;
                else if (take >= 2 && enc[i + take - 2] == '%') take -= 2;
            }
            out += "; " + p.name + "*" + std::to_string(k) + "*=" + (k == 0 ? head : "") + enc.substr(i, take);
            i += take;
        }
    }
    return out;
}

std::string format_content_type(const ContentType& ct) { return ct.mime_type() + format_parameters(ct.params); }

std::string format_content_disposition(const ContentDisposition& cd) { return cd.type + format_parameters(cd.params); }

bool is_valid_boundary(std::string_view b) {
    if (b.empty() || b.size() > kMaxBoundaryChars || b.back() == ' ') return false;
    for (char c : b)
        if (!chars::is(c, chars::kBchar) && c != ' ') return false;
    return true;
}

}  // namespace postino::mail
