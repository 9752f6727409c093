// dns_peek.hpp — reads just enough of an RFC 1035 message (header and first
// question, §4.1.1–§4.1.2) to label a DNS datagram in the sequence diagram:
// "DNS query A server.example", "DNS reply MX b.example: 2 answers".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace postino::viz {

struct DnsPeek {
    bool response = false;
    unsigned id = 0;
    unsigned rcode = 0;     // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ...
    unsigned answers = 0;
    std::string qname;      // "server.example"
    std::string qtype;      // "A", "MX", "TYPE99"
};

// nullopt when the bytes are not a well-formed header + question.
std::optional<DnsPeek> peek_dns(std::string_view msg);

// "DNS query A server.example" / "DNS reply A server.example: 1 answer" /
// "DNS reply MX x.example: NXDOMAIN".
std::string dns_label(const DnsPeek& d);

}  // namespace postino::viz
