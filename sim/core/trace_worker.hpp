// trace_worker.hpp — the recorder's second thread: canonical lines, the
// fingerprint and the sinks of a trace, one batch of events at a time, while
// the simulation goes on (DESIGN.md §2.3; docs/BENCHMARKS.md, "The mail
// world").
//
// Determinism (DESIGN.md §2.2) is untouched: the simulation thread stamps
// every event with its sequence number and time as before and hands batches
// over in order; one worker encodes, hashes and calls the sinks in that same
// order. What changes is only when a sink sees an event: up to one batch and
// a few queued ones after it was recorded, so a sink may be read only after
// Recorder::drain(). Nothing in a simulation reads a sink while it runs.
// Sinks are added before the first event: the worker reads the recorder's
// list of sinks while the simulation records.
//
// Typed records (PacketRecord, SmtpLineRecord, TcpRecord) hold views into
// the caller's memory, valid only during the emit call: the batch copies
// what they view into its own arena, except the names a record marks as
// stable (stable_names: hosts' names, literals), which it keeps as views.
// Events are moved in whole.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/trace.hpp"

namespace postino::trace {

// One batch of recorded events, in order.
class TraceBatch {
public:
    void add(Event e);
    void add(const PacketRecord& r, std::uint64_t seq, Time t);
    void add(const SmtpLineRecord& r, std::uint64_t seq, Time t);
    void add(const TcpRecord& r, std::uint64_t seq, Time t);

    [[nodiscard]] std::size_t size() const { return items_.size(); }
    [[nodiscard]] bool empty() const { return items_.empty(); }
    void clear();

    // Calls f(event) or f(record, seq, t) for every event in order, with
    // typed records' views pointing into this batch.
    template <typename F>
    void visit(F&& f) const {
        for (const Item& it : items_) {
            switch (it.kind) {
            case Kind::Event: f(events_[it.index]); break;
            case Kind::Packet: f(restored(packets_[it.index]), it.seq, it.t); break;
            case Kind::SmtpLine: f(restored(lines_[it.index]), it.seq, it.t); break;
            case Kind::Tcp: f(restored(tcps_[it.index]), it.seq, it.t); break;
            }
        }
    }

private:
    enum class Kind : std::uint8_t { Event, Packet, SmtpLine, Tcp };
    struct Item {
        Kind kind;
        std::uint32_t index;  // into the vector of its kind
        std::uint64_t seq;
        Time t;
    };
    // Where a copied view lives in the arena.
    struct Span {
        std::uint32_t offset = 0, length = 0;
    };
    // A typed record with its views (and `reason`, where it has one)
    // replaced by spans.
    template <typename Record, std::size_t N>
    struct Kept {
        Record record;              // views cleared
        std::array<Span, N> views;  // in the order of views_of()
        Span reason;
    };
    // The views of each typed record, in one fixed order: first those that
    // `stable_names` covers (kept as they are when it is set), then the
    // others (always copied).
    static std::array<std::string_view*, 5> views_of(PacketRecord& r) { return {&r.host, &r.peer, &r.ev, &r.flags, &r.bytes}; }
    static std::array<std::string_view*, 5> views_of(SmtpLineRecord& r) {
        return {&r.host, &r.peer, &r.bytes, &r.verb, &r.enhanced};
    }
    static std::array<std::string_view*, 3> views_of(TcpRecord& r) { return {&r.host, &r.peer, &r.ev}; }
    static constexpr std::size_t stable_views_of(const PacketRecord&) { return 4; }
    static constexpr std::size_t stable_views_of(const SmtpLineRecord&) { return 2; }
    static constexpr std::size_t stable_views_of(const TcpRecord&) { return 3; }
    // The span of a view kept as it is (not in the arena).
    static constexpr std::uint32_t kUncopied = 0xFFFFFFFFU;

    template <typename Record, std::size_t N>
    void keep_record(std::vector<Kept<Record, N>>& into, Kind kind, const Record& r, std::uint64_t seq, Time t);
    template <typename Record, std::size_t N>
    Record restored(const Kept<Record, N>& k) const {
        Record r = k.record;
        auto views = views_of(r);
        for (std::size_t i = 0; i < N; ++i) {
            if (k.views[i].offset != kUncopied) *views[i] = std::string_view(arena_.data() + k.views[i].offset, k.views[i].length);
        }
        if constexpr (requires { r.reason; }) r.reason = k.reason.length == 0 ? nullptr : arena_.data() + k.reason.offset;
        return r;
    }
    // Copies `s` into the arena. The arena is a buffer that only grows (a
    // batch is reused after it is processed), written with one memcpy per
    // view: most views are host names of a dozen octets.
    Span keep(std::string_view s) {
        if (s.empty()) return {};
        if (s.size() > arena_.size() - used_) grow(s.size());
        const Span sp{static_cast<std::uint32_t>(used_), static_cast<std::uint32_t>(s.size())};
        std::memcpy(arena_.data() + used_, s.data(), s.size());
        used_ += s.size();
        return sp;
    }
    void grow(std::size_t more);

    std::vector<Item> items_;
    std::vector<Event> events_;
    std::vector<Kept<PacketRecord, 5>> packets_;
    std::vector<Kept<SmtpLineRecord, 5>> lines_;
    std::vector<Kept<TcpRecord, 3>> tcps_;
    std::string arena_;     // its size is the capacity; used_ octets are in use
    std::size_t used_ = 0;
};

// The thread that processes batches, in the order they were handed over.
// It starts with the first full batch: a run shorter than one batch (a
// sweep's seed, most scenarios) never starts it, and drain() processes its
// one batch on the caller's thread.
class TraceWorker {
public:
    // `process` runs on the worker thread, for one batch at a time.
    explicit TraceWorker(std::function<void(const TraceBatch&)> process);
    ~TraceWorker();  // stops after the batches already handed over
    TraceWorker(const TraceWorker&) = delete;
    TraceWorker& operator=(const TraceWorker&) = delete;

    // The batch the simulation thread fills.
    TraceBatch& current() { return *current_; }
    // Hands the current batch over when it is full (kBatchEvents).
    void maybe_hand_over() {
        if (current_->size() >= kBatchEvents) hand_over();
    }
    // Hands the current batch over and waits until every batch is
    // processed; rethrows what `process` threw, once.
    void drain();
    [[nodiscard]] bool thread_started() const { return thread_.joinable(); }

    // Events per batch, and batches handed over but not yet processed
    // before the simulation thread waits (so memory stays bounded when the
    // sinks are slower than the simulation).
    static constexpr std::size_t kBatchEvents = 4096;
    static constexpr std::size_t kMaxQueued = 8;

private:
    void hand_over();
    void run();

    std::function<void(const TraceBatch&)> process_;
    std::unique_ptr<TraceBatch> current_;  // the simulation's thread reads it at every event
    // Taken by both threads once per batch: on a line apart from current_.
    alignas(kCacheLineOctets) std::mutex mutex_;
    std::condition_variable work_;   // a batch was queued, or stop
    std::condition_variable done_;   // a batch was processed
    std::deque<std::unique_ptr<TraceBatch>> queued_;
    std::vector<std::unique_ptr<TraceBatch>> spare_;
    bool busy_ = false;
    bool stop_ = false;
    std::exception_ptr error_;       // what process_ threw; later batches are skipped
    std::thread thread_;
};

}  // namespace postino::trace
