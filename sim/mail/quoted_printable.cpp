// quoted_printable.cpp — quoted-printable encoder and decoder (RFC 2045 §6.7).
#include "mail/quoted_printable.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "mail/chars.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

// Octets that may stand for themselves in an encoded line (rule 2, plus the
// whitespace of rule 3, which the encoder checks separately at line ends).
constexpr std::array<bool, 256> make_literal() {
    std::array<bool, 256> t{};
    for (int c = 33; c <= 126; ++c) t[static_cast<std::size_t>(c)] = c != '=';
    t[' '] = true;
    t['\t'] = true;
    return t;
}
constexpr auto kLiteral = make_literal();

// Printable octets other than '=' and whitespace: literal anywhere on a line.
constexpr std::array<bool, 256> make_safe() {
    std::array<bool, 256> t{};
    for (int c = 33; c <= 126; ++c) t[static_cast<std::size_t>(c)] = c != '=';
    return t;
}
constexpr auto kSafe = make_safe();

}  // namespace

void qp_encode_to(std::string_view data, QpMode mode, std::string& out) {
    const std::size_t n = data.size();
    // One allocation of a tight upper bound: every unsafe octet grows by two,
    // and a soft break (3 octets) comes at most every 72 output octets.
    // (Sizing for the worst case, 3x, costs more in page faults than the
    // encoding itself on large bodies.)
    std::size_t unsafe = 0;
    for (char ch : data) unsafe += kSafe[static_cast<unsigned char>(ch)] ? 0 : 1;
    const std::size_t grown = n + 2 * unsafe;
    constexpr std::size_t kBlock = 4096;
    constexpr std::size_t kBlockRoom = 3 * kBlock + 3 * (kBlock / 25 + 2) + 8;
    std::size_t used = out.size();
    std::size_t col = 0;
    const bool text = mode == QpMode::text;
    out.resize(used + grown + 3 * (grown / 72 + 2) + 8);
    std::size_t i = 0;
    while (i < n) {
        if (out.size() - used < kBlockRoom) out.resize(std::max(out.size() + out.size() / 2, used + kBlockRoom));
        char* o = out.data() + used;
        const std::size_t block_end = std::min(n, i + kBlock);
        while (i < block_end) {
            // Fast path: printable octets that fit on the line whatever follows.
            while (i < block_end && col < kQpLineChars - 1 && kSafe[static_cast<unsigned char>(data[i])]) {
                *o++ = data[i++];
                ++col;
            }
            if (i >= block_end) break;
            const auto c = static_cast<unsigned char>(data[i]);
            if (text && c == '\r' && i + 1 < n && data[i + 1] == '\n') {
                *o++ = '\r';
                *o++ = '\n';
                col = 0;
                i += 2;
                continue;
            }
            const bool at_line_end = i + 1 == n || (text && i + 2 < n && data[i + 1] == '\r' && data[i + 2] == '\n');
            const bool ws = c == ' ' || c == '\t';
            const bool literal = kLiteral[c] && !(ws && at_line_end);
            const std::size_t len = literal ? 1 : 3;
            // A line that goes on needs room for its '=' soft break (rule 5).
            if (col + len > (at_line_end ? kQpLineChars : kQpLineChars - 1)) {
                *o++ = '=';
                *o++ = '\r';
                *o++ = '\n';
                col = 0;
            }
            if (literal) {
                *o++ = static_cast<char>(c);
            } else {
                *o++ = '=';
                *o++ = chars::kHexUpper[c >> 4];
                *o++ = chars::kHexUpper[c & 15];
            }
            col += len;
            ++i;
        }
        used = static_cast<std::size_t>(o - out.data());
    }
    out.resize(used);
}

std::string qp_encode(std::string_view data, QpMode mode) {
    std::string out;
    qp_encode_to(data, mode, out);
    return out;
}

QpDecoder::QpDecoder(Leniencies allow) : allow_(allow) {}

// One encoded line without its line break; `at` is its offset.
Status QpDecoder::line(std::string_view text, bool terminated, std::size_t at, std::string& out) {
    if (text.size() > kQpLineChars) {
        if (!allow_.has(Leniency::qp_long_lines))
            return make_error(Errc::qp_line_too_long, at + kQpLineChars,
                              "quoted-printable line longer than 76 characters (RFC 2045 §6.7 rule 5)");
        report_.used.add(Leniency::qp_long_lines);
    }
    std::size_t end = text.size();
    while (end > 0 && chars::is_wsp(text[end - 1])) --end;
    if (end != text.size()) ++report_.trailing_ws_removed;
    bool soft = false;
    if (end > 0 && text[end - 1] == '=') {
        soft = true;
        --end;
    }
    const std::size_t old = out.size();
    out.resize(old + end);
    char* o = out.data() + old;
    const char* s = text.data();
    std::size_t i = 0;
    while (i < end) {
        std::size_t j = i;
        while (j < end && kLiteral[static_cast<unsigned char>(s[j])]) ++j;
        std::memcpy(o, s + i, j - i);
        o += j - i;
        i = j;
        if (i >= end) break;
        const char c = s[i];
        if (c == '=') {
            const int hi = i + 1 < end ? chars::hex_value(s[i + 1]) : -1;
            const int lo = i + 2 < end ? chars::hex_value(s[i + 2]) : -1;
            if (hi >= 0 && lo >= 0) {
                if ((s[i + 1] >= 'a' || s[i + 2] >= 'a')) {
                    if (!allow_.has(Leniency::qp_lowercase_hex)) {
                        out.resize(old);
                        return make_error(Errc::qp_lowercase_hex, at + i,
                                          "lower-case hex in '=XX' (RFC 2045 §6.7 rule 1)");
                    }
                    report_.used.add(Leniency::qp_lowercase_hex);
                }
                *o++ = static_cast<char>(hi * 16 + lo);
                i += 3;
                continue;
            }
            if (!allow_.has(Leniency::qp_bad_escape)) {
                out.resize(old);
                return make_error(Errc::qp_bad_escape, at + i,
                                  "'=' followed by neither two hex digits nor a line break (RFC 2045 §6.7)");
            }
            report_.used.add(Leniency::qp_bad_escape);
            *o++ = '=';
            ++i;
            continue;
        }
        if (!allow_.has(Leniency::qp_raw_octets)) {
            out.resize(old);
            return make_error(Errc::qp_unencoded_octet, at + i,
                              "control or 8-bit octet left unencoded (RFC 2045 §6.7 rule 2)");
        }
        report_.used.add(Leniency::qp_raw_octets);
        *o++ = c;
        ++i;
    }
    out.resize(static_cast<std::size_t>(o - out.data()));
    if (terminated && !soft) out += "\r\n";
    return {};
}

Status QpDecoder::feed(std::string_view chunk, std::string& out) {
    if (!failed_.ok()) return failed_;
    std::size_t i = 0;
    auto run = [&](std::string_view text, std::size_t at, bool terminated) -> bool {
        // text excludes the LF; a CR before it is the CRLF's.
        bool crlf = !text.empty() && text.back() == '\r';
        if (terminated && !crlf) {
            if (!allow_.has(Leniency::bare_lf)) {
                failed_ = make_error(Errc::bare_lf, at + text.size(), "line ends in LF without CR (RFC 5322 §2.3)");
                return false;
            }
            report_.used.add(Leniency::bare_lf);
        }
        if (crlf) text.remove_suffix(1);
        Status s = line(text, terminated, at, out);
        if (!s.ok()) failed_ = s;
        return s.ok();
    };
    while (i < chunk.size()) {
        const void* nl = std::memchr(chunk.data() + i, '\n', chunk.size() - i);
        if (nl == nullptr) {
            if (pending_.empty()) pending_at_ = offset_ + i;
            pending_.append(chunk.substr(i));
            break;
        }
        const std::size_t e = static_cast<std::size_t>(static_cast<const char*>(nl) - chunk.data());
        bool ok;
        if (!pending_.empty()) {
            pending_.append(chunk.substr(i, e - i));
            ok = run(pending_, pending_at_, true);
            pending_.clear();
        } else {
            ok = run(chunk.substr(i, e - i), offset_ + i, true);
        }
        if (!ok) return failed_;
        i = e + 1;
    }
    offset_ += chunk.size();
    return {};
}

Status QpDecoder::finish(std::string& out) {
    if (!failed_.ok()) return failed_;
    if (!pending_.empty()) {
        std::string_view text = pending_;
        Status s = line(text, false, pending_at_, out);
        pending_.clear();
        if (!s.ok()) {
            failed_ = s;
            return s;
        }
    }
    return {};
}

Result<QpDecoded> qp_decode(std::string_view text, Leniencies allow) {
    QpDecoder d(allow);
    QpDecoded r;
    r.bytes.reserve(text.size());
    if (Status s = d.feed(text, r.bytes); !s.ok()) return s.error();
    if (Status s = d.finish(r.bytes); !s.ok()) return s.error();
    r.report = d.report();
    return r;
}

}  // namespace postino::mail
