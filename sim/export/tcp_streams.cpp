// tcp_streams.cpp — per-direction TCP byte streams from "line" events and,
// after STARTTLS, "tls" record events (see tcp_streams.hpp).
#include "export/tcp_streams.hpp"

namespace postino::exporter {

TcpStreams TcpStreams::from_trace(const std::vector<trace::Event>& events) {
    TcpStreams s;
    for (const trace::Event& e : events) {
        if (e.conn == 0 || e.get_str("dir") != "send") continue;
        // After STARTTLS the wire carries the "tls" records; the lines they
        // carry (tls: true) are there for people, not for the stream.
        const bool line = e.kind == "line" && !e.get_bool("tls").value_or(false);
        const bool record = e.kind == "tls" && e.get_str("ev") == "record";
        if (!line && !record) continue;
        s.streams_[{e.conn, e.host}] += e.get_bytes("bytes");
    }
    return s;
}

std::string_view TcpStreams::stream(std::uint64_t conn, std::string_view sender) const {
    auto it = streams_.find({conn, std::string(sender)});
    return it == streams_.end() ? std::string_view{} : std::string_view(it->second);
}

std::optional<std::uint64_t> stream_offset(std::int64_t seqno, bool syn) {
    const std::int64_t first_data = seqno + (syn ? 1 : 0);  // the SYN occupies one sequence number
    if (seqno < 0 || first_data < 1) return std::nullopt;
    return static_cast<std::uint64_t>(first_data - 1);
}

std::string_view TcpStreams::payload(std::uint64_t conn, std::string_view sender, std::int64_t seqno, bool syn,
                                     std::uint64_t len) const {
    const auto offset = stream_offset(seqno, syn);
    if (!offset || len == 0) return {};
    const std::string_view all = stream(conn, sender);
    if (*offset >= all.size()) return {};
    return all.substr(static_cast<std::size_t>(*offset), static_cast<std::size_t>(len));
}

}  // namespace postino::exporter
