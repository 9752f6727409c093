// pcap_export_test.cpp — TCP stream reconstruction from "line" events and
// the capture of a hand-made trace, read back field by field.
#include <catch2/catch.hpp>

#include <sstream>

#include "capture_reader.hpp"
#include "export/pcap_export.hpp"
#include "export/tcp_streams.hpp"

using namespace postino;
using namespace postino::exporter;
using test::line;
using test::segment;

namespace {

// A tiny SMTP exchange between c (client, port 49152) and s (server, port 25)
// on connection 7, with one lost, retransmitted data segment and a FIN each way.
std::vector<trace::Event> small_session() {
    std::vector<trace::Event> v;
    std::uint64_t n = 0;
    v.push_back(segment(n++, 1'000, "c", "s", 7, "send", 1, "SYN", 0, 0, 0, 49152, 25));
    v.push_back(segment(n++, 2'000, "s", "c", 7, "send", 2, "SYN,ACK", 0, 1, 0, 25, 49152));
    v.push_back(segment(n++, 3'000, "c", "s", 7, "send", 3, "ACK", 1, 1, 0, 49152, 25));
    v.push_back(segment(n++, 4'000, "s", "c", 7, "send", 4, "PSH,ACK", 1, 1, 11, 25, 49152));
    v.push_back(line(n++, 4'000, "s", "c", 7, "send", "220 hello\r\n"));
    v.push_back(line(n++, 5'000, "c", "s", 7, "recv", "220 hello\r\n"));
    v.push_back(segment(n++, 5'000, "c", "s", 7, "send", 5, "PSH,ACK", 1, 12, 8, 49152, 25));
    v.push_back(line(n++, 5'000, "c", "s", 7, "send", "EHLO c\r\n"));
    v.push_back(segment(n++, 5'500, "c", "s", 7, "lost", 5, "PSH,ACK", 1, 12, 8, 49152, 25));
    trace::Event re = segment(n++, 6'000, "c", "s", 7, "send", 6, "PSH,ACK", 1, 12, 8, 49152, 25);
    re.set("retransmit", true);
    v.push_back(re);
    v.push_back(segment(n++, 7'000, "c", "s", 7, "send", 7, "PSH,ACK", 9, 12, 13, 49152, 25));
    v.push_back(line(n++, 7'000, "c", "s", 7, "send", "Hi\r\n.\r\nQUIT\r\n", "DATA-CONTENT"));
    v.push_back(segment(n++, 8'000, "c", "s", 7, "send", 8, "FIN,ACK", 22, 12, 0, 49152, 25));
    v.push_back(segment(n++, 9'000, "s", "c", 7, "send", 9, "FIN,ACK", 12, 23, 0, 25, 49152));
    v.push_back(segment(n++, 9'500, "s", "c", 7, "recv", 8, "FIN,ACK", 22, 12, 0, 49152, 25));  // not a frame
    trace::Event dgram("datagram", "c", "ns");
    dgram.seq = n++;
    dgram.t = nanoseconds(10'000);
    dgram.set("ev", "send").set("id", 10).set("sport", 40000).set("dport", 53).set("len", 3).set_bytes("bytes", "\x01\x02\x03");
    v.push_back(dgram);
    return v;
}

test::PcapFile capture(const std::vector<trace::Event>& events, const PcapOptions& options, PcapStats* stats = nullptr) {
    std::ostringstream out;
    auto r = write_pcap(events, out, options);
    REQUIRE(r);
    if (stats != nullptr) *stats = *r;
    return test::read_pcap(out.str());
}

}  // namespace

TEST_CASE("streams: each host's sent lines on a connection, in trace order", "[export][streams]") {
    std::vector<trace::Event> v{line(0, 0, "c", "s", 1, "send", "EHLO c\r\n"),
                                line(1, 0, "s", "c", 1, "recv", "EHLO c\r\n"),
                                line(2, 0, "s", "c", 1, "send", "250 ok\r\n"),
                                line(3, 0, "c", "s", 2, "send", "QUIT\r\n"),
                                line(4, 0, "c", "s", 1, "send", "body\r\n.\r\n", "DATA-CONTENT"),
                                line(5, 0, "c", "s", 0, "send", "no connection\r\n")};
    const TcpStreams s = TcpStreams::from_trace(v);
    CHECK(s.stream(1, "c") == "EHLO c\r\nbody\r\n.\r\n");
    CHECK(s.stream(1, "s") == "250 ok\r\n");  // its recv line is not part of its stream
    CHECK(s.stream(2, "c") == "QUIT\r\n");
    CHECK(s.stream(2, "s").empty());
    CHECK(s.stream(0, "c").empty());
    CHECK(s.size() == 3);
}

TEST_CASE("streams: sequence number s carries stream octet s-1, and the SYN takes 0", "[export][streams]") {
    CHECK(stream_offset(1, false) == 0u);
    CHECK(stream_offset(33, false) == 32u);
    CHECK(stream_offset(0, true) == 0u);  // data on a SYN starts right after it
    CHECK_FALSE(stream_offset(0, false));
    CHECK_FALSE(stream_offset(-1, false));

    std::vector<trace::Event> v{line(0, 0, "c", "s", 1, "send", "EHLO c\r\n"),
                                line(1, 0, "c", "s", 1, "send", "MAIL FROM:<a@b>\r\n")};
    const TcpStreams s = TcpStreams::from_trace(v);
    CHECK(s.payload(1, "c", 1, false, 8) == "EHLO c\r\n");
    CHECK(s.payload(1, "c", 9, false, 17) == "MAIL FROM:<a@b>\r\n");
    CHECK(s.payload(1, "c", 3, false, 4) == "LO c");
    CHECK(s.payload(1, "c", 0, true, 4) == "EHLO");
    // Past the end: what exists, never more.
    CHECK(s.payload(1, "c", 19, false, 50) == "<a@b>\r\n");
    CHECK(s.payload(1, "c", 26, false, 10).empty());
    CHECK(s.payload(1, "c", 1, false, 0).empty());
    CHECK(s.payload(1, "nobody", 1, false, 5).empty());
}

TEST_CASE("capture of a small session: one frame per send, fields read back", "[export][pcap]") {
    const auto events = small_session();
    PcapStats stats;
    const test::PcapFile f = capture(events, {}, &stats);
    REQUIRE(f.well_formed);
    CHECK(f.magic == 0xa1b23c4d);
    CHECK(f.linktype == 1);
    REQUIRE(f.records.size() == 10);  // 9 segments sent (one of them lost) + 1 datagram
    CHECK(stats.frames == 10);
    CHECK(stats.tcp_frames == 9);
    CHECK(stats.udp_frames == 1);
    CHECK(stats.lost_frames == 1);
    CHECK(stats.truncated_frames == 0);
    CHECK(stats.warnings.empty());
    REQUIRE(stats.addresses.size() == 3);
    CHECK(stats.addresses[0].host == "c");

    const std::uint32_t isn_c = initial_sequence_number(7, "c");
    const std::uint32_t isn_s = initial_sequence_number(7, "s");
    std::vector<test::ParsedFrame> fr;
    for (const auto& r : f.records) {
        auto p = test::parse_frame(r.data);
        REQUIRE(p);
        CHECK(p->ip_checksum_ok);
        CHECK(test::transport_checksum_ok(*p));
        CHECK(r.orig_len == r.data.size());
        fr.push_back(*p);
    }
    // Timestamps: the default epoch (2024-01-01T00:00:00Z) plus simulated ns.
    CHECK(f.records[0].sec == 1'704'067'200u);
    CHECK(f.records[0].nsec == 1'000u);
    CHECK(f.records[9].nsec == 10'000u);

    // SYN: sequence number = ISN, no ACK bit so the ack field is 0.
    CHECK(fr[0].tcp_flags == 0x02);
    CHECK(fr[0].seq == isn_c);
    CHECK(fr[0].ack == 0);
    CHECK(test::ip_text(fr[0].src_ip) == "192.0.2.1");
    CHECK(test::ip_text(fr[0].dst_ip) == "192.0.2.2");
    CHECK(fr[0].src_mac == "0200c0000201");
    CHECK(fr[0].dst_mac == "0200c0000202");
    CHECK(fr[0].sport == 49152);
    CHECK(fr[0].dport == 25);
    CHECK(fr[0].window == kTcpWindow);
    CHECK(fr[0].ip_id == 1);  // the trace's packet id
    // SYN,ACK acknowledges ISN_c + 1.
    CHECK(fr[1].tcp_flags == 0x12);
    CHECK(fr[1].seq == isn_s);
    CHECK(fr[1].ack == isn_c + 1);
    CHECK(fr[2].tcp_flags == 0x10);
    CHECK(fr[2].payload.empty());
    // Data, from the lines.
    CHECK(fr[3].tcp_flags == 0x18);
    CHECK(fr[3].seq == isn_s + 1);
    CHECK(fr[3].payload == "220 hello\r\n");
    CHECK(fr[4].payload == "EHLO c\r\n");
    CHECK(fr[4].ack == isn_s + 12);
    // The lost segment's retransmission carries the same octets.
    CHECK(fr[5].payload == "EHLO c\r\n");
    CHECK(fr[5].seq == fr[4].seq);
    CHECK(fr[5].ip_id == 6);
    CHECK(fr[6].payload == "Hi\r\n.\r\nQUIT\r\n");
    CHECK(fr[6].seq == isn_c + 9);
    // FINs: sequence number just past the data.
    CHECK(fr[7].tcp_flags == 0x11);
    CHECK(fr[7].seq == isn_c + 22);
    CHECK(fr[8].ack == isn_c + 23);
    // The datagram: its own bytes.
    CHECK(fr[9].proto == 17);
    CHECK(fr[9].payload == "\x01\x02\x03");
    CHECK(fr[9].dport == 53);
    CHECK(test::ip_text(fr[9].dst_ip) == "192.0.2.3");
}

TEST_CASE("lost packets can be left out of the capture", "[export][pcap]") {
    PcapOptions o;
    o.include_lost = false;
    PcapStats stats;
    const test::PcapFile f = capture(small_session(), o, &stats);
    CHECK(f.records.size() == 9);
    CHECK(stats.skipped_lost == 1);
    CHECK(stats.lost_frames == 0);
    o.epoch_unix_seconds = 0;
    const test::PcapFile g = capture(small_session(), o);
    CHECK(g.records[0].sec == 0);
    CHECK(g.records[0].nsec == 1'000u);
}

TEST_CASE("a segment the lines do not cover is captured in part and counted", "[export][pcap]") {
    auto events = small_session();
    // Drop the client's DATA-CONTENT line: the 13-octet segment has no bytes left.
    std::erase_if(events, [](const trace::Event& e) { return e.get_str("verb") == "DATA-CONTENT"; });
    PcapStats stats;
    const test::PcapFile f = capture(events, {}, &stats);
    REQUIRE(f.records.size() == 10);
    CHECK(stats.truncated_frames == 1);
    CHECK(stats.missing_octets == 13);
    REQUIRE(stats.warnings.size() == 1);
    CHECK(stats.warnings[0].find("0 of its 13 payload octets") != std::string::npos);
    const auto& r = f.records[6];
    CHECK(r.data.size() == 14 + 20 + 20);
    CHECK(r.orig_len == 14 + 20 + 20 + 13);
    auto p = test::parse_frame(r.data);
    REQUIRE(p);
    CHECK(p->total_length == 20 + 20 + 13);
    CHECK(p->payload.empty());  // nothing invented
}

TEST_CASE("odd events: unknown flags, missing fields, no peer", "[export][pcap]") {
    std::vector<trace::Event> v;
    v.push_back(segment(0, 0, "a", "b", 1, "send", 1, "SYN,XYZ", 0, 0, 0, 1000, 25));
    trace::Event nofields("segment", "a", "b", 1);
    nofields.set("ev", "send").set("id", 2);
    v.push_back(nofields);
    v.push_back(segment(2, 0, "a", "", 1, "send", 3, "ACK", 1, 1, 0, 1000, 25));
    v.push_back(segment(3, 0, "a", "b", 1, "send", 4, "ACK", 1, 1, 0, 70000, 25));
    PcapStats stats;
    const test::PcapFile f = capture(v, {}, &stats);
    REQUIRE(f.records.size() == 1);
    CHECK(test::parse_frame(f.records[0].data)->tcp_flags == 0x02);
    CHECK(stats.skipped_events == 3);
    REQUIRE(stats.warnings.size() == 4);
    CHECK(stats.warnings[0].find("unknown TCP flag \"XYZ\"") != std::string::npos);
}

TEST_CASE("warnings are capped with a summary line", "[export][pcap]") {
    std::vector<trace::Event> v;
    for (int i = 0; i < 30; ++i) v.push_back(segment(static_cast<std::uint64_t>(i), i, "a", "b", 1, "send", i, "PSH,ACK", 1, 1, 5, 1000, 25));
    PcapStats stats;
    const test::PcapFile f = capture(v, {}, &stats);
    CHECK(f.records.size() == 30);
    CHECK(stats.truncated_frames == 30);
    REQUIRE(stats.warnings.size() == kMaxPcapWarnings + 1);
    CHECK(stats.warnings.back() == "... and 10 more warnings like these");
    CHECK(stats.warnings_total == 30);
}

TEST_CASE("export_pcap reports a file it cannot create", "[export][pcap]") {
    auto r = export_pcap(small_session(), "/nonexistent-directory/x.pcap");
    REQUIRE_FALSE(r);
    CHECK(r.error().where == "/nonexistent-directory/x.pcap");
}
