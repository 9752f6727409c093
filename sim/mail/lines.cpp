// lines.cpp — word-at-a-time line checks (see lines.hpp).
#include "mail/lines.hpp"

#include <cstdint>
#include <cstring>

#include "mail/error.hpp"

namespace postino::mail {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighs = 0x8080808080808080ULL;

constexpr bool has_zero_byte(std::uint64_t x) { return ((x - kOnes) & ~x & kHighs) != 0; }

// Offset of the first CR or NUL in p[0, n), or n; ORs the high bits seen into eight.
std::size_t find_cr_or_nul(const char* p, std::size_t n, std::uint64_t& eight) {
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        std::uint64_t x;
        std::memcpy(&x, p + i, 8);
        eight |= x;
        if (has_zero_byte(x) || has_zero_byte(x ^ (kOnes * 0x0D))) break;
    }
    for (; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        eight |= c;
        if (c == '\r' || c == 0) return i;
    }
    return n;
}

}  // namespace

bool has_8bit(std::string_view data) {
    std::uint64_t acc = 0;
    std::size_t i = 0;
    for (; i + 8 <= data.size(); i += 8) {
        std::uint64_t x;
        std::memcpy(&x, data.data() + i, 8);
        acc |= x;
    }
    for (; i < data.size(); ++i) acc |= static_cast<unsigned char>(data[i]);
    return (acc & 0x80) != 0 || (acc & kHighs) != 0;
}

Status check_lines(std::string_view data, std::size_t base, LineDomain domain, Leniencies allow, LineStats& st) {
    const char* p = data.data();
    const std::size_t n = data.size();
    if (domain == LineDomain::binary) {
        for (std::size_t i = 0; i < n;) {
            const void* nl = std::memchr(p + i, '\n', n - i);
            ++st.lines;
            if (nl == nullptr) break;
            i = static_cast<std::size_t>(static_cast<const char*>(nl) - p) + 1;
        }
        st.has_8bit = st.has_8bit || has_8bit(data);
        return {};
    }
    std::uint64_t eight = 0;
    for (std::size_t i = 0; i < n;) {
        const void* nl = std::memchr(p + i, '\n', n - i);
        const std::size_t e = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - p) : n;
        std::size_t content_end = e;
        if (nl) {
            if (e > i && p[e - 1] == '\r') {
                content_end = e - 1;
            } else {
                if (!allow.has(Leniency::bare_lf))
                    return make_error(Errc::bare_lf, base + e, "LF without CR before it (RFC 5322 §2.3)");
                st.used.add(Leniency::bare_lf);
            }
        }
        ++st.lines;
        const std::size_t len = content_end - i;
        if (len > st.longest) st.longest = len;
        if (len > kMaxLineOctets) {
            if (!allow.has(Leniency::long_lines))
                return make_error(Errc::line_too_long, base + i + kMaxLineOctets,
                                  "line longer than 998 octets (RFC 5322 §2.1.1)");
            st.used.add(Leniency::long_lines);
        }
        const std::size_t bad = find_cr_or_nul(p + i, len, eight);
        if (bad != len) {
            if (p[i + bad] == '\r')
                return make_error(Errc::bare_cr, base + i + bad, "CR not followed by LF (RFC 5322 §2.3)");
            return make_error(Errc::nul_octet, base + i + bad, "NUL octet (RFC 5322 §2.3, RFC 2045 §2.7)");
        }
        i = nl ? e + 1 : n;
    }
    const bool any8 = (eight & kHighs) != 0;
    if (any8) {
        st.has_8bit = true;
        if (domain == LineDomain::seven_bit) {
            if (!allow.has(Leniency::eight_bit_in_7bit)) {
                std::size_t at = 0;
                while (at < n && static_cast<unsigned char>(p[at]) < 0x80) ++at;
                return make_error(Errc::eight_bit_octet, base + at,
                                  "8-bit octet in 7bit data (RFC 2045 §2.7)");
            }
            st.used.add(Leniency::eight_bit_in_7bit);
        }
    }
    return {};
}

}  // namespace postino::mail
