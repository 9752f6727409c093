// tcp_streams.hpp — the byte stream of each direction of each TCP
// connection, rebuilt from a trace.
//
// Segment events carry sequence numbers and lengths but no payload
// (docs/trace-format.md). The payload is in the "line" events: the stream a
// host sends on connection `conn` is the concatenation, in trace order, of
// its "line" events with dir = "send" on that connection (message content,
// verb "DATA-CONTENT", included); after STARTTLS, the "tls" record events
// with dir = "send" instead of the lines they carry (those have tls: true).
// Sequence numbers are relative and the SYN
// takes number 0 (RFC 9293 §3.4), so stream octet k has sequence number
// k + 1 and a segment with seqno s and len n carries octets [s-1, s-1+n)
// ([s, s+n) if it also carries SYN).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/trace.hpp"

namespace postino::exporter {

class TcpStreams {
public:
    static TcpStreams from_trace(const std::vector<trace::Event>& events);

    // The whole stream `sender` wrote on `conn` ("" when it wrote nothing).
    [[nodiscard]] std::string_view stream(std::uint64_t conn, std::string_view sender) const;

    // The payload of a segment: up to `len` octets of the stream from the
    // sequence number `seqno` (with SYN: seqno + 1) on. Shorter than `len`
    // when the trace's lines do not cover the segment; never invented.
    [[nodiscard]] std::string_view payload(std::uint64_t conn, std::string_view sender, std::int64_t seqno, bool syn,
                                           std::uint64_t len) const;

    [[nodiscard]] std::size_t size() const { return streams_.size(); }

private:
    std::map<std::pair<std::uint64_t, std::string>, std::string> streams_;
};

// Stream offset of the first payload octet of a segment, or nullopt when the
// sequence number cannot carry data (a negative seqno, or 0 without SYN).
std::optional<std::uint64_t> stream_offset(std::int64_t seqno, bool syn);

}  // namespace postino::exporter
