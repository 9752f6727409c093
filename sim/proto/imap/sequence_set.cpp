// sequence_set.cpp — membership and formatting of IMAP sequence sets
// (RFC 3501 §9, §6.4.8). See sequence_set.hpp.
#include "proto/imap/sequence_set.hpp"

#include <algorithm>

namespace postino::imap {

bool SequenceSet::contains(std::uint32_t n, std::uint32_t star) const {
    for (const auto& r : ranges) {
        std::uint32_t a = r.lo == 0 ? star : r.lo;
        std::uint32_t b = r.hi == 0 ? star : r.hi;
        if (a > b) std::swap(a, b);
        if (n >= a && n <= b) return true;
    }
    return false;
}

namespace {
std::string num(std::uint32_t n) { return n == 0 ? std::string("*") : std::to_string(n); }
}  // namespace

std::string format_sequence_set(const SequenceSet& s) {
    std::string out;
    for (const auto& r : s.ranges) {
        if (!out.empty()) out += ',';
        out += num(r.lo);
        if (r.hi != r.lo) out += ':' + num(r.hi);
    }
    return out;
}

std::string format_numbers(const std::vector<std::uint32_t>& sorted) {
    std::string out;
    std::size_t i = 0;
    while (i < sorted.size()) {
        std::size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
        if (!out.empty()) out += ',';
        out += std::to_string(sorted[i]);
        if (j > i) out += ':' + std::to_string(sorted[j]);
        i = j + 1;
    }
    return out;
}

}  // namespace postino::imap
