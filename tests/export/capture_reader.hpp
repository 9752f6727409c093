// capture_reader.hpp — a deliberately separate, minimal reader of what the
// exporter writes (libpcap records, Ethernet II, IPv4, TCP, UDP), so the
// tests check the bytes against the formats, not against the writer's code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.hpp"

namespace postino::test {

inline std::uint32_t be16(std::string_view b, std::size_t at) {
    return (std::uint32_t{static_cast<std::uint8_t>(b[at])} << 8) | static_cast<std::uint8_t>(b[at + 1]);
}
inline std::uint32_t be32(std::string_view b, std::size_t at) { return (be16(b, at) << 16) | be16(b, at + 2); }
inline std::uint32_t le32(std::string_view b, std::size_t at) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<std::uint8_t>(b[at + static_cast<std::size_t>(i)]);
    return v;
}
inline std::uint32_t le16(std::string_view b, std::size_t at) {
    return static_cast<std::uint8_t>(b[at]) | (std::uint32_t{static_cast<std::uint8_t>(b[at + 1])} << 8);
}

// Sum of 16-bit big-endian words with end-around carry, the receiver's check
// of RFC 1071 §1: over data that includes a correct checksum it is 0xFFFF.
inline std::uint16_t verify_sum(std::string_view data) {
    std::uint32_t s = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        std::uint32_t w = std::uint32_t{static_cast<std::uint8_t>(data[i])} << 8;
        if (i + 1 < data.size()) w |= static_cast<std::uint8_t>(data[i + 1]);
        s += w;
        s = (s & 0xFFFF) + (s >> 16);
    }
    return static_cast<std::uint16_t>(s);
}

struct PcapRecord {
    std::uint32_t sec = 0;
    std::uint32_t nsec = 0;
    std::uint32_t orig_len = 0;
    std::string data;
};

struct PcapFile {
    std::uint32_t magic = 0;
    std::uint32_t major = 0;
    std::uint32_t minor = 0;
    std::uint32_t snaplen = 0;
    std::uint32_t linktype = 0;
    std::vector<PcapRecord> records;
    bool well_formed = false;
};

inline PcapFile read_pcap(std::string_view b) {
    PcapFile f;
    if (b.size() < 24) return f;
    f.magic = le32(b, 0);
    f.major = le16(b, 4);
    f.minor = le16(b, 6);
    f.snaplen = le32(b, 16);
    f.linktype = le32(b, 20);
    std::size_t at = 24;
    while (at + 16 <= b.size()) {
        PcapRecord r;
        r.sec = le32(b, at);
        r.nsec = le32(b, at + 4);
        const std::uint32_t incl = le32(b, at + 8);
        r.orig_len = le32(b, at + 12);
        at += 16;
        if (at + incl > b.size()) return f;
        r.data = std::string(b.substr(at, incl));
        at += incl;
        f.records.push_back(std::move(r));
    }
    f.well_formed = at == b.size();
    return f;
}

struct ParsedFrame {
    std::string dst_mac, src_mac;  // 12 hex digits
    std::uint32_t ethertype = 0;
    // IPv4
    std::uint32_t version = 0, ihl = 0, total_length = 0, ip_id = 0, flags_frag = 0, ttl = 0, proto = 0;
    std::uint32_t src_ip = 0, dst_ip = 0;
    bool ip_checksum_ok = false;
    std::string ip_header;  // the 20 octets
    // TCP or UDP
    std::uint32_t sport = 0, dport = 0;
    std::uint32_t seq = 0, ack = 0, data_offset = 0, tcp_flags = 0, window = 0, checksum = 0, urgent = 0;
    std::uint32_t udp_length = 0;
    std::string transport;  // header + payload, as captured
    std::string payload;
};

inline std::string hex(std::string_view b) {
    static constexpr char k[] = "0123456789abcdef";
    std::string out;
    for (char c : b) {
        out += k[static_cast<std::uint8_t>(c) >> 4];
        out += k[static_cast<std::uint8_t>(c) & 0xF];
    }
    return out;
}

inline std::optional<ParsedFrame> parse_frame(std::string_view b) {
    ParsedFrame f;
    if (b.size() < 14 + 20) return std::nullopt;
    f.dst_mac = hex(b.substr(0, 6));
    f.src_mac = hex(b.substr(6, 6));
    f.ethertype = be16(b, 12);
    const std::string_view ip = b.substr(14);
    f.version = static_cast<std::uint8_t>(ip[0]) >> 4;
    f.ihl = static_cast<std::uint8_t>(ip[0]) & 0xF;
    f.total_length = be16(ip, 2);
    f.ip_id = be16(ip, 4);
    f.flags_frag = be16(ip, 6);
    f.ttl = static_cast<std::uint8_t>(ip[8]);
    f.proto = static_cast<std::uint8_t>(ip[9]);
    f.src_ip = be32(ip, 12);
    f.dst_ip = be32(ip, 16);
    f.ip_header = std::string(ip.substr(0, 20));
    f.ip_checksum_ok = verify_sum(f.ip_header) == 0xFFFF;
    f.transport = std::string(ip.substr(f.ihl * 4));
    const std::string_view t = f.transport;
    if (f.proto == 6) {
        if (t.size() < 20) return std::nullopt;
        f.sport = be16(t, 0);
        f.dport = be16(t, 2);
        f.seq = be32(t, 4);
        f.ack = be32(t, 8);
        f.data_offset = static_cast<std::uint8_t>(t[12]) >> 4;
        f.tcp_flags = static_cast<std::uint8_t>(t[13]);
        f.window = be16(t, 14);
        f.checksum = be16(t, 16);
        f.urgent = be16(t, 18);
        f.payload = std::string(t.substr(f.data_offset * 4));
    } else if (f.proto == 17) {
        if (t.size() < 8) return std::nullopt;
        f.sport = be16(t, 0);
        f.dport = be16(t, 2);
        f.udp_length = be16(t, 4);
        f.checksum = be16(t, 6);
        f.payload = std::string(t.substr(8));
    }
    return f;
}

// RFC 9293 §3.1 / RFC 768: the checksum verifies over pseudo-header + segment.
inline bool transport_checksum_ok(const ParsedFrame& f) {
    std::string ph;
    auto put32 = [&](std::uint32_t v) {
        for (int s = 24; s >= 0; s -= 8) ph += static_cast<char>((v >> s) & 0xFF);
    };
    put32(f.src_ip);
    put32(f.dst_ip);
    ph += '\0';
    ph += static_cast<char>(f.proto);
    ph += static_cast<char>((f.transport.size() >> 8) & 0xFF);
    ph += static_cast<char>(f.transport.size() & 0xFF);
    return verify_sum(ph + f.transport) == 0xFFFF;
}

inline std::string ip_text(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xFF) + "." + std::to_string((ip >> 8) & 0xFF) +
           "." + std::to_string(ip & 0xFF);
}

// Builders for hand-made traces.
inline trace::Event segment(std::uint64_t seq, std::int64_t t, const std::string& host, const std::string& peer,
                            std::uint64_t conn, const char* ev, std::int64_t id, const char* flags, std::int64_t seqno,
                            std::int64_t ackno, std::int64_t len, int sport, int dport) {
    trace::Event e("segment", host, peer, conn);
    e.seq = seq;
    e.t = nanoseconds(t);
    e.set("ev", ev).set("id", id).set("flags", flags).set("seqno", seqno).set("ackno", ackno).set("len", len);
    e.set("sport", sport).set("dport", dport);
    return e;
}

inline trace::Event line(std::uint64_t seq, std::int64_t t, const std::string& host, const std::string& peer,
                         std::uint64_t conn, const char* dir, std::string_view bytes, const char* verb = nullptr) {
    trace::Event e("line", host, peer, conn);
    e.seq = seq;
    e.t = nanoseconds(t);
    e.set("proto", "smtp").set("dir", dir).set_bytes("bytes", bytes);
    if (verb != nullptr) e.set("verb", verb);
    return e;
}

}  // namespace postino::test
