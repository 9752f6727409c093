// feed.hpp — test helper: split a byte fixture three ways (DESIGN.md §4):
// whole, one byte at a time, and at split points drawn from a seeded RNG.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"

namespace postino::mail::test {

inline std::vector<std::vector<std::string_view>> three_ways(std::string_view data, std::uint64_t seed = 7) {
    std::vector<std::vector<std::string_view>> ways;
    ways.push_back({data});
    std::vector<std::string_view> bytes;
    for (std::size_t i = 0; i < data.size(); ++i) bytes.push_back(data.substr(i, 1));
    ways.push_back(bytes);
    Rng rng = Rng::stream(seed, "feed-splits");
    for (int round = 0; round < 3; ++round) {
        std::vector<std::string_view> pieces;
        std::size_t i = 0;
        while (i < data.size()) {
            const auto n = static_cast<std::size_t>(rng.uniform_int(1, 17));
            pieces.push_back(data.substr(i, n));
            i += std::min(n, data.size() - i);
        }
        ways.push_back(pieces);
    }
    return ways;
}

inline std::string random_bytes(Rng& rng, std::size_t n) {
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng.uniform_int(0, 255));
    return s;
}

}  // namespace postino::mail::test
