// reply.cpp — wire form and validation of SMTP replies (RFC 5321 §4.2,
// §4.5.3.1.5; RFC 3463 §2; RFC 2034 §3).
#include "proto/smtp/reply.hpp"

#include "core/octets.hpp"
#include "proto/smtp/limits.hpp"

namespace postino::smtp {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// One numeric component of an enhanced code: 1–3 digits, no leading zero
// unless the component is "0" (RFC 3463 §2: "1*3digit", values without
// leading zeros).
bool valid_component(std::string_view s) {
    if (s.empty() || s.size() > 3) return false;
    for (char c : s) {
        if (!is_digit(c)) return false;
    }
    return !(s.size() > 1 && s[0] == '0');
}

// Appends at most `room` octets of `text`, control characters (but TAB)
// replaced by '?': copied in one append, then fixed in place.
void append_clean(std::string& out, std::string_view text, std::size_t room) {
    const std::size_t start = out.size();
    out.append(text.data(), text.size() < room ? text.size() : room);
    const std::string_view added = std::string_view(out).substr(start);
    for (std::size_t i = start + octets::find_first(octets::Find::Control, added); i < out.size(); ++i) {
        if (octets::in_class(octets::Find::Control, static_cast<unsigned char>(out[i]))) out[i] = '?';
    }
}

}  // namespace

std::string Reply::text() const {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i != 0) out.push_back('\n');
        out += lines[i];
    }
    return out;
}

Reply make_reply(int code, std::string enhanced, std::string text) {
    Reply r;
    r.code = code;
    r.enhanced = std::move(enhanced);
    r.lines.push_back(std::move(text));
    return r;
}

bool valid_reply_code(int code) {
    if (code < 200 || code > 559) return false;
    return (code / 10) % 10 <= 5;
}

bool valid_enhanced_code(std::string_view s) {
    const auto p1 = s.find('.');
    if (p1 == std::string_view::npos) return false;
    const auto p2 = s.find('.', p1 + 1);
    if (p2 == std::string_view::npos) return false;
    const std::string_view cls = s.substr(0, p1);
    if (cls != "2" && cls != "4" && cls != "5") return false;
    return valid_component(s.substr(p1 + 1, p2 - p1 - 1)) && valid_component(s.substr(p2 + 1));
}

bool enhanced_matches(int code, std::string_view enhanced) {
    return valid_enhanced_code(enhanced) && enhanced[0] - '0' == code / 100;
}

std::size_t append_reply(std::string& out, const Reply& r) {
    const std::size_t before = out.size();
    const std::string code = std::to_string(r.code);
    const std::size_t n = r.lines.empty() ? 1 : r.lines.size();
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t line_start = out.size();
        out += code;
        const bool last = i + 1 == n;
        const std::string_view text = r.lines.empty() ? std::string_view{} : std::string_view{r.lines[i]};
        if (!last) {
            out.push_back('-');
        } else if (!text.empty() || !r.enhanced.empty()) {
            out.push_back(' ');
        }
        if (!r.enhanced.empty()) {
            out += r.enhanced;
            if (!text.empty()) out.push_back(' ');
        }
        const std::size_t used = out.size() - line_start + 2;  // + CRLF
        const std::size_t room = used < kMaxReplyLineOctets ? kMaxReplyLineOctets - used : 0;
        append_clean(out, text, room);
        out += "\r\n";
    }
    return out.size() - before;
}

std::string format_reply(const Reply& r) {
    std::string out;
    append_reply(out, r);
    return out;
}

}  // namespace postino::smtp
