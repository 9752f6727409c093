// ip.hpp — IPv4 addresses of simulated hosts.
//
// Simulated hosts get addresses from the documentation ranges of RFC 5737
// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), and in worlds of more
// than 759 hosts from RFC 2544's benchmarking network 198.18.0.0/15, so
// nothing in a trace can be mistaken for a real network.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace postino::net {

// Hosts a Network numbers automatically: 759 in the RFC 5737 ranges, then
// 130,048 in 198.18.0.0/15 (docs/network-model.md).
inline constexpr std::uint32_t kMaxAutomaticHosts = 759 + 130'048;

struct Ip4 {
    std::uint32_t value = 0;
    constexpr auto operator<=>(const Ip4&) const = default;
    [[nodiscard]] std::string str() const;
    static std::optional<Ip4> parse(std::string_view s);
    static constexpr Ip4 of(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
        return Ip4{(std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | d};
    }
};

}  // namespace postino::net
