// packet.hpp — what travels over simulated links: TCP segments and UDP
// datagrams between two hosts.
//
// Sequence numbers are 64-bit and start at 0 for each direction of each
// connection ("relative sequence numbers", as Wireshark shows them); the
// pcap exporter adds a per-connection offset when it writes real headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "net/ip.hpp"

namespace postino::net {

enum class Transport : std::uint8_t { Tcp, Udp };

// TCP header flags (RFC 9293 §3.1).
namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
}  // namespace tcp_flag

// Header sizes used for serialization delay: IPv4 (20) + TCP (20) or UDP (8).
inline constexpr std::size_t kTcpIpHeaderOctets = 40;
inline constexpr std::size_t kUdpIpHeaderOctets = 28;

struct Packet {
    std::uint64_t id = 0;    // unique per run, pairs send/recv/lost in the trace
    std::uint64_t conn = 0;  // TCP: the connection id shared by both ends
    Transport transport = Transport::Tcp;
    Ip4 src, dst;
    std::uint16_t sport = 0, dport = 0;
    std::uint8_t flags = 0;
    std::uint64_t seq = 0, ack = 0;
    std::string payload;
    bool retransmit = false;  // for the trace: this TCP segment repeats earlier data

    [[nodiscard]] std::size_t wire_octets() const {
        return payload.size() + (transport == Transport::Tcp ? kTcpIpHeaderOctets : kUdpIpHeaderOctets);
    }
};

// "SYN", "SYN,ACK", "PSH,ACK", "FIN,ACK", "RST" …
std::string flags_text(std::uint8_t flags);
// The same text from a table built once (what every traced segment uses).
std::string_view flags_view(std::uint8_t flags);

}  // namespace postino::net
