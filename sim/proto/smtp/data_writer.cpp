// data_writer.cpp — CRLF normalization and dot-stuffing of outgoing mail data
// (RFC 5321 §2.3.8, §4.5.2, §4.1.1.4; RFC 1870 §4).
#include "proto/smtp/data_writer.hpp"

#include "proto/smtp/limits.hpp"

namespace postino::smtp {

PreparedData prepare_data(std::string_view message) {
    PreparedData d;
    d.wire.reserve(message.size() + message.size() / 64 + 8);
    std::size_t line_len = 0;  // octets of the current line, line end excluded
    bool at_line_start = true;
    auto end_line = [&] {
        d.wire += "\r\n";
        d.size += 2;
        if (line_len + 2 > kMaxTextLineOctets) d.long_line = true;
        line_len = 0;
        at_line_start = true;
    };
    for (std::size_t i = 0; i < message.size(); ++i) {
        const char c = message[i];
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < message.size() && message[i + 1] == '\n') {
                ++i;
            } else {
                d.normalized = true;
            }
            end_line();
            continue;
        }
        if (at_line_start && c == '.') d.wire.push_back('.');  // §4.5.2 transparency
        at_line_start = false;
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x80) d.eight_bit = true;
        if (u == 0) d.nul = true;
        d.wire.push_back(c);
        ++d.size;
        ++line_len;
    }
    if (!at_line_start) {
        d.normalized = true;
        end_line();
    }
    d.wire += ".\r\n";
    return d;
}

}  // namespace postino::smtp
