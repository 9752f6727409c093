// trace.hpp — the trace model: typed events, sinks and the recorder
// (DESIGN.md §2.3). The JSON Lines form is specified in docs/trace-format.md.
//
// An Event has a fixed head — sequence number, simulated time, kind, host,
// peer, connection id — and an ordered list of fields. Field order is part of
// the format: the writer emits fields in the order they were set, so the
// same run always produces the same bytes. Which fields each kind must carry
// is declared once, in trace_schema.cpp, and checked by the reader.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/cache_line.hpp"
#include "core/time.hpp"

namespace postino::trace {

// Raw octets (protocol bytes, datagram payloads). Written to JSON so that every
// byte round-trips exactly: see docs/trace-format.md, "bytes fields".
struct Bytes {
    std::string data;
    bool operator==(const Bytes&) const = default;
};

using Value = std::variant<std::int64_t, bool, std::string, Bytes>;

struct Field {
    std::string key;
    Value value;
    bool operator==(const Field&) const = default;
};

struct Event {
    std::uint64_t seq = 0;
    Time t{};
    std::string kind;
    std::string host;
    std::string peer;
    std::uint64_t conn = 0;  // 0: not tied to a connection
    std::vector<Field> fields;

    Event() = default;
    Event(std::string kind_, std::string host_, std::string peer_ = {}, std::uint64_t conn_ = 0)
        : kind(std::move(kind_)), host(std::move(host_)), peer(std::move(peer_)), conn(conn_) {}

    Event& set(std::string_view key, std::int64_t v) & { slot(key).emplace<std::int64_t>(v); return *this; }
    Event& set(std::string_view key, int v) & { slot(key).emplace<std::int64_t>(v); return *this; }
    Event& set(std::string_view key, std::uint64_t v) & {
        slot(key).emplace<std::int64_t>(static_cast<std::int64_t>(v));
        return *this;
    }
    Event& set(std::string_view key, bool v) & { slot(key).emplace<bool>(v); return *this; }
    Event& set(std::string_view key, std::string v) & { slot(key).emplace<std::string>(std::move(v)); return *this; }
    Event& set(std::string_view key, const char* v) & { slot(key).emplace<std::string>(v); return *this; }
    Event& set(std::string_view key, std::string_view v) & { slot(key).emplace<std::string>(v); return *this; }
    Event& set_bytes(std::string_view key, std::string_view raw) & {
        slot(key).emplace<Bytes>().data.assign(raw);
        return *this;
    }
    // The same on a temporary, giving it back as one: `emit(Event(...).set(...))`
    // then moves the event into emit instead of copying it (with its bytes).
    template <typename V>
    Event&& set(std::string_view key, V&& v) && {
        static_cast<Event&>(*this).set(key, std::forward<V>(v));
        return std::move(*this);
    }
    Event&& set_bytes(std::string_view key, std::string_view raw) && {
        static_cast<Event&>(*this).set_bytes(key, raw);
        return std::move(*this);
    }

    [[nodiscard]] const Value* find(std::string_view key) const;
    [[nodiscard]] std::optional<std::int64_t> get_int(std::string_view key) const;
    [[nodiscard]] std::optional<bool> get_bool(std::string_view key) const;
    [[nodiscard]] std::string get_str(std::string_view key) const;   // "" when absent
    [[nodiscard]] std::string get_bytes(std::string_view key) const; // "" when absent
    // The same without a copy: a view into the event ("" when absent).
    [[nodiscard]] std::string_view str_view(std::string_view key) const;
    [[nodiscard]] std::string_view bytes_view(std::string_view key) const;

    bool operator==(const Event&) const = default;

    // Fields an event usually carries at most (a TCP segment has 8 to 10):
    // the first set() reserves room for them, so building an event
    // allocates its field list once.
    static constexpr std::size_t kTypicalFields = 10;

private:
    // The value of `key`: the existing field's, or a new last field's.
    Value& slot(std::string_view key);
};

// A packet event — kind "segment" (a TCP segment) or "datagram" (a UDP
// datagram), more than half of the events of a run — as a typed record. The
// recorder encodes it straight into its canonical line (the same bytes as the
// Event that to_event() gives) and builds that Event only for a sink that
// asks for it. The views must outlive the emit_packet() call.
struct PacketRecord {
    bool tcp = true;              // "segment", else "datagram"
    std::string_view host, peer;  // peer "" is left out, as in an Event
    std::uint64_t conn = 0;       // segment only; 0 is left out
    std::string_view ev;          // send, recv, lost
    std::uint64_t id = 0;
    std::string_view flags;       // segment only
    std::uint64_t seqno = 0, ackno = 0;  // segment only
    std::uint64_t len = 0;
    int sport = 0, dport = 0;
    bool retransmit = false;      // segment only: written when true
    std::string_view bytes;       // datagram only: the payload
    const char* reason = nullptr; // written when not null
    // host, peer, ev and flags view strings that stay valid and unchanged
    // until the recorder is closed (hosts' names, literals): a recorder on
    // a worker thread keeps these views instead of copying what they show.
    bool stable_names = false;

    // The same event as an Event (seq and t left 0), fields in the order
    // the line has them.
    [[nodiscard]] Event to_event() const;
};

// An SMTP command, reply or message-content line — kind "line" with proto
// "smtp", the most frequent event after packets — as a typed record, encoded
// and handed to sinks like a PacketRecord. The views must outlive the
// emit_smtp_line() call.
struct SmtpLineRecord {
    std::string_view host, peer;  // peer "" is left out, as in an Event
    std::uint64_t conn = 0;       // 0 is left out
    bool send = true;             // dir "send", else "recv"
    std::string_view bytes;       // the octets of the line(s)
    std::string_view verb;        // commands, "DATA-CONTENT": written when not empty
    bool has_code = false;        // replies: `code` is written
    int code = 0;
    std::string_view enhanced;    // replies: written when not empty
    bool tls = false;             // written when true
    bool stable_names = false;    // host and peer: as in PacketRecord

    // The same event as an Event (seq and t left 0): fields proto, dir,
    // bytes, then verb, code, enhanced, tls when present.
    [[nodiscard]] Event to_event() const;
};

// A TCP connection event — kind "tcp": connect, established, closed … —
// as a typed record, encoded and handed to sinks like a PacketRecord. The
// views must outlive the emit_tcp() call.
struct TcpRecord {
    std::string_view host, peer;  // peer "" is left out, as in an Event
    std::uint64_t conn = 0;       // 0 is left out
    std::string_view ev;
    int sport = 0, dport = 0;
    const char* reason = nullptr;  // written when not null
    bool stable_names = false;     // host, peer and ev: as in PacketRecord

    // The same event as an Event (seq and t left 0): fields ev, sport,
    // dport, then reason when present.
    [[nodiscard]] Event to_event() const;
};

// The Event of a typed record (PacketRecord, SmtpLineRecord, TcpRecord), built on the
// first get() only.
template <typename Record>
class LazyEvent {
public:
    LazyEvent(const Record& r, std::uint64_t seq, Time t) : r_(r), seq_(seq), t_(t) {}
    const Event& get() const {
        if (!event_) {
            event_ = r_.to_event();
            event_->seq = seq_;
            event_->t = t_;
        }
        return *event_;
    }

private:
    const Record& r_;
    std::uint64_t seq_;
    Time t_;
    mutable std::optional<Event> event_;
};
using LazyPacketEvent = LazyEvent<PacketRecord>;
using LazySmtpLineEvent = LazyEvent<SmtpLineRecord>;
using LazyTcpEvent = LazyEvent<TcpRecord>;

class TraceBatch;
class TraceWorker;

// The first line of every trace file.
struct Header {
    int version = 1;
    std::uint64_t seed = 0;
    std::string scenario;
    std::string generator;
    bool operator==(const Header&) const = default;
};

inline constexpr int kFormatVersion = 1;
inline constexpr std::uint64_t kFingerprintSeed = 0x243f6a8885a308d3ULL;  // digits of pi

// Receives every event as it is recorded.
class Sink {
public:
    virtual ~Sink() = default;
    virtual void on_event(const Event& e) = 0;
    // What the recorder calls: the event and its canonical JSON line (with
    // the '\n'), the bytes it hashed. A sink that writes lines overrides
    // this to skip encoding the event again.
    virtual void on_event_line(const Event& e, std::string_view /*line*/) { on_event(e); }
    // What the recorder calls for a packet event (PacketRecord): the record,
    // its line, and the Event built on demand. A sink that needs no Event for
    // packets overrides this; by default it sees the Event as any other.
    virtual void on_packet_line(const PacketRecord& /*p*/, std::string_view line, const LazyPacketEvent& e) {
        on_event_line(e.get(), line);
    }
    // The same for an SMTP line event (SmtpLineRecord).
    virtual void on_smtp_line(const SmtpLineRecord& /*r*/, std::string_view line, const LazySmtpLineEvent& e) {
        on_event_line(e.get(), line);
    }
    // And for a TCP connection event (TcpRecord).
    virtual void on_tcp_line(const TcpRecord& /*r*/, std::string_view line, const LazyTcpEvent& e) {
        on_event_line(e.get(), line);
    }
};

// Encodes events as canonical JSON lines (trace_json.hpp) into one reused
// buffer: the line, with its '\n', stays valid until the next encode().
class LineEncoder {
public:
    std::string_view encode(const Event& e);
    // The line of a packet record stamped with `seq` and `t`: the same bytes
    // as encode() of its Event.
    std::string_view encode(const PacketRecord& r, std::uint64_t seq, Time t);
    std::string_view encode(const SmtpLineRecord& r, std::uint64_t seq, Time t);
    std::string_view encode(const TcpRecord& r, std::uint64_t seq, Time t);

    // The decimal form of the last value written for one head number:
    // a recorder's sequence numbers go up by one and most events share the
    // time of the one before, so the digits are copied or bumped, not
    // computed again.
    struct Decimal {
        std::int64_t value = 0;
        std::uint8_t size = 0;  // 0: nothing cached yet
        char digits[20] = {};
    };

private:
    char* reserve(std::size_t bound);
    char* put_head(char* p, std::uint64_t seq, Time t);
    std::unique_ptr<char[]> buffer_;
    std::size_t capacity_ = 0;
    Decimal seq_, t_;
};

// Keeps every event in memory (tests, the visualizer, expectations).
class MemorySink final : public Sink {
public:
    void on_event(const Event& e) override { events.push_back(e); }
    std::vector<Event> events;
};

// The recorder every agent reports to. It stamps each event with the
// current simulated time and the next sequence number, keeps the running
// fingerprint of the canonical bytes, and forwards the event to its sinks.
class Recorder {
public:
    // `clock` gives the current time: the scheduler's in a simulation, the
    // wall clock's offset from start in sim/wire.
    explicit Recorder(std::function<Time()> clock);

    ~Recorder();
    void add_sink(Sink* sink) { sinks_.push_back(sink); }
    // From now on, lines, the fingerprint and the sinks are done on a second
    // thread (trace_worker.hpp) while the caller goes on: a sink may then be
    // read only after drain(). A sink that throws stops the caller at its
    // next batch or at drain(), with that exception.
    void use_worker_thread();
    // Waits until every sink has seen every event recorded so far; rethrows
    // a sink's exception. A recorder without a worker has nothing to wait for.
    void drain();
    // Stops the worker without throwing and forgets the sinks, which their
    // owner is about to destroy; events recorded after it are only hashed.
    void close() noexcept;
    void emit(Event e);
    // A packet event, without building an Event unless a sink needs one.
    void emit_packet(const PacketRecord& p);
    // An SMTP line event, the same way.
    void emit_smtp_line(const SmtpLineRecord& r);
    // A TCP connection event, the same way.
    void emit_tcp(const TcpRecord& r);

    // Both wait for the worker first (drain()).
    [[nodiscard]] std::uint64_t fingerprint() const;
    [[nodiscard]] std::string fingerprint_hex() const;
    [[nodiscard]] std::uint64_t count() const { return next_seq_; }

private:
    // Line, hash and sinks of one event: on the caller's thread, or on the
    // worker's for a whole batch.
    void deliver(const Event& e);
    void deliver(const PacketRecord& p, std::uint64_t seq, Time t);
    void deliver(const SmtpLineRecord& r, std::uint64_t seq, Time t);
    void deliver(const TcpRecord& r, std::uint64_t seq, Time t);
    void deliver(const TraceBatch& b);
    // The emit of a typed record: stamped here, then batched or delivered.
    template <typename Record>
    void emit_record(const Record& r);

    // Used by the thread that emits (the simulation's) at every event.
    std::function<Time()> clock_;
    std::uint64_t next_seq_ = 0;
    std::unique_ptr<TraceWorker> worker_;
    // Used by whichever thread delivers (the worker, when there is one) at
    // every event: on cache lines of their own. When the sinks shared a line
    // with next_seq_, each event's write of next_seq_ took the line from the
    // worker and the worker's next read of the sinks took it back (false
    // sharing, docs/BENCHMARKS.md "Seventh round").
    alignas(kCacheLineOctets) std::vector<Sink*> sinks_;
    std::uint64_t hash_ = kFingerprintSeed;
    LineEncoder encoder_;

public:
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;
};

// The fingerprint hash: a 64-bit multiply-xorshift hash over the bytes read
// as little-endian 8-octet words (the tail zero-padded, its length mixed
// in), chained from `h`. Portable (no endianness or alignment assumptions)
// and eight times fewer steps than a byte-at-a-time hash.
std::uint64_t fingerprint_step(std::uint64_t h, std::string_view bytes);

// Fingerprint of a sequence of events: fingerprint_step chained over their
// canonical JSON lines (each followed by '\n'), as 16 lower-case hex digits.
// Equals the Recorder's fingerprint for the same events.
std::uint64_t fingerprint_of(const std::vector<Event>& events);
std::string hex64(std::uint64_t v);

}  // namespace postino::trace
