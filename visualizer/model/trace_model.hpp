// trace_model.hpp — a loaded trace, indexed for the visualizer.
//
// Holds the trace's text (the JSON lines as read), one compact record per
// event (time, hosts, kind, category, flags, label), the full parsed event
// for the kinds whose fields the reconstructed state needs (everything but
// segments, datagrams and lines, which are re-read from their line on
// demand), the interned host names (the lanes), and the arrows of the
// sequence diagram: each packet or application line from its sending event to
// the event that received it (or lost it).
//
// Input is fed in chunks (a whole file, or the growth of a file in follow
// mode); complete lines are validated exactly as trace::read_trace does, with
// a fast path for canonical lines (fast_line.hpp). The first problem stops the
// reading and is kept as `file:line: what`; the events before it stay usable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"
#include "model/types.hpp"

namespace postino::viz {

// One event, compactly.
struct Ev {
    std::int64_t t = 0;          // simulated ns
    std::uint64_t off = 0;       // its line in TraceModel::text()
    std::uint64_t conn = 0;
    std::uint32_t len = 0;       // length of the line
    std::uint32_t host = 0;      // host id (0: the world, "")
    std::uint32_t peer = 0;      // host id of the other end (0: none)
    // fault events: host id of the target (0: not a host); lines: the offset
    // of their first octet in the sender's stream on the connection (kNone if
    // beyond 4 GiB), which is the TCP sequence number minus one.
    std::uint32_t aux = 0;
    std::uint32_t detail = kNone;  // index in TraceModel's parsed details
    std::uint32_t arrow = kNone;   // the arrow this event starts or ends
    std::uint32_t label_off = 0;
    std::uint16_t label_len = 0;
    std::uint16_t flags = 0;
    Kind kind = Kind::note;
    Cat cat = Cat::note;
    Mark mark = Mark::none;
};

// A packet or application line travelling from one lane to another.
struct Arrow {
    std::int64_t t0 = 0;
    std::int64_t t1 = -1;          // -1 while (or if never) received
    std::uint32_t from_ev = kNone; // the sending event (for one-sided arrows, the receiving one)
    std::uint32_t to_ev = kNone;   // the receiving or losing event
    std::uint32_t src = 0;         // host ids
    std::uint32_t dst = 0;
    std::uint32_t covered_by = kNone;  // a data segment's first transmission: the line arrow it carries
    std::uint16_t flags = 0;
    Kind kind = Kind::segment;     // segment, datagram or line
    Cat cat = Cat::tcp;
    [[nodiscard]] bool done() const { return to_ev != kNone; }
};

class TraceModel {
public:
    explicit TraceModel(std::string name = "trace");

    // Reads a whole file. Never throws: problems end up in error().
    static TraceModel load_file(const std::string& path);
    // Reads a whole text (tests, fixtures).
    static TraceModel from_text(std::string_view text, std::string name);

    // Appends input; every complete line is read. finish() reads a last line
    // that has no '\n' and reports an empty input.
    void feed(std::string_view chunk);
    void finish();

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] bool has_header() const { return lines_ >= 1 && !header_error_; }
    [[nodiscard]] const trace::Header& header() const { return header_; }
    [[nodiscard]] const std::optional<Error>& error() const { return error_; }
    [[nodiscard]] std::uint64_t bytes_fed() const { return text_.size(); }

    [[nodiscard]] std::size_t size() const { return events_.size(); }
    [[nodiscard]] bool empty() const { return events_.empty(); }
    [[nodiscard]] const Ev& ev(std::size_t i) const { return events_[i]; }
    [[nodiscard]] std::span<const Ev> events() const { return events_; }
    [[nodiscard]] std::string_view line(std::size_t i) const;
    [[nodiscard]] static std::size_t line_number(std::size_t i) { return i + 2; }  // line 1 is the header
    [[nodiscard]] std::string_view label(std::size_t i) const;
    // The full event: parsed details for stateful kinds, the line re-read otherwise.
    [[nodiscard]] trace::Event full(std::size_t i) const;
    [[nodiscard]] const trace::Event* detail(std::size_t i) const;

    [[nodiscard]] std::size_t host_count() const { return hosts_.size(); }  // including 0, the world
    [[nodiscard]] const std::string& host_name(std::uint32_t id) const { return hosts_[id]; }
    [[nodiscard]] std::optional<std::uint32_t> host_id(std::string_view name) const;
    // The hosts (ids >= 1) in lane order: by first appearance in an event of
    // their own or as a peer, so the story reads left to right (sender, its
    // server, DNS, the destination); hosts seen only as a fault's target or
    // in a crash come last.
    [[nodiscard]] std::vector<std::uint32_t> lane_order() const;
    // True when the host reports events itself (not only appears as a peer).
    [[nodiscard]] bool host_emits(std::uint32_t id) const { return id < emits_.size() && emits_[id]; }

    [[nodiscard]] std::span<const Arrow> arrows() const { return arrows_; }
    [[nodiscard]] const Arrow& arrow(std::size_t a) const { return arrows_[a]; }
    // Arrows not yet received (ordered). Those to a host that never reports
    // events are one-sided, not in flight.
    [[nodiscard]] const std::set<std::uint32_t>& open_arrows() const { return open_; }
    // Arrows that took longer than kShortSpan (in the order they arrived). Every other arrow
    // is at most that long, so a time window's arrows are those starting at
    // most kShortSpan before it, plus these, plus the open ones.
    static constexpr std::int64_t kShortSpan = 100'000'000;  // 100 ms
    [[nodiscard]] const std::vector<std::uint32_t>& long_arrows() const { return long_; }

    [[nodiscard]] const std::vector<std::uint32_t>& marked(Mark m) const { return marks_[static_cast<std::size_t>(m)]; }
    [[nodiscard]] const std::vector<std::uint32_t>& notes() const { return notes_; }
    // The events that are not transfers (not a segment, datagram or line), in
    // order: the sequence diagram's markers, found without walking the
    // transfers between them (a million-event view has few of these).
    [[nodiscard]] const std::vector<std::uint32_t>& non_transfers() const { return non_transfers_; }
    [[nodiscard]] const std::vector<std::uint32_t>& messages() const { return messages_; }
    // Which categories occur (for the filter checkboxes).
    [[nodiscard]] bool has_cat(Cat c) const { return cat_seen_[static_cast<std::size_t>(c)]; }


private:
    void read_line(std::string_view line, std::uint64_t off);
    void ingest(const trace::Event& e, std::uint64_t off, std::uint32_t len);
    std::uint32_t intern(std::string_view host);
    void build_arrow(const trace::Event& e, std::uint32_t i);
    void fail(std::size_t lineno, std::string what);

    struct LineSpan {
        std::uint64_t start, end;
        std::int64_t t0;
        std::uint32_t arrow;
    };
    struct Stream {  // the application bytes one host sends on one connection
        std::uint64_t sent = 0, received = 0;
        std::vector<LineSpan> pending;  // sent, not yet fully received
        std::vector<LineSpan> recent;   // for matching data segments
    };
    static std::uint64_t stream_key(std::uint64_t conn, std::uint32_t host) { return (conn << 24) ^ host; }

    std::string name_;
    std::string text_;
    std::uint64_t consumed_ = 0;  // text_ before this offset has been read as lines
    std::size_t lines_ = 0;
    bool header_error_ = false;
    bool finished_ = false;
    trace::Header header_;
    std::optional<Error> error_;

    std::vector<Ev> events_;
    std::vector<trace::Event> details_;
    std::string label_pool_;
    std::vector<std::string> hosts_;
    std::vector<bool> emits_;
    std::vector<bool> active_;               // per host: placed in active_order_
    std::vector<std::uint32_t> active_order_;
    std::unordered_map<std::string, std::uint32_t> host_ids_;
    std::vector<Arrow> arrows_;
    std::set<std::uint32_t> open_;
    std::vector<std::uint32_t> long_;
    std::vector<std::uint32_t> marks_[kMarkCount];
    std::vector<std::uint32_t> notes_;
    std::vector<std::uint32_t> non_transfers_;
    std::vector<std::uint32_t> messages_;
    bool cat_seen_[kCatCount] = {};

    // Pairing state.
    std::unordered_map<std::int64_t, std::uint32_t> packets_;  // packet id*2 (+1 datagrams) -> arrow
    std::unordered_map<std::uint64_t, Stream> streams_;
    std::unordered_map<std::uint64_t, std::uint32_t> conn_client_;  // conn -> host that connected
    std::set<std::uint64_t> handshakes_;                           // conns whose handshake is marked
    std::map<std::uint32_t, std::int64_t> host_fault_t_;           // host -> time of its last host-down begin/end

    trace::Event scratch_;
    std::int64_t last_t_ = 0;
    std::string last_host_;
    std::uint32_t last_host_id_ = 0;
};

}  // namespace postino::viz
