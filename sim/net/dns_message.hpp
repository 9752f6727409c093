// dns_message.hpp — DNS messages in RFC 1035 wire format (§4.1), for the A
// and MX records the mail world needs (RFC 1035 §3.3.9, §3.4.1).
//
// The simulated resolver and server exchange these exact bytes over simulated
// UDP, so the trace (and a pcap export) carries real DNS. The decoder is
// strict and bounded: it follows compression pointers (§4.1.4) only backwards
// and at most kMaxPointerHops times, and reports what is wrong and where.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "net/ip.hpp"

namespace postino::net::dns {

// RFC 1035 §2.3.4: size limits.
inline constexpr std::size_t kMaxLabelOctets = 63;
inline constexpr std::size_t kMaxNameOctets = 255;
inline constexpr std::size_t kMaxUdpMessageOctets = 512;
inline constexpr int kMaxPointerHops = 16;  // a bound of ours against pointer loops

enum class RrType : std::uint16_t { A = 1, MX = 15 };
enum class Rcode : std::uint8_t { NoError = 0, FormErr = 1, ServFail = 2, NxDomain = 3, NotImp = 4, Refused = 5 };
const char* to_string(RrType t);
const char* to_string(Rcode r);

struct Record {
    std::string name;
    RrType type = RrType::A;
    std::uint32_t ttl = 300;
    Ip4 a;                       // type A
    std::uint16_t preference = 0;  // type MX
    std::string exchange;          // type MX
    [[nodiscard]] std::string rdata_text() const;  // "192.0.2.1" or "10 mx.b.example"
};

struct Message {
    std::uint16_t id = 0;
    bool response = false;
    bool recursion_desired = true;
    bool authoritative = false;
    Rcode rcode = Rcode::NoError;
    std::string qname;
    RrType qtype = RrType::A;
    std::vector<Record> answers;
};

std::string encode(const Message& m);
Result<Message> decode(std::string_view wire);

// Lower-cases ASCII and strips one trailing dot: the form names are compared in.
std::string canonical_name(std::string_view name);
// Checks a host name against the label limits; empty string when fine.
std::string check_name(std::string_view name);

}  // namespace postino::net::dns
