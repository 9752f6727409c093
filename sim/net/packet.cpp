// packet.cpp — printing TCP flags.
#include "net/packet.hpp"

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

}  // namespace postino::net
