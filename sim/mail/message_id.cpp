// message_id.cpp — Message-ID generation and syntax check (RFC 5322 §3.6.4).
#include "mail/message_id.hpp"

#include <cstdio>

#include "mail/chars.hpp"

namespace postino::mail {
namespace {
bool is_dot_atom_text(std::string_view s) {
    if (s.empty() || s.front() == '.' || s.back() == '.') return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (s[i - 1] == '.') return false;
        } else if (!chars::is(s[i], chars::kAtext)) {
            return false;
        }
    }
    return true;
}
}  // namespace

std::string make_message_id(Rng& rng, std::string_view host, Time now, const DateContext& ctx) {
    // YYYYMMDDhhmmss (UT), then 64 bits from the stream.
    const CivilTime c = to_civil(DateTime{to_date_time(now, ctx).unix_seconds, 0});
    const std::uint64_t bits = rng.next_u64();
    const std::string_view domain = host.empty() ? std::string_view("localhost") : host;
    std::string id;
    if (c.year < 0 || c.year > 9999) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%04lld%02d%02d%02d%02d%02d.%016llx", static_cast<long long>(c.year), c.month,
                      c.day, c.hour, c.minute, c.second, static_cast<unsigned long long>(bits));
        id.append("<").append(buf);
    } else {
        // By hand, as snprintf would write it: one per message and per DSN.
        static constexpr char kHex[] = "0123456789abcdef";
        id.reserve(34 + domain.size());
        id.push_back('<');
        auto two = [&id](int v) {
            id.push_back(static_cast<char>('0' + v / 10));
            id.push_back(static_cast<char>('0' + v % 10));
        };
        const int year = static_cast<int>(c.year);
        two(year / 100);
        two(year % 100);
        two(c.month);
        two(c.day);
        two(c.hour);
        two(c.minute);
        two(c.second);
        id.push_back('.');
        for (int shift = 60; shift >= 0; shift -= 4) id.push_back(kHex[(bits >> shift) & 0xf]);
    }
    id.append("@").append(domain).append(">");
    return id;
}

bool is_valid_message_id(std::string_view id) {
    if (id.size() < 5 || id.front() != '<' || id.back() != '>') return false;
    const std::string_view in = id.substr(1, id.size() - 2);
    const std::size_t at = in.rfind('@');
    if (at == std::string_view::npos) return false;
    const std::string_view left = in.substr(0, at);
    const std::string_view right = in.substr(at + 1);
    if (!is_dot_atom_text(left)) return false;
    if (is_dot_atom_text(right)) return true;
    // no-fold-literal: "[" *dtext "]"
    if (right.size() < 2 || right.front() != '[' || right.back() != ']') return false;
    for (char c : right.substr(1, right.size() - 2))
        if (!chars::is(c, chars::kDtext)) return false;
    return true;
}

}  // namespace postino::mail
