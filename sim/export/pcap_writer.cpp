// pcap_writer.cpp — libpcap classic file format writer (see pcap_writer.hpp).
#include "export/pcap_writer.hpp"

#include <string>

namespace postino::exporter {
namespace {

void le16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>(v >> 8));
}

void le32(std::string& out, std::uint32_t v) {
    le16(out, static_cast<std::uint16_t>(v & 0xFFFF));
    le16(out, static_cast<std::uint16_t>(v >> 16));
}

}  // namespace

PcapWriter::PcapWriter(std::ostream& out, std::uint32_t linktype) : out_(out) {
    std::string h;
    le32(h, kPcapMagicNanoseconds);
    le16(h, kPcapVersionMajor);
    le16(h, kPcapVersionMinor);
    le32(h, 0);  // thiszone: timestamps are UTC
    le32(h, 0);  // sigfigs: always 0
    le32(h, kPcapSnapLen);
    le32(h, linktype);
    out_.write(h.data(), static_cast<std::streamsize>(h.size()));
}

void PcapWriter::write_record(std::int64_t unix_ns, std::string_view captured, std::size_t original_length) {
    if (unix_ns < 0) unix_ns = 0;
    if (original_length < captured.size()) original_length = captured.size();
    std::string h;
    le32(h, static_cast<std::uint32_t>(unix_ns / 1'000'000'000));
    le32(h, static_cast<std::uint32_t>(unix_ns % 1'000'000'000));
    le32(h, static_cast<std::uint32_t>(captured.size()));
    le32(h, static_cast<std::uint32_t>(original_length));
    out_.write(h.data(), static_cast<std::streamsize>(h.size()));
    out_.write(captured.data(), static_cast<std::streamsize>(captured.size()));
    ++records_;
}

}  // namespace postino::exporter
