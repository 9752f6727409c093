// mailbox_name.cpp — modified UTF-7, refused names and LIST patterns
// (RFC 3501 §5.1, §5.1.3, §6.3.8). See mailbox_name.hpp.
#include "proto/imap/mailbox_name.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "proto/imap/limits.hpp"

namespace postino::imap {

namespace {

constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64_value(char c) {
    const auto p = kB64.find(c);
    return p == std::string_view::npos ? -1 : static_cast<int>(p);
}

void put_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

Error bad(std::string what, std::size_t at) { return Error{std::move(what), "octet " + std::to_string(at)}; }

}  // namespace

Result<std::string> mutf7_decode(std::string_view w) {
    std::string out;
    std::size_t i = 0;
    while (i < w.size()) {
        const auto c = static_cast<unsigned char>(w[i]);
        if (c < 0x20 || c > 0x7E) return bad("a mailbox name is printable ASCII (RFC 3501 §5.1.3)", i);
        if (c != '&') {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        const std::size_t start = i++;
        if (i < w.size() && w[i] == '-') {
            out += '&';
            ++i;
            continue;
        }
        std::uint32_t bits = 0;
        int nbits = 0;
        std::vector<std::uint16_t> units;
        while (i < w.size() && w[i] != '-') {
            const int v = b64_value(w[i]);
            if (v < 0) return bad("bad character in a modified UTF-7 shift", i);
            bits = (bits << 6) | static_cast<std::uint32_t>(v);
            nbits += 6;
            if (nbits >= 16) {
                nbits -= 16;
                units.push_back(static_cast<std::uint16_t>((bits >> nbits) & 0xFFFF));
            }
            ++i;
        }
        if (i >= w.size()) return bad("a modified UTF-7 shift without '-'", start);
        ++i;  // '-'
        if (units.empty() || nbits >= 6 || (bits & ((1u << nbits) - 1)) != 0)
            return bad("a malformed modified UTF-7 shift", start);
        for (std::size_t k = 0; k < units.size(); ++k) {
            std::uint32_t cp = units[k];
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                if (k + 1 >= units.size() || units[k + 1] < 0xDC00 || units[k + 1] > 0xDFFF)
                    return bad("an unpaired surrogate in modified UTF-7", start);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (units[++k] - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return bad("an unpaired surrogate in modified UTF-7", start);
            } else if (cp >= 0x20 && cp <= 0x7E) {
                return bad("printable ASCII must not be shifted in modified UTF-7", start);
            }
            put_utf8(out, cp);
        }
    }
    return out;
}

Result<std::string> mutf7_encode(std::string_view u) {
    std::string out;
    std::vector<std::uint16_t> pending;
    auto flush = [&] {
        if (pending.empty()) return;
        out += '&';
        std::uint32_t bits = 0;
        int nbits = 0;
        for (auto unit : pending) {
            bits = (bits << 16) | unit;
            nbits += 16;
            while (nbits >= 6) {
                nbits -= 6;
                out += kB64[(bits >> nbits) & 0x3F];
            }
        }
        if (nbits > 0) out += kB64[(bits << (6 - nbits)) & 0x3F];
        out += '-';
        pending.clear();
    };
    std::size_t i = 0;
    while (i < u.size()) {
        const auto c = static_cast<unsigned char>(u[i]);
        if (c >= 0x20 && c <= 0x7E) {
            flush();
            out += c == '&' ? std::string("&-") : std::string(1, static_cast<char>(c));
            ++i;
            continue;
        }
        std::uint32_t cp = 0;
        int len = 0;
        if (c >= 0xF0 && c <= 0xF4) { cp = c & 0x07; len = 4; }
        else if (c >= 0xE0) { cp = c & 0x0F; len = 3; }
        else if (c >= 0xC2 && c < 0xE0) { cp = c & 0x1F; len = 2; }
        else if (c < 0x80) { cp = c; len = 1; }
        else return bad("invalid UTF-8", i);
        if (i + static_cast<std::size_t>(len) > u.size()) return bad("truncated UTF-8", i);
        for (int k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(u[i + static_cast<std::size_t>(k)]);
            if ((cc & 0xC0) != 0x80) return bad("invalid UTF-8", i);
            cp = (cp << 6) | (cc & 0x3F);
        }
        i += static_cast<std::size_t>(len);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            pending.push_back(static_cast<std::uint16_t>(0xD800 + (cp >> 10)));
            pending.push_back(static_cast<std::uint16_t>(0xDC00 + (cp & 0x3FF)));
        } else {
            pending.push_back(static_cast<std::uint16_t>(cp));
        }
    }
    flush();
    return out;
}

Status check_mailbox_name(std::string_view w) {
    if (w.empty()) return Error{"an empty mailbox name", ""};
    if (w.size() > kMaxMailboxNameOctets) return Error{"mailbox name too long", ""};
    auto d = mutf7_decode(w);
    if (!d.ok()) return d.error();
    std::size_t levels = 0;
    std::size_t start = 0;
    for (;;) {
        const auto end = w.find(kDelimiter, start);
        const auto level = w.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (level.empty()) return Error{"a mailbox name has an empty level (\"//\", or '/' at an end)", ""};
        if (level == "." || level == "..") return Error{"\".\" and \"..\" are not mailbox names", ""};
        if (++levels > kMaxMailboxLevels) return Error{"too many levels in a mailbox name", ""};
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return {};
}

bool match_list_pattern(std::string_view name, std::string_view pattern) {
    // Dynamic programming over (pattern prefix, name prefix): O(|p|·|n|),
    // no backtracking blow-up on hostile patterns.
    std::vector<char> prev(name.size() + 1, 0), cur(name.size() + 1, 0);
    prev[0] = 1;
    for (char pc : pattern) {
        std::fill(cur.begin(), cur.end(), 0);
        if (pc == '*' || pc == '%') {
            cur[0] = prev[0];
            for (std::size_t j = 1; j <= name.size(); ++j)
                cur[j] = prev[j] || (cur[j - 1] && (pc == '*' || name[j - 1] != kDelimiter));
        } else {
            for (std::size_t j = 1; j <= name.size(); ++j) cur[j] = prev[j - 1] && name[j - 1] == pc;
        }
        prev.swap(cur);
    }
    return prev[name.size()] != 0;
}

}  // namespace postino::imap
