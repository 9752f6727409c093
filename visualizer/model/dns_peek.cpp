// dns_peek.cpp — DNS header and question decoding for labels (RFC 1035 §4.1).
#include "model/dns_peek.hpp"

namespace postino::viz {
namespace {

unsigned u16(std::string_view m, std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(m[at])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(m[at + 1]));
}

std::string type_name(unsigned t) {
    switch (t) {
        case 1: return "A";
        case 2: return "NS";
        case 5: return "CNAME";
        case 6: return "SOA";
        case 12: return "PTR";
        case 15: return "MX";
        case 16: return "TXT";
        case 28: return "AAAA";
        default: return "TYPE" + std::to_string(t);
    }
}

std::string rcode_name(unsigned r) {
    switch (r) {
        case 1: return "FORMERR";
        case 2: return "SERVFAIL";
        case 3: return "NXDOMAIN";
        case 4: return "NOTIMP";
        case 5: return "REFUSED";
        default: return "RCODE " + std::to_string(r);
    }
}

}  // namespace

std::optional<DnsPeek> peek_dns(std::string_view m) {
    constexpr std::size_t kHeader = 12;  // RFC 1035 §4.1.1
    if (m.size() < kHeader) return std::nullopt;
    DnsPeek d;
    d.id = u16(m, 0);
    const unsigned flags = u16(m, 2);
    d.response = (flags & 0x8000u) != 0;
    d.rcode = flags & 0xFu;
    if (u16(m, 4) < 1) return std::nullopt;
    d.answers = u16(m, 6);
    std::size_t at = kHeader;
    // QNAME: length-prefixed labels ending in a zero octet (no compression in a question).
    for (int labels = 0;; ++labels) {
        if (at >= m.size() || labels > 127) return std::nullopt;
        const auto len = static_cast<unsigned char>(m[at++]);
        if (len == 0) break;
        if (len > 63 || at + len > m.size()) return std::nullopt;
        if (!d.qname.empty()) d.qname.push_back('.');
        d.qname.append(m.substr(at, len));
        at += len;
    }
    if (at + 4 > m.size()) return std::nullopt;
    d.qtype = type_name(u16(m, at));
    return d;
}

std::string dns_label(const DnsPeek& d) {
    std::string s = std::string(d.response ? "DNS reply " : "DNS query ") + d.qtype + " " +
                    (d.qname.empty() ? "." : d.qname);
    if (d.response) {
        if (d.rcode != 0) {
            s += ": " + rcode_name(d.rcode);
        } else {
            s += ": " + std::to_string(d.answers) + (d.answers == 1 ? " answer" : " answers");
        }
    }
    return s;
}

}  // namespace postino::viz
