// inspect.cpp — layers of an event for the inspector.
#include "model/inspect.hpp"

#include <algorithm>

#include "core/trace_describe.hpp"

namespace postino::viz {
namespace {

constexpr std::uint32_t kScanLimit = 200'000;  // events looked at around a selection

Transfer transfer_of(const TraceModel& m, std::uint32_t arrow) {
    Transfer t;
    const Arrow& a = m.arrow(arrow);
    t.from = m.host_name(a.src);
    t.to = m.host_name(a.dst);
    t.send_ev = a.from_ev;
    t.end_ev = a.to_ev;
    t.t_send = a.t0;
    t.t_end = a.t1;
    t.lost = (a.flags & flag::lost) != 0;
    t.one_sided = (a.flags & flag::one_sided) != 0;
    if (t.lost && a.to_ev != kNone) {
        const trace::Event e = m.full(a.to_ev);
        t.lost_reason = e.get_str("reason");
    }
    return t;
}

SegmentInfo segment_info(const TraceModel& m, std::uint32_t send_ev) {
    SegmentInfo s;
    const trace::Event e = m.full(send_ev);
    s.ev = send_ev;
    s.flags = e.get_str("flags");
    s.seqno = e.get_int("seqno").value_or(0);
    s.ackno = e.get_int("ackno").value_or(0);
    s.len = e.get_int("len").value_or(0);
    s.retransmit = e.get_bool("retransmit").value_or(false);
    s.t_send = m.ev(send_ev).t;
    const std::uint32_t a = m.ev(send_ev).arrow;
    if (a != kNone && m.arrow(a).done()) {
        const Arrow& ar = m.arrow(a);
        s.t_end = ar.t1;
        if (ar.flags & flag::lost) {
            const std::string reason = m.full(ar.to_ev).get_str("reason");
            s.fate = "lost" + (reason.empty() ? std::string() : " (" + reason + ")");
        } else {
            s.fate = "received";
        }
    } else {
        s.fate = "not received in this trace";
    }
    return s;
}

}  // namespace

EventLayers layers_of(const TraceModel& m, std::uint32_t i) {
    EventLayers L;
    if (i >= m.size()) return L;
    const Ev& v = m.ev(i);
    const trace::Event e = m.full(i);
    if (v.arrow != kNone) {
        L.has_transfer = true;
        L.transfer = transfer_of(m, v.arrow);
    }
    if (v.kind == Kind::datagram) L.payload = e.get_bytes("bytes");
    if (v.kind == Kind::line) {
        L.has_line = true;
        L.proto = e.get_str("proto");
        L.dir = e.get_str("dir");
        L.bytes = e.get_bytes("bytes");
        if (v.aux != kNone && !(L.has_transfer && L.transfer.one_sided)) L.stream_offset = v.aux;
        if (L.stream_offset >= 0 && v.conn != 0) {
            // Segments from the sender on this connection whose octets overlap the line's.
            const std::uint32_t sender = L.dir == "send" ? v.host : v.peer;
            const auto lo = static_cast<std::int64_t>(L.stream_offset);
            const auto hi = lo + static_cast<std::int64_t>(L.bytes.size());
            std::uint32_t start = i;
            if (L.dir != "send" && L.has_transfer && L.transfer.send_ev != kNone) start = L.transfer.send_ev;
            const std::uint32_t stop = static_cast<std::uint32_t>(std::min<std::size_t>(m.size(), start + kScanLimit));
            for (std::uint32_t j = start; j < stop; ++j) {
                const Ev& s = m.ev(j);
                if (s.kind == Kind::tcp && s.conn == v.conn && s.host == sender) {
                    // The sender's side of the connection ended: nothing more will carry these octets.
                    const std::string ev = m.full(j).get_str("ev");
                    if (ev == "closed" || ev == "reset" || ev == "abort" || ev == "timeout") break;
                }
                if (s.kind != Kind::segment || s.conn != v.conn || s.host != sender) continue;
                if (s.arrow == kNone || m.arrow(s.arrow).from_ev != j) continue;  // sends only
                SegmentInfo si = segment_info(m, j);
                if (si.len == 0) continue;
                const std::int64_t a = si.seqno - 1, b = a + si.len;
                if (a < hi && b > lo) L.segments.push_back(std::move(si));
            }
        }
    }
    if (v.kind == Kind::segment) {
        L.is_segment = true;
        const std::uint32_t send = v.arrow != kNone ? m.arrow(v.arrow).from_ev : i;
        L.segments.push_back(segment_info(m, send));
        const SegmentInfo& s = L.segments.back();
        if (s.len > 0 && v.conn != 0) {
            const std::uint32_t sender = m.ev(send).host;
            const std::int64_t a = s.seqno - 1, b = a + s.len;
            const std::uint32_t stop = send > kScanLimit ? send - kScanLimit : 0;
            for (std::uint32_t j = send + 1; j-- > stop;) {
                const Ev& l = m.ev(j);
                if (l.kind != Kind::line || l.conn != v.conn || l.host != sender || l.aux == kNone) continue;
                if (l.arrow == kNone || m.arrow(l.arrow).from_ev != j) continue;
                const std::int64_t lo = l.aux;
                const std::int64_t hi = lo + static_cast<std::int64_t>(m.full(j).get_bytes("bytes").size());
                if (lo < b && hi > a) L.carried_lines.push_back(j);
                if (hi <= a) break;  // earlier lines lie before this segment
            }
            std::reverse(L.carried_lines.begin(), L.carried_lines.end());
        }
    }
    return L;
}

std::vector<std::pair<std::string, std::string>> field_rows(const trace::Event& e) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& f : e.fields) {
        std::string v;
        if (const auto* n = std::get_if<std::int64_t>(&f.value)) v = std::to_string(*n);
        else if (const auto* b = std::get_if<bool>(&f.value)) v = *b ? "true" : "false";
        else if (const auto* s = std::get_if<std::string>(&f.value)) v = *s;
        else if (const auto* o = std::get_if<trace::Bytes>(&f.value)) v = trace::visible(o->data, 400);
        rows.emplace_back(f.key, v);
    }
    return rows;
}

}  // namespace postino::viz
