// feed.hpp — splitting test input three ways (DESIGN.md §4): whole, one
// octet at a time, and at seeded random points (core/rng, no std
// distributions).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"

namespace postino::imap::testing {

enum class Split : std::uint8_t { Whole, ByteByByte, Random };

inline std::vector<std::string> split(std::string_view in, Split how, std::uint64_t seed = 1) {
    std::vector<std::string> out;
    if (how == Split::Whole) {
        out.emplace_back(in);
        return out;
    }
    if (how == Split::ByteByByte) {
        for (char c : in) out.emplace_back(1, c);
        return out;
    }
    Rng rng(seed);
    std::size_t p = 0;
    while (p < in.size()) {
        const auto n = static_cast<std::size_t>(rng.uniform_int(1, 17));
        out.emplace_back(in.substr(p, n));
        p += n;
    }
    return out;
}

}  // namespace postino::imap::testing
