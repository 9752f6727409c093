// inet.cpp — Internet checksum (RFC 1071), IPv4 (RFC 791), TCP (RFC 9293),
// UDP (RFC 768) and Ethernet II (RFC 894) headers. See inet.hpp.
#include "export/inet.hpp"

namespace postino::exporter::inet {
namespace {

void put8(std::string& out, std::uint8_t v) { out.push_back(static_cast<char>(v)); }

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xFF));
}

void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}

void patch16(std::string& out, std::size_t at, std::uint16_t v) {
    out[at] = static_cast<char>(v >> 8);
    out[at + 1] = static_cast<char>(v & 0xFF);
}

void put_mac(std::string& out, const Mac& mac) {
    for (std::uint8_t b : mac) put8(out, b);
}

// RFC 894 Ethernet II header followed by the RFC 791 IPv4 header (no options).
// Returns the offset of the IPv4 header in `out`.
std::size_t put_ethernet_ipv4(std::string& out, const Endpoints& e, std::uint8_t proto, std::size_t ip_total) {
    put_mac(out, e.dst_mac);
    put_mac(out, e.src_mac);
    put16(out, kEtherTypeIpv4);
    const std::size_t ip_at = out.size();
    put8(out, 0x45);  // Version 4, IHL 5 (20 octets)
    put8(out, 0x00);  // DSCP/ECN (RFC 791 "Type of Service")
    put16(out, static_cast<std::uint16_t>(ip_total));
    put16(out, e.ip_id);
    put16(out, 0x4000);  // flags: Don't Fragment; fragment offset 0
    put8(out, kDefaultTtl);
    put8(out, proto);
    put16(out, 0);  // header checksum, patched below
    put32(out, e.src_ip);
    put32(out, e.dst_ip);
    const std::string_view header(out.data() + ip_at, kIpv4HeaderOctets);
    patch16(out, ip_at + 10, internet_checksum(header));
    return ip_at;
}

// The 12-octet IPv4 pseudo-header of RFC 9293 §3.1 / RFC 768, summed.
std::uint32_t pseudo_header_sum(const Endpoints& e, std::uint8_t proto, std::size_t transport_len) {
    std::string ph;
    put32(ph, e.src_ip);
    put32(ph, e.dst_ip);
    put8(ph, 0);
    put8(ph, proto);
    put16(ph, static_cast<std::uint16_t>(transport_len));
    return ones_sum(ph);
}

}  // namespace

std::uint32_t ones_sum(std::string_view bytes, std::uint32_t acc) {
    std::uint64_t sum = acc;
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        sum += (std::uint32_t{static_cast<std::uint8_t>(bytes[i])} << 8) | static_cast<std::uint8_t>(bytes[i + 1]);
    }
    if (i < bytes.size()) sum += std::uint32_t{static_cast<std::uint8_t>(bytes[i])} << 8;
    // Fold into 32 bits now so long inputs cannot overflow the caller's accumulator.
    while ((sum >> 32) != 0) sum = (sum & 0xFFFFFFFFULL) + (sum >> 32);
    return static_cast<std::uint32_t>(sum);
}

std::uint16_t fold_complement(std::uint32_t sum) {
    std::uint64_t s = sum;
    while ((s >> 16) != 0) s = (s & 0xFFFF) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xFFFF);
}

std::uint16_t internet_checksum(std::string_view bytes) { return fold_complement(ones_sum(bytes)); }

Frame tcp_frame(const Endpoints& ends, const TcpFields& tcp, std::string_view payload, std::size_t declared_len) {
    if (declared_len < payload.size()) declared_len = payload.size();
    const std::size_t transport_len = kTcpHeaderOctets + declared_len;
    Frame f;
    f.bytes.reserve(kEthernetHeaderOctets + kIpv4HeaderOctets + kTcpHeaderOctets + payload.size());
    put_ethernet_ipv4(f.bytes, ends, kProtoTcp, kIpv4HeaderOctets + transport_len);
    const std::size_t tcp_at = f.bytes.size();
    put16(f.bytes, tcp.sport);
    put16(f.bytes, tcp.dport);
    put32(f.bytes, tcp.seq);
    put32(f.bytes, tcp.ack);
    put8(f.bytes, static_cast<std::uint8_t>((kTcpHeaderOctets / 4) << 4));  // Data Offset, reserved bits 0
    put8(f.bytes, tcp.flags);
    put16(f.bytes, tcp.window);
    put16(f.bytes, 0);  // checksum, patched below
    put16(f.bytes, 0);  // urgent pointer
    f.bytes.append(payload);
    f.original_length = kEthernetHeaderOctets + kIpv4HeaderOctets + transport_len;
    if (payload.size() == declared_len) {
        const std::string_view segment(f.bytes.data() + tcp_at, transport_len);
        patch16(f.bytes, tcp_at + 16, fold_complement(ones_sum(segment, pseudo_header_sum(ends, kProtoTcp, transport_len))));
    }
    return f;
}

Frame udp_frame(const Endpoints& ends, std::uint16_t sport, std::uint16_t dport, std::string_view payload,
                std::size_t declared_len) {
    if (declared_len < payload.size()) declared_len = payload.size();
    const std::size_t transport_len = kUdpHeaderOctets + declared_len;
    Frame f;
    f.bytes.reserve(kEthernetHeaderOctets + kIpv4HeaderOctets + kUdpHeaderOctets + payload.size());
    put_ethernet_ipv4(f.bytes, ends, kProtoUdp, kIpv4HeaderOctets + transport_len);
    const std::size_t udp_at = f.bytes.size();
    put16(f.bytes, sport);
    put16(f.bytes, dport);
    put16(f.bytes, static_cast<std::uint16_t>(transport_len));
    put16(f.bytes, 0);  // checksum, patched below
    f.bytes.append(payload);
    f.original_length = kEthernetHeaderOctets + kIpv4HeaderOctets + transport_len;
    if (payload.size() == declared_len) {
        const std::string_view datagram(f.bytes.data() + udp_at, transport_len);
        std::uint16_t sum = fold_complement(ones_sum(datagram, pseudo_header_sum(ends, kProtoUdp, transport_len)));
        if (sum == 0) sum = 0xFFFF;  // RFC 768: an all-zero checksum is sent as all ones
        patch16(f.bytes, udp_at + 6, sum);
    }
    return f;
}

std::string ipv4_text(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xFF) + "." +
           std::to_string((ip >> 8) & 0xFF) + "." + std::to_string(ip & 0xFF);
}

}  // namespace postino::exporter::inet
