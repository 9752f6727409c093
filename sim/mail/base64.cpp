// base64.cpp — table-driven base64 encoder and decoders (RFC 4648, RFC 2045 §6.8).
#include "mail/base64.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "mail/error.hpp"

namespace postino::mail {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint32_t kBad = 0xFF000000u;

// Sextet value of each character, or -1.
constexpr std::array<std::int16_t, 256> make_values() {
    std::array<std::int16_t, 256> t{};
    for (auto& v : t) v = -1;
    for (std::size_t i = 0; i < kAlphabet.size(); ++i)
        t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int16_t>(i);
    return t;
}
constexpr auto kValues = make_values();

// Table k holds, for character c at position k of a quantum, its sextet
// already moved to where it lands in the three output octets, laid out as a
// little-endian word (octet 0 in bits 0-7). Non-alphabet characters map to
// kBad so one OR over the quantum flags any of them.
constexpr std::array<std::uint32_t, 256> make_decode_table(int k) {
    std::array<std::uint32_t, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) {
        const int v = kValues[c];
        if (v < 0) {
            t[c] = kBad;
            continue;
        }
        const auto u = static_cast<std::uint32_t>(v);
        switch (k) {
            case 0: t[c] = u << 2; break;
            case 1: t[c] = (u >> 4) | ((u & 0x0f) << 12); break;
            case 2: t[c] = ((u >> 2) << 8) | ((u & 0x03) << 22); break;
            default: t[c] = u << 16; break;
        }
    }
    return t;
}
constexpr auto kD0 = make_decode_table(0);
constexpr auto kD1 = make_decode_table(1);
constexpr auto kD2 = make_decode_table(2);
constexpr auto kD3 = make_decode_table(3);

// Two output characters for every 12-bit value.
constexpr std::array<char, 8192> make_encode_pairs() {
    std::array<char, 8192> t{};
    for (std::size_t i = 0; i < 4096; ++i) {
        t[2 * i] = kAlphabet[i >> 6];
        t[2 * i + 1] = kAlphabet[i & 63];
    }
    return t;
}
constexpr auto kPairs = make_encode_pairs();

inline void put3(char* o, std::uint32_t w) {
    if constexpr (std::endian::native == std::endian::little) {
        std::memcpy(o, &w, 4);  // the caller leaves one octet of slack
    } else {
        o[0] = static_cast<char>(w & 0xff);
        o[1] = static_cast<char>((w >> 8) & 0xff);
        o[2] = static_cast<char>((w >> 16) & 0xff);
    }
}

// Decodes whole quanta from p while every character is in the alphabet.
// Returns the number of input characters consumed (a multiple of 4).
inline std::size_t decode_fast(const unsigned char* p, std::size_t n, char*& o) {
    const unsigned char* const start = p;
    const unsigned char* const end = p + (n & ~std::size_t{3});
    while (end - p >= 8) {
        const std::uint32_t a = kD0[p[0]] | kD1[p[1]] | kD2[p[2]] | kD3[p[3]];
        const std::uint32_t b = kD0[p[4]] | kD1[p[5]] | kD2[p[6]] | kD3[p[7]];
        if ((a | b) & kBad) break;
        put3(o, a);
        put3(o + 3, b);
        o += 6;
        p += 8;
    }
    while (p != end) {
        const std::uint32_t a = kD0[p[0]] | kD1[p[1]] | kD2[p[2]] | kD3[p[3]];
        if (a & kBad) break;
        put3(o, a);
        o += 3;
        p += 4;
    }
    return static_cast<std::size_t>(p - start);
}

}  // namespace

std::size_t base64_encoded_size(std::size_t octets, Base64Lines lines) {
    const std::size_t chars = (octets + 2) / 3 * 4;
    if (lines == Base64Lines::none) return chars;
    const std::size_t line_count = (chars + kBase64LineChars - 1) / kBase64LineChars;
    return chars + 2 * line_count;
}

void base64_encode_to(std::string_view data, Base64Lines lines, std::string& out) {
    const std::size_t old = out.size();
    out.resize(old + base64_encoded_size(data.size(), lines));
    char* o = out.data() + old;
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t left = data.size();
    const std::size_t per_line = lines == Base64Lines::mime ? kBase64LineOctets : left;
    while (left > 0) {
        std::size_t chunk = left < per_line ? left : per_line;
        const std::size_t whole = chunk / 3 * 3;
        for (std::size_t i = 0; i < whole; i += 3) {
            const std::uint32_t x = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
            std::memcpy(o, &kPairs[std::size_t{2} * (x >> 12)], 2);
            std::memcpy(o + 2, &kPairs[std::size_t{2} * (x & 0xfff)], 2);
            o += 4;
        }
        const std::size_t rest = chunk - whole;
        if (rest > 0) {
            const std::uint32_t b0 = p[whole];
            const std::uint32_t b1 = rest > 1 ? p[whole + 1] : 0;
            o[0] = kAlphabet[b0 >> 2];
            o[1] = kAlphabet[((b0 & 3) << 4) | (b1 >> 4)];
            o[2] = rest > 1 ? kAlphabet[(b1 & 15) << 2] : '=';
            o[3] = '=';
            o += 4;
        }
        if (lines == Base64Lines::mime) {
            *o++ = '\r';
            *o++ = '\n';
        }
        p += chunk;
        left -= chunk;
    }
}

std::string base64_encode(std::string_view data, Base64Lines lines) {
    std::string out;
    base64_encode_to(data, lines, out);
    return out;
}

Result<std::string> base64_decode_strict(std::string_view text, bool allow_nonzero_pad_bits) {
    if (text.size() % 4 != 0)
        return make_error(Errc::base64_truncated, text.size(), "length is not a multiple of 4 (RFC 4648 §3.3)");
    std::string out;
    out.resize(text.size() / 4 * 3 + 1);
    char* o = out.data();
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t done = text.size() < 4 ? 0 : decode_fast(p, text.size() - 4, o);
    for (std::size_t i = done; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        int v[4];
        int pads = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = text[i + static_cast<std::size_t>(k)];
            if (c == '=' && last && k >= 2) {
                ++pads;
                v[k] = 0;
                continue;
            }
            if (pads > 0 || (c == '=' && !last))
                return make_error(c == '=' ? Errc::base64_bad_padding : Errc::base64_data_after_padding,
                                  i + static_cast<std::size_t>(k), "'=' may only end the data (RFC 4648 §3.3)");
            v[k] = kValues[static_cast<unsigned char>(c)];
            if (v[k] < 0)
                return make_error(c == '=' ? Errc::base64_bad_padding : Errc::base64_invalid_char,
                                  i + static_cast<std::size_t>(k), "character outside the base64 alphabet (RFC 4648 §3.3)");
        }
        const std::uint32_t x = (static_cast<std::uint32_t>(v[0]) << 18) | (static_cast<std::uint32_t>(v[1]) << 12) |
                                (static_cast<std::uint32_t>(v[2]) << 6) | static_cast<std::uint32_t>(v[3]);
        if (!allow_nonzero_pad_bits && ((pads == 1 && (x & 0xff)) || (pads == 2 && (x & 0xffff))))
            return make_error(Errc::base64_bad_padding, i + 3 - static_cast<std::size_t>(pads),
                              "non-zero bits before the padding (RFC 4648 §3.5)");
        *o++ = static_cast<char>(x >> 16);
        if (pads < 2) *o++ = static_cast<char>((x >> 8) & 0xff);
        if (pads < 1) *o++ = static_cast<char>(x & 0xff);
    }
    out.resize(static_cast<std::size_t>(o - out.data()));
    return out;
}

Base64Decoder::Base64Decoder(Leniencies allow) : allow_(allow) {}

Status Base64Decoder::fail(Status s) {
    failed_ = s;
    return s;
}

// One character outside the fast path: line breaks, whitespace, padding,
// garbage, or a data character while a quantum is partly filled.
Status Base64Decoder::slow_char(char c, std::size_t at, char*& o) {
    if (c == '\n') {
        if (line_len_ > kBase64LineChars) ++report_.long_lines;
        line_len_ = 0;
        return {};
    }
    if (c == '\r') return {};
    ++line_len_;
    if (c == ' ' || c == '\t') return {};
    const int v = kValues[static_cast<unsigned char>(c)];
    if (v < 0 && c != '=') {
        if (!allow_.has(Leniency::base64_ignore_garbage))
            return fail(make_error(Errc::base64_invalid_char, at, "character outside the base64 alphabet (RFC 2045 §6.8)"));
        if (report_.ignored_chars++ == 0) report_.first_ignored_offset = at;
        report_.used.add(Leniency::base64_ignore_garbage);
        return {};
    }
    if (ended_) {
        if (!allow_.has(Leniency::base64_data_after_padding))
            return fail(make_error(Errc::base64_data_after_padding, at, "data after the '=' padding (RFC 2045 §6.8)"));
        report_.used.add(Leniency::base64_data_after_padding);
        return {};
    }
    if (want_second_pad_) {
        if (c != '=')
            return fail(make_error(Errc::base64_bad_padding, at, "a second '=' must follow (RFC 4648 §4)"));
        *o++ = static_cast<char>((bits_ >> 4) & 0xff);
        want_second_pad_ = false;
        ended_ = true;
        fill_ = 0;
        bits_ = 0;
        return {};
    }
    if (c == '=') {
        if (fill_ < 2)
            return fail(make_error(fill_ == 0 ? Errc::base64_bad_padding : Errc::base64_truncated, at,
                                   "'=' where a data character is needed (RFC 4648 §4)"));
        if (fill_ == 3) {
            *o++ = static_cast<char>((bits_ >> 10) & 0xff);
            *o++ = static_cast<char>((bits_ >> 2) & 0xff);
            ended_ = true;
            fill_ = 0;
            bits_ = 0;
        } else {
            want_second_pad_ = true;
        }
        return {};
    }
    bits_ = (bits_ << 6) | static_cast<std::uint32_t>(v);
    if (++fill_ == 4) {
        *o++ = static_cast<char>((bits_ >> 16) & 0xff);
        *o++ = static_cast<char>((bits_ >> 8) & 0xff);
        *o++ = static_cast<char>(bits_ & 0xff);
        fill_ = 0;
        bits_ = 0;
    }
    return {};
}

Status Base64Decoder::feed(std::string_view chunk, std::string& out) {
    if (!failed_.ok()) return failed_;
    const std::size_t old = out.size();
    // At most three octets per four characters, counting the <= 3 held over,
    // plus one octet of slack for put3's four-octet store.
    out.resize(old + chunk.size() / 4 * 3 + 7);
    char* o = out.data() + old;
    const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
    const std::size_t n = chunk.size();
    std::size_t i = 0;
    while (i < n) {
        if (fill_ == 0 && !want_second_pad_ && !ended_) {
            const std::size_t k = decode_fast(p + i, n - i, o);
            line_len_ += k;
            i += k;
            if (i >= n) break;
        }
        Status s = slow_char(chunk[i], offset_ + i, o);
        if (!s.ok()) {
            out.resize(old);
            return s;
        }
        ++i;
    }
    offset_ += n;
    out.resize(static_cast<std::size_t>(o - out.data()));
    return {};
}

Status Base64Decoder::finish(std::string& out) {
    if (!failed_.ok()) return failed_;
    if (line_len_ > kBase64LineChars) ++report_.long_lines;
    line_len_ = 0;
    if (fill_ == 1)
        return fail(make_error(Errc::base64_truncated, offset_, "the data ends with a lone character (RFC 4648 §4)"));
    if (want_second_pad_ || fill_ > 1) {
        if (!allow_.has(Leniency::base64_missing_padding))
            return fail(make_error(Errc::base64_bad_padding, offset_, "the final quantum lacks its '=' padding (RFC 4648 §4)"));
        report_.used.add(Leniency::base64_missing_padding);
        if (fill_ == 3) {
            out.push_back(static_cast<char>((bits_ >> 10) & 0xff));
            out.push_back(static_cast<char>((bits_ >> 2) & 0xff));
        } else {
            out.push_back(static_cast<char>((bits_ >> 4) & 0xff));
        }
        fill_ = 0;
        bits_ = 0;
        want_second_pad_ = false;
    }
    return {};
}

Result<Base64Decoded> base64_decode_mime(std::string_view text, Leniencies allow) {
    Base64Decoder d(allow);
    Base64Decoded r;
    r.bytes.reserve(text.size() / 4 * 3 + 8);
    if (Status s = d.feed(text, r.bytes); !s.ok()) return s.error();
    if (Status s = d.finish(r.bytes); !s.ok()) return s.error();
    r.report = d.report();
    return r;
}

}  // namespace postino::mail
