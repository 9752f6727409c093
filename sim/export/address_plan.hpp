// address_plan.hpp — synthetic IPv4 and MAC addresses for the hosts of a
// trace, and the initial sequence numbers of its TCP connections.
//
// The trace names hosts but does not carry their addresses, so the pcap
// exporter derives them, deterministically, from the trace alone (the rules
// are documented in docs/exporters.md):
//   1. a host whose name is a dotted quad (the network names an address no
//      host owns that way) gets that address;
//   2. a host whose name a DNS answer in the trace resolves (kind "dns",
//      ev "answer", type "A") gets the first address of that answer, so the
//      capture agrees with the DNS replies inside it;
//   3. a host a TCP connection is opened to right after an A lookup by the
//      same host at the same instant (the MX-less fallback of RFC 5321 §5.1:
//      "c.example" resolves to the address of "server.c.example") gets the
//      first still-free address of that answer;
//   4. every other host, in order of first appearance, gets the next free
//      address of the documentation ranges of RFC 5737: 192.0.2.1–254, then
//      198.51.100.1–254, then 203.0.113.1–254. Every address a DNS answer
//      mentions is reserved: a pool address never collides with one.
// MAC addresses are locally administered unicast (IEEE 802: first octet
// 0x02): 02:00 followed by the four octets of the IPv4 address.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"
#include "export/inet.hpp"

namespace postino::exporter {

struct HostAddress {
    std::string host;
    std::uint32_t ip = 0;
    inet::Mac mac{};
    std::string rule;  // "name", "dns", "dns-connect" or "pool": which rule gave the address

    [[nodiscard]] std::string ip_text() const { return inet::ipv4_text(ip); }
    [[nodiscard]] std::string mac_text() const;
};

// The pool of rule 4 holds 3 × 254 addresses.
inline constexpr std::size_t kAddressPoolSize = std::size_t{3} * 254;

class AddressPlan {
public:
    // Fails only when the trace names more hosts than the pool can hold.
    static Result<AddressPlan> from_trace(const std::vector<trace::Event>& events);

    [[nodiscard]] const HostAddress* find(std::string_view host) const;
    // In order of first appearance in the trace.
    [[nodiscard]] const std::vector<HostAddress>& hosts() const { return hosts_; }

private:
    std::vector<HostAddress> hosts_;
    std::map<std::string, std::size_t, std::less<>> index_;
};

// The absolute initial sequence number of the direction of connection `conn`
// sent by `sender`: the upper 32 bits of the 64-bit FNV-1a hash of the text
// "<conn>/<sender>" (e.g. "3/mx.a.example"). Relative sequence number r is
// sent as (isn + r) mod 2^32 — r = 0 is the SYN (RFC 9293 §3.4).
std::uint32_t initial_sequence_number(std::uint64_t conn, std::string_view sender);

// "192.0.2.7" → 0xC0000207; nullopt unless exactly four decimal octets.
std::optional<std::uint32_t> parse_ipv4(std::string_view text);

}  // namespace postino::exporter
