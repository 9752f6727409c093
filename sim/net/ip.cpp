// ip.cpp — dotted-quad printing and parsing.
#include "net/ip.hpp"

namespace postino::net {

std::string Ip4::str() const {
    return std::to_string(value >> 24) + "." + std::to_string((value >> 16) & 0xff) + "." +
           std::to_string((value >> 8) & 0xff) + "." + std::to_string(value & 0xff);
}

std::optional<Ip4> Ip4::parse(std::string_view s) {
    std::uint32_t out = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        if (i >= s.size() || s[i] < '0' || s[i] > '9') return std::nullopt;
        std::uint32_t octet = 0;
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            octet = octet * 10 + static_cast<std::uint32_t>(s[i] - '0');
            if (octet > 255 || i - start >= 3) return std::nullopt;
            ++i;
        }
        if (i - start > 1 && s[start] == '0') return std::nullopt;  // no leading zeros
        out = (out << 8) | octet;
        ++parts;
        if (parts < 4) {
            if (i >= s.size() || s[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != s.size()) return std::nullopt;
    return Ip4{out};
}

}  // namespace postino::net
