// pcap_writer.hpp — the classic libpcap capture file format, nanosecond
// variant (the format of tcpdump/Wireshark ".pcap" files; described in the
// IETF draft "PCAP Capture File Format", draft-ietf-opsawg-pcap, §4–§5).
//
// File = one 24-octet global header, then one record per packet: a 16-octet
// record header (seconds, nanoseconds, captured length, original length)
// followed by the captured octets. Postino writes every field little-endian;
// readers tell the byte order and the time resolution from the magic number
// (0xA1B23C4D: nanoseconds, since simulated time is counted in ns).
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>

namespace postino::exporter {

inline constexpr std::uint32_t kPcapMagicNanoseconds = 0xA1B23C4D;
inline constexpr std::uint16_t kPcapVersionMajor = 2;
inline constexpr std::uint16_t kPcapVersionMinor = 4;
inline constexpr std::uint32_t kLinktypeEthernet = 1;      // LINKTYPE_ETHERNET
inline constexpr std::uint32_t kPcapSnapLen = 262144;      // tcpdump's default snapshot length
inline constexpr std::size_t kPcapGlobalHeaderOctets = 24;
inline constexpr std::size_t kPcapRecordHeaderOctets = 16;

class PcapWriter {
public:
    // Writes the global header at once.
    explicit PcapWriter(std::ostream& out, std::uint32_t linktype = kLinktypeEthernet);

    // One packet record. `unix_ns` is the capture instant in nanoseconds
    // since 1970-01-01T00:00:00Z (must be >= 0 and before 2106, the end of
    // the 32-bit seconds field); `captured` is what is known of the frame,
    // `original_length` its length on the wire (>= captured.size()).
    void write_record(std::int64_t unix_ns, std::string_view captured, std::size_t original_length);

    [[nodiscard]] std::uint64_t records() const { return records_; }
    [[nodiscard]] bool ok() const { return static_cast<bool>(out_); }

private:
    std::ostream& out_;
    std::uint64_t records_ = 0;
};

}  // namespace postino::exporter
