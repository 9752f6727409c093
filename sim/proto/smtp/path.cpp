// path.cpp — RFC 5321 §4.1.2/§4.1.3 address grammar (with RFC 6531 §3.3
// UTF-8 extensions when enabled) and the §4.5.3.1.1–.3 limits.
#include "proto/smtp/path.hpp"

#include <algorithm>

namespace postino::smtp {
namespace {

// RFC 1035 §2.3.4: a DNS label is at most 63 octets.
constexpr std::size_t kMaxLabelOctets = 63;

bool is_alpha(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// atext (RFC 5322 §3.2.3, used by RFC 5321 §4.1.2).
bool is_atext(unsigned char c) {
    if (is_alpha(c) || is_digit(c)) return true;
    switch (c) {
        case '!':
        case '#':
        case '$':
        case '%':
        case '&':
        case '\'':
        case '*':
        case '+':
        case '-':
        case '/':
        case '=':
        case '?':
        case '^':
        case '_':
        case '`':
        case '{':
        case '|':
        case '}':
        case '~':
            return true;
        default:
            return false;
    }
}

// Length of the well-formed UTF-8 sequence (RFC 3629 §4) starting at s[i]
// with a non-ASCII lead octet, or 0 if it is malformed.
std::size_t utf8_len(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    }
    return n;
}

// Dot-string = Atom *("." Atom); with UTF-8, atext includes UTF8-non-ascii.
bool valid_dot_string(std::string_view s, bool utf8) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '.') {
            if (s[i + 1] == '.') return false;
            ++i;
        } else if (c >= 0x80) {
            const std::size_t n = utf8 ? utf8_len(s, i) : 0;
            if (n == 0) return false;
            i += n;
        } else if (is_atext(c)) {
            ++i;
        } else {
            return false;
        }
    }
    return true;
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE (§4.1.2): qtextSMTP is
// %d32-33 / %d35-91 / %d93-126, quoted-pairSMTP is "\" %d32-126.
bool valid_quoted_string(std::string_view s, bool utf8) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (std::size_t i = 1; i + 1 < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == '\\') {
            if (i + 2 >= s.size()) return false;
            const auto q = static_cast<unsigned char>(s[i + 1]);
            if (q < 32 || q > 126) return false;
            i += 2;
        } else if (c >= 0x80) {
            const std::size_t n = utf8 ? utf8_len(s, i) : 0;
            if (n == 0) return false;
            i += n;
        } else if (c == '"' || c < 32 || c > 126) {
            return false;
        } else {
            ++i;
        }
    }
    return true;
}

// sub-domain = Let-dig [Ldh-str]; with UTF-8 a U-label (RFC 6531 §3.3).
bool valid_label(std::string_view s, bool utf8) {
    if (s.empty() || s.size() > kMaxLabelOctets) return false;
    const auto first = static_cast<unsigned char>(s.front());
    const auto last = static_cast<unsigned char>(s.back());
    if (first == '-' || last == '-') return false;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8 ? utf8_len(s, i) : 0;
            if (n == 0) return false;
            i += n;
        } else if (is_alpha(c) || is_digit(c) || c == '-') {
            ++i;
        } else {
            return false;
        }
    }
    return true;
}

// Snum = 1*3DIGIT representing a decimal integer value in the range 0-255.
bool valid_snum(std::string_view s) {
    if (s.empty() || s.size() > 3) return false;
    int v = 0;
    for (char c : s) {
        if (!is_digit(static_cast<unsigned char>(c))) return false;
        v = v * 10 + (c - '0');
    }
    return v <= 255;
}

bool valid_ipv4(std::string_view s) {
    for (int part = 0; part < 4; ++part) {
        const std::size_t dot = s.find('.');
        const std::string_view num = part == 3 ? s : s.substr(0, dot);
        if (part < 3 && dot == std::string_view::npos) return false;
        if (!valid_snum(num)) return false;
        if (part < 3) s.remove_prefix(dot + 1);
    }
    return true;
}

bool valid_hex_group(std::string_view s) {
    if (s.empty() || s.size() > 4) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return is_hex(static_cast<unsigned char>(c)); });
}

// Counts the 16-bit groups of one side of an IPv6 address ("" is zero
// groups); the last group of the right-most side may be an IPv4 literal
// (counted as 2). Returns -1 if malformed.
int ipv6_groups(std::string_view s, bool may_end_in_ipv4) {
    if (s.empty()) return 0;
    int n = 0;
    while (true) {
        const std::size_t colon = s.find(':');
        const std::string_view g = s.substr(0, colon);
        if (colon == std::string_view::npos) {
            if (may_end_in_ipv4 && g.find('.') != std::string_view::npos) return valid_ipv4(g) ? n + 2 : -1;
            return valid_hex_group(g) ? n + 1 : -1;
        }
        if (!valid_hex_group(g)) return -1;
        ++n;
        s.remove_prefix(colon + 1);
    }
}

// IPv6-addr (§4.1.3): IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp.
// "::" stands for at least two zero groups, so at most 6 groups may be
// written beside it; without it exactly 8.
bool valid_ipv6(std::string_view s) {
    const std::size_t dc = s.find("::");
    if (dc == std::string_view::npos) return ipv6_groups(s, true) == 8;
    const std::string_view left = s.substr(0, dc);
    const std::string_view right = s.substr(dc + 2);
    if (right.find("::") != std::string_view::npos) return false;
    const int l = ipv6_groups(left, false);
    const int r = ipv6_groups(right, true);
    return l >= 0 && r >= 0 && l + r <= 6;
}

// Parses `Mailbox = Local-part "@" ( Domain / address-literal )` exactly.
PathError parse_mailbox(std::string_view s, bool utf8, mail::Mailbox& out) {
    // The local part ends at the last '@' outside a quoted string.
    std::size_t at = std::string_view::npos;
    if (!s.empty() && s.front() == '"') {
        std::size_t i = 1;
        while (i < s.size() && s[i] != '"')
            i += s[i] == '\\' ? 2 : 1;
        if (i >= s.size()) return PathError::Syntax;
        at = i + 1;
        if (at >= s.size() || s[at] != '@') return PathError::Syntax;
    } else {
        at = s.find('@');
        if (at == std::string_view::npos) return PathError::Syntax;
    }
    const std::string_view local = s.substr(0, at);
    const std::string_view domain = s.substr(at + 1);
    if (!valid_local_part(local, utf8)) {
        return local.size() > mail::kMaxLocalPartOctets ? PathError::LocalPartTooLong : PathError::Syntax;
    }
    if (domain.size() > mail::kMaxDomainOctets) return PathError::DomainTooLong;
    const bool ok =
        !domain.empty() && domain.front() == '[' ? valid_address_literal(domain) : valid_domain(domain, utf8);
    if (!ok) return PathError::Syntax;
    out.local = std::string(local);
    out.domain = std::string(domain);
    return PathError::None;
}

// A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain.
bool valid_route(std::string_view s, bool utf8) {
    while (true) {
        if (s.empty() || s.front() != '@') return false;
        const std::size_t comma = s.find(',');
        if (!valid_domain(s.substr(1, comma == std::string_view::npos ? std::string_view::npos : comma - 1), utf8)) {
            return false;
        }
        if (comma == std::string_view::npos) return true;
        s.remove_prefix(comma + 1);
    }
}

bool equals_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && mail::ascii_lower(a) == mail::ascii_lower(b);
}

// The end of a path: the '>' closing `<`…, skipping quoted strings; npos if none.
std::size_t closing_bracket(std::string_view s) {
    bool quoted = false;
    for (std::size_t i = 1; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                quoted = false;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == '>') {
            return i;
        }
    }
    return std::string_view::npos;
}

PathParse parse_path(std::string_view s, const PathOptions& opt, bool reverse) {
    PathParse r;
    if (s.empty() || s.front() != '<') {
        if (!opt.allow_missing_brackets) {
            r.error = PathError::Syntax;
            return r;
        }
        // Leniency: a bare mailbox up to the first SP (deviation from §4.1.2).
        const std::string_view bare = s.substr(0, s.find(' '));
        if (bare.size() + 2 > mail::kMaxPathOctets) {
            r.error = PathError::PathTooLong;
            return r;
        }
        if (!opt.allow_utf8 && has_non_ascii(bare)) {
            r.error = PathError::NonAscii;
            return r;
        }
        r.error = parse_mailbox(bare, opt.allow_utf8, r.path.mailbox);
        r.path.bracketed = false;
        r.path.non_ascii = has_non_ascii(bare);
        r.consumed = bare.size();
        return r;
    }
    const std::size_t close = closing_bracket(s);
    if (close == std::string_view::npos) {
        r.error = s.size() > mail::kMaxPathOctets ? PathError::PathTooLong : PathError::Syntax;
        return r;
    }
    r.consumed = close + 1;
    std::string_view inner = s.substr(1, close - 1);
    r.path.non_ascii = has_non_ascii(inner);
    if (r.path.non_ascii && !opt.allow_utf8) {
        r.error = PathError::NonAscii;
        return r;
    }
    if (inner.empty()) {
        if (!reverse) r.error = PathError::Syntax;
        r.path.null = true;
        return r;
    }
    if (!reverse && equals_ci(inner, "postmaster")) {
        r.path.mailbox.local = std::string(inner);
        return r;
    }
    if (inner.front() == '@') {
        const std::size_t colon = inner.find(':');
        if (colon == std::string_view::npos || !valid_route(inner.substr(0, colon), opt.allow_utf8)) {
            r.error = PathError::Syntax;
            return r;
        }
        r.path.route = std::string(inner.substr(0, colon));
        inner.remove_prefix(colon + 1);
    }
    r.error = parse_mailbox(inner, opt.allow_utf8, r.path.mailbox);
    // The more specific local-part/domain limits are reported first.
    if (r.error == PathError::None && r.consumed > mail::kMaxPathOctets) r.error = PathError::PathTooLong;
    return r;
}

}  // namespace

const char* describe(PathError e) {
    switch (e) {
        case PathError::None:
            return "valid";
        case PathError::Syntax:
            return "address syntax error";
        case PathError::LocalPartTooLong:
            return "local part longer than 64 octets";
        case PathError::DomainTooLong:
            return "domain longer than 255 octets";
        case PathError::PathTooLong:
            return "path longer than 256 octets";
        case PathError::NonAscii:
            return "non-ASCII address without SMTPUTF8";
    }
    return "?";
}

bool has_non_ascii(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

bool valid_domain(std::string_view s, bool allow_utf8) {
    if (s.empty() || s.size() > mail::kMaxDomainOctets) return false;
    while (true) {
        const std::size_t dot = s.find('.');
        if (!valid_label(s.substr(0, dot), allow_utf8)) return false;
        if (dot == std::string_view::npos) return true;
        s.remove_prefix(dot + 1);
    }
}

bool valid_address_literal(std::string_view s) {
    if (s.size() < 3 || s.front() != '[' || s.back() != ']') return false;
    const std::string_view in = s.substr(1, s.size() - 2);
    if (!in.empty() && is_digit(static_cast<unsigned char>(in.front()))) return valid_ipv4(in);
    const std::size_t colon = in.find(':');
    if (colon == std::string_view::npos) return false;
    const std::string_view tag = in.substr(0, colon);
    const std::string_view rest = in.substr(colon + 1);
    if (equals_ci(tag, "IPv6")) return valid_ipv6(rest);
    // General-address-literal = Standardized-tag ":" 1*dcontent;
    // Standardized-tag = Ldh-str; dcontent = %d33-90 / %d94-126.
    if (tag.empty() || !is_alpha(static_cast<unsigned char>(tag.front())) || tag.back() == '-') return false;
    for (char c : tag) {
        const auto u = static_cast<unsigned char>(c);
        if (!is_alpha(u) && !is_digit(u) && u != '-') return false;
    }
    if (rest.empty()) return false;
    return std::all_of(rest.begin(), rest.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u >= 33 && u <= 90) || (u >= 94 && u <= 126);
    });
}

bool valid_local_part(std::string_view s, bool allow_utf8) {
    if (s.size() > mail::kMaxLocalPartOctets) return false;
    return !s.empty() && s.front() == '"' ? valid_quoted_string(s, allow_utf8) : valid_dot_string(s, allow_utf8);
}

bool valid_mailbox(const mail::Mailbox& m, bool allow_utf8) {
    if (!valid_local_part(m.local, allow_utf8)) return false;
    if (!m.domain.empty() && m.domain.front() == '[') return valid_address_literal(m.domain);
    return valid_domain(m.domain, allow_utf8) && m.local.size() + m.domain.size() + 3 <= mail::kMaxPathOctets;
}

PathParse parse_reverse_path(std::string_view s, const PathOptions& opt) { return parse_path(s, opt, true); }
PathParse parse_forward_path(std::string_view s, const PathOptions& opt) { return parse_path(s, opt, false); }

std::string format_path(const mail::Mailbox& m) {
    if (m.empty()) return "<>";
    return "<" + m.str() + ">";
}

}  // namespace postino::smtp
