// packet.cpp — printing TCP flags.
#include "net/packet.hpp"

#include <array>

namespace postino::net {

std::string flags_text(std::uint8_t flags) {
    std::string out;
    auto add = [&](std::uint8_t bit, const char* name) {
        if ((flags & bit) != 0) {
            if (!out.empty()) out += ',';
            out += name;
        }
    };
    add(tcp_flag::kSyn, "SYN");
    add(tcp_flag::kFin, "FIN");
    add(tcp_flag::kRst, "RST");
    add(tcp_flag::kPsh, "PSH");
    add(tcp_flag::kAck, "ACK");
    return out;
}

std::string_view flags_view(std::uint8_t flags) {
    static const std::array<std::string, 256> kTexts = [] {
        std::array<std::string, 256> t;
        for (std::size_t f = 0; f < t.size(); ++f) t[f] = flags_text(static_cast<std::uint8_t>(f));
        return t;
    }();
    return kTexts[flags];
}

}  // namespace postino::net
