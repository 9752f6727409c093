// pcap_export.hpp — a trace as a packet capture Wireshark and tshark can
// open (DESIGN.md §2.3: the trace is the exporter's only input).
//
// One Ethernet/IPv4 frame per packet *sent* (segment or datagram event with
// ev = "send"), as a capture taken on every sender would see it: packets
// lost later on a link left their sender, so they are in the capture too
// (PcapOptions::include_lost = false leaves them out). Timestamps are the
// simulated time of the send, counted from PcapOptions::epoch_unix_seconds.
// Addresses and initial sequence numbers are synthetic (address_plan.hpp);
// TCP payloads are rebuilt from the trace's "line" events (tcp_streams.hpp);
// UDP payloads are the datagrams' own bytes (real RFC 1035 DNS messages).
// Formats: pcap_writer.hpp (libpcap), inet.hpp (RFC 791, 9293, 768, 1071).
// Usage and the conventions in full: docs/exporters.md.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"
#include "export/address_plan.hpp"

namespace postino::exporter {

// The calendar instant of simulated t = 0: 2024-01-01T00:00:00Z, the same
// default the message layer uses for Date: headers (sim/mail/date.hpp), so
// a capture's times agree with the mail inside it.
inline constexpr std::int64_t kDefaultPcapEpochUnixSeconds = 1'704'067'200;
// The receive window written in every TCP header: the simulated TCP's fixed
// window (docs/network-model.md; no window scaling is modelled).
inline constexpr std::uint16_t kTcpWindow = 65535;
// How many warnings PcapStats::warnings spells out before summarising.
inline constexpr std::size_t kMaxPcapWarnings = 20;

struct PcapOptions {
    bool include_lost = true;  // frames for packets lost after they left the sender
    std::int64_t epoch_unix_seconds = kDefaultPcapEpochUnixSeconds;
};

struct PcapStats {
    std::uint64_t frames = 0;            // records written
    std::uint64_t tcp_frames = 0;
    std::uint64_t udp_frames = 0;
    std::uint64_t lost_frames = 0;       // written frames whose packet was lost later
    std::uint64_t skipped_lost = 0;      // lost packets left out (include_lost = false)
    std::uint64_t skipped_events = 0;    // send events that could not become a frame
    std::uint64_t truncated_frames = 0;  // payload only partly rebuilt: captured < original length
    std::uint64_t missing_octets = 0;    // payload octets the trace did not give
    std::vector<std::string> warnings;   // one sentence each, at most kMaxPcapWarnings + a summary
    std::uint64_t warnings_total = 0;    // how many warnings there were, spelled out or not
    std::vector<HostAddress> addresses;  // the synthetic address of every host, in order of appearance
};

// Writes the capture to `out` (opened in binary mode).
Result<PcapStats> write_pcap(const std::vector<trace::Event>& events, std::ostream& out,
                             const PcapOptions& options = {});

// Writes the capture to the file `path` (created or truncated).
Result<PcapStats> export_pcap(const std::vector<trace::Event>& events, const std::string& path,
                              const PcapOptions& options = {});

}  // namespace postino::exporter
