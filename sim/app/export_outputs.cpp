// export_outputs.cpp — opening, writing and summarising the exporters'
// files (see export_outputs.hpp).
#include "app/export_outputs.hpp"

#include <algorithm>
#include <string_view>

#include "export/mermaid_export.hpp"
#include "export/pcap_export.hpp"

namespace postino::app {
namespace {

// How many host addresses the pcap summary spells out.
constexpr std::size_t kMaxListedAddresses = 12;

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

struct DiagramCounts {
    std::uint64_t participants = 0, arrows = 0, notes = 0;
};

// Counts what export_mermaid drew: its body lines are indented by four
// spaces and start with "participant", "Note over" or an arrow.
DiagramCounts count_diagram(std::string_view text) {
    DiagramCounts c;
    while (!text.empty()) {
        const std::size_t lf = text.find('\n');
        const std::string_view line = text.substr(0, lf);
        if (line.starts_with("    participant ")) ++c.participants;
        else if (line.starts_with("    Note over ")) ++c.notes;
        else if (line.starts_with("    ")) ++c.arrows;
        if (lf == std::string_view::npos) break;
        text.remove_prefix(lf + 1);
    }
    return c;
}

}  // namespace

bool mermaid_fenced_for(const std::string& path) { return !std::string_view(path).ends_with(".mmd"); }

Result<std::unique_ptr<ExportOutputs>> ExportOutputs::open(const ExportArgs& args) {
    auto o = std::make_unique<ExportOutputs>();
    o->args_ = args;
    if (!args.pcap.empty() && args.pcap == args.mermaid) {
        return Error{"--pcap and --mermaid name the same file; give each its own", args.pcap};
    }
    if (!args.pcap.empty()) {
        o->pcap_.open(args.pcap, std::ios::binary | std::ios::trunc);
        if (!o->pcap_) return Error{"cannot create the capture file (check the directory exists and is writable)", args.pcap};
    }
    if (!args.mermaid.empty()) {
        o->mermaid_.open(args.mermaid, std::ios::binary | std::ios::trunc);
        if (!o->mermaid_) return Error{"cannot create the Mermaid file (check the directory exists and is writable)", args.mermaid};
    }
    return o;
}

Status ExportOutputs::write(const std::vector<trace::Event>& events, std::ostream& out) {
    if (!args_.pcap.empty()) {
        auto stats = exporter::write_pcap(events, pcap_);
        if (!stats) return Error{stats.error().what, args_.pcap};
        pcap_.close();
        if (!pcap_) return Error{"cannot write the capture file (disk full?)", args_.pcap};
        out << "pcap written to " << args_.pcap << ": " << plural(stats->frames, "frame", "frames") << " ("
            << stats->tcp_frames << " TCP, " << stats->udp_frames << " UDP";
        if (stats->lost_frames != 0) out << ", " << stats->lost_frames << " lost on the way";
        out << "), " << plural(stats->addresses.size(), "host", "hosts") << ", ";
        out << (stats->warnings_total == 0 ? std::string("no warnings")
                                           : plural(stats->warnings_total, "warning", "warnings"))
            << "\n";
        // Which synthetic address is which host: what a Wireshark user needs first.
        std::vector<exporter::HostAddress> by_ip = stats->addresses;
        std::sort(by_ip.begin(), by_ip.end(), [](const auto& a, const auto& b) { return a.ip < b.ip; });
        out << "  addresses:";
        for (std::size_t i = 0; i < by_ip.size() && i < kMaxListedAddresses; ++i) {
            out << (i == 0 ? " " : ", ") << by_ip[i].host << " " << by_ip[i].ip_text();
        }
        if (stats->addresses.size() > kMaxListedAddresses) {
            out << " and " << stats->addresses.size() - kMaxListedAddresses << " more";
        }
        out << "\n";
        for (const auto& w : stats->warnings) out << "  warning: " << w << "\n";
    }
    if (!args_.mermaid.empty()) {
        exporter::MermaidOptions mo;
        mo.fold_tcp = !args_.mermaid_segments;
        mo.fenced = mermaid_fenced_for(args_.mermaid);
        mo.italian = args_.italian;
        const std::string diagram = exporter::export_mermaid(events, mo);
        mermaid_ << diagram;
        mermaid_.close();
        if (!mermaid_) return Error{"cannot write the Mermaid file (disk full?)", args_.mermaid};
        const DiagramCounts c = count_diagram(diagram);
        out << "mermaid written to " << args_.mermaid << ": " << plural(c.participants, "participant", "participants")
            << ", " << plural(c.arrows, "arrow", "arrows") << ", " << plural(c.notes, "note", "notes")
            << (mo.fold_tcp ? " (TCP folded: one arrow per connection)" : " (every TCP segment)") << "\n";
    }
    return {};
}

}  // namespace postino::app
