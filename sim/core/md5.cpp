// md5.cpp — MD5 per RFC 1321 §3: the message is padded to 448 mod 512 bits,
// its 64-bit length appended (little-endian), and each 512-bit block mixed
// into the four 32-bit state words by four rounds (F, G, H, I) of sixteen
// steps, each with the sine-derived constant T[i] and a fixed rotation.
#include "core/md5.hpp"

#include <algorithm>

namespace postino {
namespace {

// T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 §3.4), as literal values so the
// result never depends on the platform's sin().
constexpr std::array<std::uint32_t, 64> kT{
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// Per-round rotation amounts (RFC 1321 §3.4), four per round.
constexpr std::array<int, 16> kShift{7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21};

constexpr std::uint32_t rotl(std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }

}  // namespace

Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}  // §3.3 word buffer A, B, C, D

void Md5::block(const std::uint8_t* p) {
    std::array<std::uint32_t, 16> x{};
    for (std::size_t i = 0; i < 16; ++i) {
        x[i] = static_cast<std::uint32_t>(p[4 * i]) | (static_cast<std::uint32_t>(p[4 * i + 1]) << 8) |
               (static_cast<std::uint32_t>(p[4 * i + 2]) << 16) | (static_cast<std::uint32_t>(p[4 * i + 3]) << 24);
    }
    std::uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
    for (std::size_t i = 0; i < 64; ++i) {
        std::uint32_t f = 0;
        std::size_t k = 0;
        const std::size_t round = i / 16;
        if (round == 0) {
            f = (b & c) | (~b & d);  // F
            k = i;
        } else if (round == 1) {
            f = (b & d) | (c & ~d);  // G
            k = (5 * i + 1) % 16;
        } else if (round == 2) {
            f = b ^ c ^ d;  // H
            k = (3 * i + 5) % 16;
        } else {
            f = c ^ (b | ~d);  // I
            k = (7 * i) % 16;
        }
        const std::uint32_t next = b + rotl(a + f + kT[i] + x[k], kShift[round * 4 + i % 4]);
        a = d;
        d = c;
        c = b;
        b = next;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
}

void Md5::update(std::string_view data) {
    length_ += data.size();
    const auto* p = reinterpret_cast<const std::uint8_t*>(data.data());
    std::size_t n = data.size();
    while (n > 0) {
        const std::size_t take = std::min(n, buf_.size() - buffered_);
        std::copy(p, p + take, buf_.begin() + static_cast<std::ptrdiff_t>(buffered_));
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ == buf_.size()) {
            block(buf_.data());
            buffered_ = 0;
        }
    }
}

Md5::Digest Md5::finish() {
    const std::uint64_t bits = length_ * 8;
    // §3.1: a single 1 bit, then zeros to 448 mod 512; §3.2: the 64-bit length.
    std::string pad(1, '\x80');
    const std::size_t used = (buffered_ + 1) % 64;
    pad.append(used <= 56 ? 56 - used : 120 - used, '\0');
    for (int i = 0; i < 8; ++i) pad.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
    update(pad);
    Digest out{};
    for (std::size_t i = 0; i < 4; ++i) {
        for (std::size_t j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>((state_[i] >> (8 * j)) & 0xff);
    }
    return out;
}

std::string Md5::to_hex(const Digest& d) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string s;
    s.reserve(32);
    for (std::uint8_t b : d) {
        s.push_back(kHex[b >> 4]);
        s.push_back(kHex[b & 15]);
    }
    return s;
}

std::string Md5::hex(std::string_view data) {
    Md5 m;
    m.update(data);
    return to_hex(m.finish());
}

}  // namespace postino
