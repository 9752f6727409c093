// octets.cpp — the block scans of octets.hpp: SSE2 compares on 16 octets at a
// time, with the short tails read as overlapping loads, never past the end.
#include "core/octets.hpp"

#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace postino::octets {
namespace {

template <Find F>
std::size_t bytewise(const unsigned char* s, std::size_t n) {
    std::size_t i = 0;
    while (i < n && !in_class(F, s[i])) ++i;
    return i;
}

#if defined(__SSE2__)
// One bit per octet of `v` (bit k for octet k): set where the octet is in
// class F. Signed compares: an 8-bit octet is negative, so "below 0x20"
// takes 8-bit octets too.
template <Find F>
unsigned block_mask(__m128i v) {
    const __m128i tab = _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'));
    const __m128i del = _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f));
    __m128i m;
    if constexpr (F == Find::Control) {
        const __m128i c0 = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8(static_cast<char>(0xe0))), _mm_setzero_si128());
        m = _mm_or_si128(_mm_andnot_si128(tab, c0), del);
    } else if constexpr (F == Find::NonText) {
        const __m128i low_or_8bit = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
        m = _mm_or_si128(_mm_andnot_si128(tab, low_or_8bit), del);
    } else if constexpr (F == Find::JsonEscape) {
        const __m128i quote = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        m = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), del), quote);
    } else {
        const __m128i crlf = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\n')));
        const __m128i nul_or_8bit = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_setzero_si128()), _mm_cmplt_epi8(v, _mm_setzero_si128()));
        m = _mm_or_si128(crlf, nul_or_8bit);
    }
    return static_cast<unsigned>(_mm_movemask_epi8(m));
}

unsigned lowest_bit(unsigned m) { return static_cast<unsigned>(__builtin_ctz(m)); }

template <Find F>
std::size_t blockwise(const unsigned char* s, std::size_t n) {
    if (n >= 16) {
        std::size_t i = 0;
        for (; i + 16 <= n; i += 16) {
            const unsigned m = block_mask<F>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i)));
            if (m != 0) return i + lowest_bit(m);
        }
        if (i == n) return n;
        // The last 16 octets, overlapping the blocks already read: their top
        // n - i bits are the octets not yet tested.
        const unsigned m = block_mask<F>(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n - 16))) >> (16 - (n - i));
        return m != 0 ? i + lowest_bit(m) : n;
    }
    if (n >= 4) {
        // Two overlapping halves of 4-8 octets each (octets 0.. and ..n-1),
        // in the low and high 8 octets of one block.
        std::uint64_t lo = 0;
        std::uint64_t hi = 0;
        const std::size_t half = n >= 8 ? 8 : 4;
        std::memcpy(&lo, s, half);
        std::memcpy(&hi, s + n - half, half);
        // Unused octets of a 4-octet half are zero; mask them out.
        const unsigned used = half == 8 ? 0xffU : 0x0fU;
        const unsigned m = block_mask<F>(_mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo)));
        const unsigned m_lo = m & used;
        if (m_lo != 0) return lowest_bit(m_lo);
        // A bit k of the high half is octet n - half + k; those below
        // `half` are in the low half, already clean.
        const unsigned m_hi = (m >> 8) & used;
        return m_hi != 0 ? n - half + lowest_bit(m_hi) : n;
    }
    return bytewise<F>(s, n);
}
#endif

template <Find F>
std::size_t scan(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
#if defined(__SSE2__)
    return blockwise<F>(p, s.size());
#else
    return bytewise<F>(p, s.size());
#endif
}

}  // namespace

std::size_t find_first(Find f, std::string_view s) {
    switch (f) {
        case Find::Control: return scan<Find::Control>(s);
        case Find::NonText: return scan<Find::NonText>(s);
        case Find::LineData: return scan<Find::LineData>(s);
        case Find::JsonEscape: return scan<Find::JsonEscape>(s);
    }
    return s.size();
}

std::size_t find_first_bytewise(Find f, std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    switch (f) {
        case Find::Control: return bytewise<Find::Control>(p, s.size());
        case Find::NonText: return bytewise<Find::NonText>(p, s.size());
        case Find::LineData: return bytewise<Find::LineData>(p, s.size());
        case Find::JsonEscape: return bytewise<Find::JsonEscape>(p, s.size());
    }
    return s.size();
}

}  // namespace postino::octets
