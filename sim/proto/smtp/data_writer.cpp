// data_writer.cpp — CRLF normalization and dot-stuffing of outgoing mail data
// (RFC 5321 §2.3.8, §4.5.2, §4.1.1.4; RFC 1870 §4).
#include "proto/smtp/data_writer.hpp"

#include "core/octets.hpp"
#include "proto/smtp/limits.hpp"

namespace postino::smtp {

PreparedData prepare_data(std::string_view message) {
    PreparedData d;
    d.wire.reserve(message.size() + message.size() / 64 + 8);
    const char* p = message.data();
    const char* const end = p + message.size();
    // A line at a time: its octets up to CR or LF are copied in one append.
    while (p < end) {
        // Up to the line's CR or LF, noting NUL and 8-bit octets on the way.
        const char* q = p;
        for (;;) {
            q += octets::find_first(octets::Find::LineData, std::string_view(q, static_cast<std::size_t>(end - q)));
            if (q == end || *q == '\r' || *q == '\n') break;
            if (*q == 0) d.nul = true;
            else d.eight_bit = true;
            ++q;
        }
        const auto len = static_cast<std::size_t>(q - p);
        if (len > 0 && *p == '.') d.wire.push_back('.');  // §4.5.2 transparency
        d.wire.append(p, len);
        d.size += len;
        if (q == end) {
            d.normalized = true;  // no line end after the last line: one is added
        } else if (*q == '\r' && q + 1 < end && q[1] == '\n') {
            q += 2;
        } else {
            d.normalized = true;  // a bare CR or LF
            q += 1;
        }
        d.wire += "\r\n";
        d.size += 2;
        if (len + 2 > kMaxTextLineOctets) d.long_line = true;
        p = q;
    }
    d.wire += ".\r\n";
    return d;
}

}  // namespace postino::smtp
