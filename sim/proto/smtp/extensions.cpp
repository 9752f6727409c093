// extensions.cpp — reading EHLO keyword lines (RFC 5321 §4.1.1.1, RFC 1870 §4).
#include "proto/smtp/extensions.hpp"

namespace postino::smtp {
namespace {

bool is_alnum(unsigned char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool valid_keyword(std::string_view k) {
    if (k.empty() || !is_alnum(static_cast<unsigned char>(k.front()))) return false;
    for (char c : k) {
        if (!is_alnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    return true;
}

// ehlo-param = 1*(%d33-126)
bool valid_param(std::string_view p) {
    if (p.empty()) return false;
    for (char c : p) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126) return false;
    }
    return true;
}

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

}  // namespace

const Extension* Extensions::find(std::string_view keyword) const {
    const std::string k = upper(keyword);
    for (const auto& e : list) {
        if (e.keyword == k) return &e;
    }
    return nullptr;
}

Extensions parse_ehlo_reply(const Reply& r) {
    Extensions x;
    if (r.lines.empty()) return x;
    const std::string_view first = r.lines.front();
    x.server_domain = std::string(first.substr(0, first.find(' ')));
    for (std::size_t i = 1; i < r.lines.size(); ++i) {
        std::string_view line = r.lines[i];
        Extension e;
        const std::size_t sp = line.find(' ');
        const std::string_view kw = line.substr(0, sp);
        bool ok = valid_keyword(kw);
        e.keyword = upper(kw);
        line = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
        while (ok && !line.empty()) {
            const std::size_t next = line.find(' ');
            const std::string_view p = line.substr(0, next);
            ok = valid_param(p);
            e.params.emplace_back(p);
            line = next == std::string_view::npos ? std::string_view{} : line.substr(next + 1);
        }
        if (!ok) {
            ++x.malformed;
            continue;
        }
        if (e.keyword == "PIPELINING") x.pipelining = true;
        if (e.keyword == "8BITMIME") x.eightbitmime = true;
        if (e.keyword == "ENHANCEDSTATUSCODES") x.enhanced_status_codes = true;
        if (e.keyword == "SMTPUTF8") x.smtputf8 = true;
        if (e.keyword == "SIZE") {
            x.size = true;
            if (!e.params.empty()) {
                std::uint64_t v = 0;
                bool digits = e.params[0].size() <= 20;
                for (char c : e.params[0]) {
                    if (c < '0' || c > '9') digits = false;
                    const auto d = static_cast<std::uint64_t>(c - '0');
                    if (digits) v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
                }
                x.size_limit = digits ? v : 0;
            }
        }
        x.list.push_back(std::move(e));
    }
    return x;
}

}  // namespace postino::smtp
