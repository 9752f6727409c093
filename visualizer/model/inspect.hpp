// inspect.hpp — one event seen layer by layer, for the event inspector:
// the application line (protocol, direction, octets and where they sit in
// the connection's byte stream), the TCP segments that carried those octets
// (seq/ack/flags/len, retransmissions, losses), and the link transfer (sent
// when, received when, how long it took, or why it was lost).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/trace_model.hpp"

namespace postino::viz {

struct SegmentInfo {
    std::uint32_t ev = kNone;  // the segment's send event
    std::string flags;
    std::int64_t seqno = 0, ackno = 0, len = 0;
    bool retransmit = false;
    std::string fate;          // "received", "lost (reason)", "in flight"
    std::int64_t t_send = 0, t_end = -1;
};

struct Transfer {
    std::string from, to;
    std::uint32_t send_ev = kNone, end_ev = kNone;
    std::int64_t t_send = 0, t_end = -1;
    bool lost = false;
    bool one_sided = false;
    std::string lost_reason;
};

struct EventLayers {
    // application
    bool has_line = false;
    std::string proto, dir, bytes;
    std::int64_t stream_offset = -1;  // first octet in the sender's stream (TCP seq - 1)
    // transport
    std::vector<SegmentInfo> segments;  // that carried the line, or the segment itself
    std::vector<std::uint32_t> carried_lines;  // a segment: the line sends whose octets it carried
    bool is_segment = false;
    // link
    bool has_transfer = false;
    Transfer transfer;
    // raw payload of a datagram
    std::string payload;
};

EventLayers layers_of(const TraceModel& m, std::uint32_t i);

// The event's fields as (key, value) rows, bytes made visible.
std::vector<std::pair<std::string, std::string>> field_rows(const trace::Event& e);

}  // namespace postino::viz
