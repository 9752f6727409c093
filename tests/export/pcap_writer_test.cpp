// pcap_writer_test.cpp — the libpcap file format, octet by octet: the
// nanosecond magic, version 2.4, LINKTYPE_ETHERNET, and record headers.
#include <catch2/catch.hpp>

#include <sstream>

#include "capture_reader.hpp"
#include "export/pcap_writer.hpp"

using namespace postino;
using namespace postino::exporter;

TEST_CASE("pcap global header: nanosecond magic, 2.4, Ethernet, little-endian", "[export][pcap]") {
    std::ostringstream out;
    PcapWriter w(out);
    const std::string b = out.str();
    REQUIRE(b.size() == kPcapGlobalHeaderOctets);
    // The magic as written, octet by octet: 4d 3c b2 a1 (little-endian 0xa1b23c4d).
    CHECK(test::hex(b.substr(0, 4)) == "4d3cb2a1");
    CHECK(test::hex(b.substr(4, 4)) == "02000400");          // major 2, minor 4
    CHECK(test::hex(b.substr(8, 8)) == "0000000000000000");  // thiszone, sigfigs
    CHECK(test::le32(b, 16) == kPcapSnapLen);
    CHECK(test::le32(b, 20) == 1);  // LINKTYPE_ETHERNET
    CHECK(w.records() == 0);
}

TEST_CASE("pcap records: seconds and nanoseconds, captured and original lengths", "[export][pcap]") {
    std::ostringstream out;
    PcapWriter w(out);
    w.write_record(1'704'067'201'010'006'400LL, "abcdef", 6);
    w.write_record(1'704'067'202'000'000'000LL, "xyz", 10);  // a partial capture
    CHECK(w.records() == 2);
    CHECK(w.ok());
    const test::PcapFile f = test::read_pcap(out.str());
    REQUIRE(f.well_formed);
    CHECK(f.magic == kPcapMagicNanoseconds);
    CHECK(f.major == 2);
    CHECK(f.minor == 4);
    REQUIRE(f.records.size() == 2);
    CHECK(f.records[0].sec == 1'704'067'201u);
    CHECK(f.records[0].nsec == 10'006'400u);
    CHECK(f.records[0].data == "abcdef");
    CHECK(f.records[0].orig_len == 6);
    CHECK(f.records[1].sec == 1'704'067'202u);
    CHECK(f.records[1].nsec == 0);
    CHECK(f.records[1].data == "xyz");
    CHECK(f.records[1].orig_len == 10);
    CHECK(out.str().size() == 24 + 16 + 6 + 16 + 3);
}

TEST_CASE("pcap records: an original length shorter than the data is raised to it", "[export][pcap]") {
    std::ostringstream out;
    PcapWriter w(out);
    w.write_record(0, "abcd", 1);
    const test::PcapFile f = test::read_pcap(out.str());
    REQUIRE(f.records.size() == 1);
    CHECK(f.records[0].orig_len == 4);
}
