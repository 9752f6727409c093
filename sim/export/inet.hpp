// inet.hpp — synthetic Ethernet/IPv4/TCP/UDP frames, built octet by octet
// for the pcap exporter.
//
// Implements:
//   - the Internet checksum of RFC 1071 (one's-complement sum of 16-bit
//     big-endian words, an odd last octet padded with zero);
//   - the IPv4 header of RFC 791 §3.1 (20 octets, no options) and its header
//     checksum;
//   - the TCP header of RFC 9293 §3.1 (20 octets, no options) and the UDP
//     header of RFC 768, each with its checksum over the IPv4 pseudo-header
//     (RFC 9293 §3.1 "Checksum", RFC 768 "Fields");
//   - the Ethernet II framing of RFC 894 (destination, source, EtherType
//     0x0800), without the frame check sequence, as libpcap captures it.
//
// All multi-octet header fields are in network byte order (big-endian).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::exporter::inet {

using Mac = std::array<std::uint8_t, 6>;

inline constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;  // RFC 894
inline constexpr std::uint8_t kProtoTcp = 6;             // IANA protocol numbers
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::size_t kEthernetHeaderOctets = 14;  // 6 + 6 + 2
inline constexpr std::size_t kIpv4HeaderOctets = 20;      // RFC 791 §3.1, IHL = 5
inline constexpr std::size_t kTcpHeaderOctets = 20;       // RFC 9293 §3.1, Data Offset = 5
inline constexpr std::size_t kUdpHeaderOctets = 8;        // RFC 768
inline constexpr std::size_t kMaxIpv4TotalLength = 65535; // RFC 791 §3.1: 16-bit Total Length
inline constexpr std::uint8_t kDefaultTtl = 64;

// TCP control bits (RFC 9293 §3.1; CWR and ECE from RFC 3168 §23.2).
namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;
inline constexpr std::uint8_t kUrg = 0x20;
inline constexpr std::uint8_t kEce = 0x40;
inline constexpr std::uint8_t kCwr = 0x80;
}  // namespace tcp_flag

// RFC 1071: the 32-bit running one's-complement sum of `bytes` read as
// big-endian 16-bit words, added to `acc`. Not folded, not complemented.
std::uint32_t ones_sum(std::string_view bytes, std::uint32_t acc = 0);
// Folds the carries of a running sum into 16 bits and complements it.
std::uint16_t fold_complement(std::uint32_t sum);
// The Internet checksum of `bytes`: fold_complement(ones_sum(bytes)).
std::uint16_t internet_checksum(std::string_view bytes);

// The link and network part shared by every frame.
struct Endpoints {
    Mac src_mac{};
    Mac dst_mac{};
    std::uint32_t src_ip = 0;
    std::uint32_t dst_ip = 0;
    std::uint16_t ip_id = 0;  // IPv4 Identification
};

struct TcpFields {
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
};

// A frame as captured: `bytes` holds what is known; `original_length` is the
// length on the wire. They differ when a payload could not be reconstructed
// in full: the headers then declare the full length, the transport checksum
// is 0 (it cannot be computed over unknown octets) and libpcap's
// incl_len < orig_len says the capture is partial.
struct Frame {
    std::string bytes;
    std::size_t original_length = 0;
};

// A TCP segment carrying `payload`, declared `declared_len` octets long
// (>= payload.size()). The caller keeps headers + declared_len within
// kMaxIpv4TotalLength.
Frame tcp_frame(const Endpoints& ends, const TcpFields& tcp, std::string_view payload, std::size_t declared_len);

// A UDP datagram, same conventions as tcp_frame. A computed checksum of 0 is
// sent as 0xFFFF (RFC 768: zero means "no checksum").
Frame udp_frame(const Endpoints& ends, std::uint16_t sport, std::uint16_t dport, std::string_view payload,
                std::size_t declared_len);

// Dotted-quad text of an IPv4 address held as a host-order integer.
std::string ipv4_text(std::uint32_t ip);

}  // namespace postino::exporter::inet
