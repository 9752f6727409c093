// pcap_export.cpp — trace → libpcap capture (see pcap_export.hpp).
#include "export/pcap_export.hpp"

#include <fstream>
#include <set>
#include <utility>

#include "export/inet.hpp"
#include "export/pcap_writer.hpp"
#include "export/tcp_streams.hpp"

namespace postino::exporter {
namespace {

struct FlagName {
    const char* name;
    std::uint8_t bit;
};
constexpr FlagName kFlagNames[] = {{"FIN", inet::tcp_flag::kFin}, {"SYN", inet::tcp_flag::kSyn},
                                   {"RST", inet::tcp_flag::kRst}, {"PSH", inet::tcp_flag::kPsh},
                                   {"ACK", inet::tcp_flag::kAck}, {"URG", inet::tcp_flag::kUrg},
                                   {"ECE", inet::tcp_flag::kEce}, {"CWR", inet::tcp_flag::kCwr}};

// "PSH,ACK" → bits; a name we do not know is returned in `unknown`.
std::uint8_t parse_flags(std::string_view text, std::string& unknown) {
    std::uint8_t bits = 0;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view name = text.substr(0, comma);
        bool known = false;
        for (const FlagName& f : kFlagNames) {
            if (name == f.name) {
                bits |= f.bit;
                known = true;
            }
        }
        if (!known && !name.empty()) unknown = std::string(name);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return bits;
}

std::optional<std::uint16_t> port(const trace::Event& e, std::string_view key) {
    auto v = e.get_int(key);
    if (!v || *v < 0 || *v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(*v);
}

std::string where(const trace::Event& e) {
    std::string w = e.kind + " event seq " + std::to_string(e.seq) + " (" + e.host + " -> " + e.peer;
    if (e.conn != 0) w += ", conn " + std::to_string(e.conn);
    return w + ")";
}

class Exporter {
public:
    Exporter(const std::vector<trace::Event>& events, const AddressPlan& plan, const PcapOptions& options,
             PcapWriter& writer)
        : events_(events), plan_(plan), options_(options), writer_(writer),
          streams_(TcpStreams::from_trace(events)) {
        for (const trace::Event& e : events_) {
            if ((e.kind == "segment" || e.kind == "datagram") && e.get_str("ev") == "lost") {
                if (auto id = e.get_int("id")) lost_.insert({e.kind, *id});
            }
        }
    }

    PcapStats run() {
        for (const trace::Event& e : events_) {
            if ((e.kind != "segment" && e.kind != "datagram") || e.get_str("ev") != "send") continue;
            const auto id = e.get_int("id");
            const bool lost = id && lost_.count({e.kind, *id}) != 0;
            if (lost && !options_.include_lost) {
                ++stats_.skipped_lost;
                continue;
            }
            std::optional<inet::Frame> frame = e.kind == "segment" ? segment_frame(e) : datagram_frame(e);
            if (!frame) {
                ++stats_.skipped_events;
                continue;
            }
            writer_.write_record(options_.epoch_unix_seconds * 1'000'000'000 + e.t.ns(), frame->bytes,
                                 frame->original_length);
            ++stats_.frames;
            if (lost) ++stats_.lost_frames;
            (e.kind == "segment" ? stats_.tcp_frames : stats_.udp_frames)++;
        }
        if (warnings_seen_ > kMaxPcapWarnings) {
            stats_.warnings.push_back("... and " + std::to_string(warnings_seen_ - kMaxPcapWarnings) +
                                      " more warnings like these");
        }
        stats_.warnings_total = warnings_seen_;
        stats_.addresses = plan_.hosts();
        return std::move(stats_);
    }

private:
    void warn(std::string text) {
        if (++warnings_seen_ <= kMaxPcapWarnings) stats_.warnings.push_back(std::move(text));
    }

    std::optional<inet::Endpoints> endpoints(const trace::Event& e) {
        const HostAddress* src = plan_.find(e.host);
        const HostAddress* dst = plan_.find(e.peer);
        if (src == nullptr || dst == nullptr) {
            warn(where(e) + ": no sender or no receiver named; not written");
            return std::nullopt;
        }
        inet::Endpoints ends;
        ends.src_mac = src->mac;
        ends.dst_mac = dst->mac;
        ends.src_ip = src->ip;
        ends.dst_ip = dst->ip;
        // The packet id is unique in a run: its low 16 bits are a fine IPv4 Identification.
        ends.ip_id = static_cast<std::uint16_t>(e.get_int("id").value_or(0) & 0xFFFF);
        return ends;
    }

    // The payload length a frame can declare: IPv4's Total Length is 16 bits.
    std::optional<std::uint64_t> declared_length(const trace::Event& e, std::size_t transport_header) {
        const auto len = e.get_int("len");
        if (!len || *len < 0) {
            warn(where(e) + ": no valid \"len\"; not written");
            return std::nullopt;
        }
        const std::uint64_t max = inet::kMaxIpv4TotalLength - inet::kIpv4HeaderOctets - transport_header;
        if (static_cast<std::uint64_t>(*len) > max) {
            warn(where(e) + ": len " + std::to_string(*len) + " does not fit an IPv4 packet; cut to " +
                 std::to_string(max));
            return max;
        }
        return static_cast<std::uint64_t>(*len);
    }

    void count_truncation(const trace::Event& e, std::size_t have, std::uint64_t want) {
        if (have >= want) return;
        ++stats_.truncated_frames;
        stats_.missing_octets += want - have;
        warn(where(e) + ": the trace gives " + std::to_string(have) + " of its " + std::to_string(want) +
             " payload octets; the frame is captured in part");
    }

    std::optional<inet::Frame> segment_frame(const trace::Event& e) {
        auto ends = endpoints(e);
        const auto sport = port(e, "sport");
        const auto dport = port(e, "dport");
        const auto seqno = e.get_int("seqno");
        const auto ackno = e.get_int("ackno");
        if (!ends) return std::nullopt;
        if (!sport || !dport || !seqno || !ackno) {
            warn(where(e) + ": missing ports or sequence numbers; not written");
            return std::nullopt;
        }
        const auto len = declared_length(e, inet::kTcpHeaderOctets);
        if (!len) return std::nullopt;
        std::string unknown;
        inet::TcpFields tcp;
        tcp.flags = parse_flags(e.get_str("flags"), unknown);
        if (!unknown.empty()) warn(where(e) + ": unknown TCP flag \"" + unknown + "\" left out");
        tcp.sport = *sport;
        tcp.dport = *dport;
        // Relative → absolute: modulo 2^32 (RFC 9293 §3.4), each direction from its own ISN.
        tcp.seq = initial_sequence_number(e.conn, e.host) + static_cast<std::uint32_t>(*seqno);
        if ((tcp.flags & inet::tcp_flag::kAck) != 0) {
            tcp.ack = initial_sequence_number(e.conn, e.peer) + static_cast<std::uint32_t>(*ackno);
        }
        tcp.window = kTcpWindow;
        const bool syn = (tcp.flags & inet::tcp_flag::kSyn) != 0;
        const std::string_view payload = streams_.payload(e.conn, e.host, *seqno, syn, *len);
        count_truncation(e, payload.size(), *len);
        return inet::tcp_frame(*ends, tcp, payload, static_cast<std::size_t>(*len));
    }

    std::optional<inet::Frame> datagram_frame(const trace::Event& e) {
        auto ends = endpoints(e);
        const auto sport = port(e, "sport");
        const auto dport = port(e, "dport");
        if (!ends) return std::nullopt;
        if (!sport || !dport) {
            warn(where(e) + ": missing ports; not written");
            return std::nullopt;
        }
        auto len = declared_length(e, inet::kUdpHeaderOctets);
        if (!len) return std::nullopt;
        const std::string bytes = e.get_bytes("bytes");
        std::string_view payload = bytes;
        if (payload.size() > *len) {
            warn(where(e) + ": " + std::to_string(payload.size()) + " bytes but len " + std::to_string(*len) +
                 "; the bytes are written");
            if (payload.size() <= inet::kMaxIpv4TotalLength - inet::kIpv4HeaderOctets - inet::kUdpHeaderOctets) {
                len = payload.size();
            } else {
                payload = payload.substr(0, static_cast<std::size_t>(*len));
            }
        }
        count_truncation(e, payload.size(), *len);
        return inet::udp_frame(*ends, *sport, *dport, payload, static_cast<std::size_t>(*len));
    }

    const std::vector<trace::Event>& events_;
    const AddressPlan& plan_;
    const PcapOptions& options_;
    PcapWriter& writer_;
    TcpStreams streams_;
    std::set<std::pair<std::string, std::int64_t>> lost_;
    PcapStats stats_;
    std::size_t warnings_seen_ = 0;
};

}  // namespace

Result<PcapStats> write_pcap(const std::vector<trace::Event>& events, std::ostream& out, const PcapOptions& options) {
    auto plan = AddressPlan::from_trace(events);
    if (!plan) return plan.error();
    PcapWriter writer(out);
    PcapStats stats = Exporter(events, *plan, options, writer).run();
    if (!writer.ok()) return Error{"cannot write the capture", ""};
    return stats;
}

Result<PcapStats> export_pcap(const std::vector<trace::Event>& events, const std::string& path,
                              const PcapOptions& options) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"cannot create the capture file (check the directory exists and is writable)", path};
    auto stats = write_pcap(events, out, options);
    if (!stats) return Error{stats.error().what, path};
    out.close();
    if (!out) return Error{"cannot write the capture file (disk full?)", path};
    return stats;
}

}  // namespace postino::exporter
