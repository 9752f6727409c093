// inet_test.cpp — the Internet checksum (RFC 1071) on known vectors, and
// the layout of the Ethernet/IPv4/TCP/UDP frames (RFC 894, 791, 9293, 768),
// read back with the independent reader in capture_reader.hpp. The expected
// checksums were computed separately (a few lines of Python over the same
// octets), not with this code.
#include <catch2/catch.hpp>

#include <string>

#include "capture_reader.hpp"
#include "export/inet.hpp"

using namespace postino;
using namespace postino::exporter;
using postino::test::parse_frame;

namespace {

inet::Endpoints sample_endpoints() {
    inet::Endpoints e;
    e.src_mac = {0x02, 0x00, 0xc0, 0x00, 0x02, 0x01};
    e.dst_mac = {0x02, 0x00, 0xc0, 0x00, 0x02, 0x02};
    e.src_ip = 0xC0000201;  // 192.0.2.1
    e.dst_ip = 0xC0000202;  // 192.0.2.2
    e.ip_id = 7;
    return e;
}

std::string bytes_of(std::initializer_list<int> v) {
    std::string s;
    for (int b : v) s += static_cast<char>(b);
    return s;
}

const std::string kDnsQuery = bytes_of({0xbe, 0x97, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
                                        'b', 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x00, 0x00, 0x0f, 0x00, 0x01});

}  // namespace

TEST_CASE("RFC 1071 checksum: the numerical example of §3", "[export][checksum]") {
    const std::string data = bytes_of({0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7});
    // §3: the one's-complement sum is ddf2 once its carries are folded in.
    CHECK(inet::ones_sum(data) == 0x2ddf0);
    CHECK(inet::fold_complement(inet::ones_sum(data)) == 0x220d);
    CHECK(inet::internet_checksum(data) == 0x220d);
}

TEST_CASE("RFC 1071 checksum: a classic IPv4 header vector", "[export][checksum]") {
    // 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, DF, TTL 64.
    const std::string header = bytes_of({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0,
                                         0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
    CHECK(inet::internet_checksum(header) == 0xb861);
    std::string with = header;
    with[10] = static_cast<char>(0xb8);
    with[11] = static_cast<char>(0x61);
    CHECK(inet::internet_checksum(with) == 0);  // a receiver's check over a correct header
}

TEST_CASE("RFC 1071 checksum: an odd octet is padded with zero, sums chain", "[export][checksum]") {
    CHECK(inet::internet_checksum(std::string(1, '\x01')) == 0xfeff);
    CHECK(inet::internet_checksum(bytes_of({0x01, 0x00})) == 0xfeff);
    CHECK(inet::internet_checksum("") == 0xffff);
    // Summing in two even-length pieces equals summing the whole.
    const std::string a = "EHLO pc.alice\r\n!";
    const std::string b = "MAIL FROM:<a@b>\r\n";
    CHECK(inet::fold_complement(inet::ones_sum(b, inet::ones_sum(a))) == inet::internet_checksum(a + b));
    // All ones in every word: the sum is 0xffff and its complement 0.
    CHECK(inet::internet_checksum(std::string(4000, '\xff')) == 0);
}

TEST_CASE("a TCP frame: Ethernet II, IPv4 and TCP fields at their offsets", "[export][frame]") {
    inet::TcpFields tcp;
    tcp.sport = 49152;
    tcp.dport = 25;
    tcp.seq = 0x01020304;
    tcp.ack = 0x0a0b0c0d;
    tcp.flags = inet::tcp_flag::kPsh | inet::tcp_flag::kAck;
    tcp.window = 65535;
    const std::string payload = "EHLO pc.alice\r\n";
    const inet::Frame frame = inet::tcp_frame(sample_endpoints(), tcp, payload, payload.size());
    REQUIRE(frame.bytes.size() == 14 + 20 + 20 + payload.size());
    CHECK(frame.original_length == frame.bytes.size());

    auto f = parse_frame(frame.bytes);
    REQUIRE(f);
    CHECK(f->dst_mac == "0200c0000202");
    CHECK(f->src_mac == "0200c0000201");
    CHECK(f->ethertype == 0x0800);
    CHECK(f->version == 4);
    CHECK(f->ihl == 5);
    CHECK(f->total_length == 20 + 20 + payload.size());
    CHECK(f->ip_id == 7);
    CHECK(f->flags_frag == 0x4000);  // DF, offset 0
    CHECK(f->ttl == 64);
    CHECK(f->proto == 6);
    CHECK(f->src_ip == 0xC0000201);
    CHECK(f->dst_ip == 0xC0000202);
    CHECK(test::be16(f->ip_header, 10) == 0xb6b6);  // computed separately
    CHECK(f->ip_checksum_ok);
    CHECK(f->sport == 49152);
    CHECK(f->dport == 25);
    CHECK(f->seq == 0x01020304);
    CHECK(f->ack == 0x0a0b0c0d);
    CHECK(f->data_offset == 5);
    CHECK(f->tcp_flags == 0x18);
    CHECK(f->window == 65535);
    CHECK(f->urgent == 0);
    CHECK(f->checksum == 0x026f);  // computed separately, pseudo-header included
    CHECK(test::transport_checksum_ok(*f));
    CHECK(f->payload == payload);
}

TEST_CASE("a UDP frame carries the DNS message with length and checksum", "[export][frame]") {
    inet::Endpoints ends = sample_endpoints();
    const inet::Frame frame = inet::udp_frame(ends, 55369, 53, kDnsQuery, kDnsQuery.size());
    auto f = parse_frame(frame.bytes);
    REQUIRE(f);
    CHECK(f->proto == 17);
    CHECK(f->total_length == 20 + 8 + 27);
    CHECK(f->ip_checksum_ok);
    CHECK(f->sport == 55369);
    CHECK(f->dport == 53);
    CHECK(f->udp_length == 8 + 27);
    CHECK(f->checksum == 0x788e);  // computed separately
    CHECK(test::transport_checksum_ok(*f));
    CHECK(f->payload == kDnsQuery);
}

TEST_CASE("UDP: a checksum that computes to zero is sent as all ones (RFC 768)", "[export][frame]") {
    const inet::Endpoints ends = sample_endpoints();
    // With a two-octet payload w the checksum is ~(S + w); choosing w = ~S
    // (the checksum with w = 0) makes it compute to zero.
    const inet::Frame probe = inet::udp_frame(ends, 1000, 2000, std::string(2, '\0'), 2);
    const std::uint32_t c = test::be16(parse_frame(probe.bytes)->transport, 6);
    const std::string w = bytes_of({static_cast<int>(c >> 8), static_cast<int>(c & 0xFF)});
    auto f = parse_frame(inet::udp_frame(ends, 1000, 2000, w, 2).bytes);
    REQUIRE(f);
    CHECK(f->checksum == 0xFFFF);
    CHECK(test::transport_checksum_ok(*f));
}

TEST_CASE("a frame whose payload is only partly known declares the full length", "[export][frame]") {
    inet::TcpFields tcp;
    tcp.flags = inet::tcp_flag::kAck;
    const inet::Frame frame = inet::tcp_frame(sample_endpoints(), tcp, "abc", 10);
    CHECK(frame.bytes.size() == 14 + 20 + 20 + 3);
    CHECK(frame.original_length == 14 + 20 + 20 + 10);
    auto f = parse_frame(frame.bytes);
    REQUIRE(f);
    CHECK(f->total_length == 20 + 20 + 10);
    CHECK(f->ip_checksum_ok);
    CHECK(f->checksum == 0);  // cannot be computed over octets nobody knows
    CHECK(f->payload == "abc");
}

TEST_CASE("IPv4 addresses print as dotted quads", "[export][frame]") {
    CHECK(inet::ipv4_text(0xC0000201) == "192.0.2.1");
    CHECK(inet::ipv4_text(0xCB0071FE) == "203.0.113.254");
    CHECK(inet::ipv4_text(0) == "0.0.0.0");
}
