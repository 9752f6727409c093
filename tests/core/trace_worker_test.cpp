// trace_worker_test.cpp — the recorder's worker thread (core/trace_worker.hpp)
// gives sinks exactly what a recorder without it gives, in the same order,
// with the same fingerprint; typed records' views are copied before the emit
// call returns, except names marked stable_names, which are kept as views;
// a sink's exception reaches the simulation's thread.
#include <catch2/catch.hpp>

#include <sstream>
#include <stdexcept>
#include <thread>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "core/trace_json.hpp"
#include "core/trace_worker.hpp"

using namespace postino;
using namespace postino::trace;

namespace {

// Remembers which callback saw each event, and the line it was handed.
struct CallLog final : Sink {
    std::vector<std::string> calls;
    void on_event(const Event& e) override { calls.push_back("event " + to_json(e)); }
    void on_event_line(const Event& e, std::string_view line) override {
        calls.push_back("line " + to_json(e) + " | " + std::string(line));
    }
    void on_packet_line(const PacketRecord& p, std::string_view line, const LazyPacketEvent& e) override {
        calls.push_back("packet " + std::string(p.host) + " " + std::string(p.bytes) + " | " + std::string(line) +
                        " | " + to_json(e.get()));
    }
    void on_smtp_line(const SmtpLineRecord& r, std::string_view line, const LazySmtpLineEvent& e) override {
        calls.push_back("smtp " + std::string(r.bytes) + " | " + std::string(line) + " | " + to_json(e.get()));
    }
    void on_tcp_line(const TcpRecord& r, std::string_view line, const LazyTcpEvent& e) override {
        calls.push_back("tcp " + std::string(r.ev) + (r.reason ? r.reason : "-") + " | " + std::string(line) + " | " +
                        to_json(e.get()));
    }
};

// Throws on the n-th event it sees (counting from 1).
struct FailingSink final : Sink {
    std::uint64_t fail_at;
    std::uint64_t seen = 0;
    explicit FailingSink(std::uint64_t n) : fail_at(n) {}
    void on_event(const Event&) override {
        if (++seen == fail_at) throw std::runtime_error("disk full at event " + std::to_string(seen));
    }
};

std::string random_text(Rng& rng) {
    std::string s;
    const auto len = rng.uniform_int(0, 40);
    for (std::int64_t k = 0; k < len; ++k) s.push_back(static_cast<char>(rng.uniform_int(0, 0xff)));
    return s;
}

// Names that live as long as the recorder, as hosts' names do: a typed
// record may mark views into them as stable_names.
const std::vector<std::string>& lasting_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (int k = 0; k < 20; ++k) v.push_back("host-" + std::to_string(k) + ".lasting.example");
        return v;
    }();
    return names;
}

// Emits `n` events of every kind, drawn from `seed`, with views into
// strings that are overwritten as soon as the emit call returns; a third
// of the typed records take their names from lasting_names() instead and
// say so (stable_names), their other views still into the changing strings.
void emit_stream(Recorder& rec, Scheduler& sched, std::uint64_t seed, int n) {
    Rng rng(seed);
    std::string host, peer, bytes, verb, reason;
    for (int i = 0; i < n; ++i) {
        const bool stable = rng.uniform_int(0, 2) == 0;
        const auto& lasting = lasting_names();
        const std::string& lasting_host = lasting[static_cast<std::size_t>(rng.uniform_int(0, 19))];
        const std::string& lasting_peer = lasting[static_cast<std::size_t>(rng.uniform_int(0, 19))];
        host = "mx.d" + std::to_string(rng.uniform_int(0, 99)) + ".example";
        peer = rng.uniform_int(0, 4) == 0 ? std::string() : random_text(rng);
        bytes = random_text(rng);
        verb = rng.uniform_int(0, 1) == 0 ? std::string() : "RCPT";
        reason = rng.uniform_int(0, 2) == 0 ? std::string() : "reset by " + random_text(rng);
        const auto conn = static_cast<std::uint64_t>(rng.uniform_int(0, 9));
        switch (rng.uniform_int(0, 3)) {
        case 0:
            rec.emit(Event("spool", host, peer, conn).set("ev", "enqueued").set_bytes("bytes", bytes).set("n", i));
            break;
        case 1: {
            PacketRecord p;
            p.tcp = rng.uniform_int(0, 3) != 0;
            p.host = host;
            p.peer = peer;
            p.conn = conn;
            p.ev = "send";
            p.id = static_cast<std::uint64_t>(i);
            p.flags = "PSH,ACK";
            p.len = bytes.size();
            p.sport = 49152;
            p.dport = 25;
            p.bytes = bytes;
            p.reason = reason.empty() ? nullptr : reason.c_str();
            if (stable) {
                p.host = lasting_host;
                p.peer = lasting_peer;
                p.stable_names = true;  // ev and flags are literals
            }
            rec.emit_packet(p);
            break;
        }
        case 2: {
            SmtpLineRecord r;
            r.host = host;
            r.peer = peer;
            r.conn = conn;
            r.send = i % 2 == 0;
            r.bytes = bytes;
            r.verb = verb;
            r.has_code = verb.empty();
            r.code = 250;
            r.enhanced = verb.empty() ? "2.1.5" : "";
            if (stable) {
                r.host = lasting_host;
                r.peer = lasting_peer;
                r.stable_names = true;
            }
            rec.emit_smtp_line(r);
            break;
        }
        default: {
            TcpRecord r;
            r.host = host;
            r.peer = peer;
            r.conn = conn;
            r.ev = "closed";
            r.sport = 49152;
            r.dport = 25;
            r.reason = reason.empty() ? nullptr : reason.c_str();
            if (stable) {
                r.host = lasting_host;
                r.peer = lasting_peer;
                r.stable_names = true;  // ev is a literal
            }
            rec.emit_tcp(r);
            break;
        }
        }
        // The caller's strings change at once: the batch must hold copies
        // of all but the lasting names.
        host.assign(host.size(), 'X');
        peer.assign(peer.size(), 'W');
        bytes.assign(bytes.size(), 'Y');
        reason.assign(reason.size(), 'Z');
        sched.run_until(sched.now() + Duration::from_ns(rng.uniform_int(0, 3)));
    }
}

struct Outcome {
    std::vector<Event> events;
    std::vector<std::string> calls;
    std::string jsonl;
    std::uint64_t fingerprint = 0;
    std::uint64_t count = 0;
};

// A recorder on a scheduler's clock, with a memory sink as its first sink
// (declared before the recorder, so it outlives the recorder's close()).
struct Rig {
    Scheduler sched;
    MemorySink memory;
    Recorder rec{[this] { return sched.now(); }};
    explicit Rig(bool worker = true) {
        if (worker) rec.use_worker_thread();
        rec.add_sink(&memory);
    }
};

Outcome record(bool worker, std::uint64_t seed, int n) {
    Rig rig(worker);
    auto& [sched, memory, rec] = rig;
    CallLog log;
    std::ostringstream out;
    JsonlWriter writer(out, Header{1, seed, "worker-test", "trace_worker_test"});
    rec.add_sink(&log);
    rec.add_sink(&writer);
    emit_stream(rec, sched, seed, n);
    rec.drain();
    Outcome o{memory.events, log.calls, out.str(), rec.fingerprint(), rec.count()};
    rec.close();
    return o;
}

}  // namespace

TEST_CASE("with a worker thread, sinks see the same events, lines and calls as without", "[trace][worker]") {
    // Several batches, more than the queue holds at once, and a short one.
    for (const int n : {0, 1, 100, static_cast<int>(TraceWorker::kBatchEvents * (TraceWorker::kMaxQueued + 3) + 17)}) {
        INFO("events: " << n);
        const Outcome one = record(false, 42, n);
        const Outcome two = record(true, 42, n);
        REQUIRE(one.events.size() == static_cast<std::size_t>(n));
        CHECK(two.count == one.count);
        CHECK(two.fingerprint == one.fingerprint);
        CHECK(two.fingerprint == fingerprint_of(one.events));
        CHECK(two.jsonl == one.jsonl);
        REQUIRE(two.calls.size() == one.calls.size());
        for (std::size_t i = 0; i < one.calls.size(); ++i) {
            if (two.calls[i] != one.calls[i]) {
                INFO("call " << i);
                CHECK(two.calls[i] == one.calls[i]);
                break;
            }
        }
        CHECK(two.events == one.events);
    }
}

TEST_CASE("fingerprint() waits for the worker, and drain() without a worker returns at once", "[trace][worker]") {
    Rig rig;
    auto& [sched, memory, rec] = rig;
    emit_stream(rec, sched, 7, 5000);
    const std::uint64_t fp = rec.fingerprint();  // no drain() before it
    CHECK(memory.events.size() == 5000);
    CHECK(fp == fingerprint_of(memory.events));

    Recorder plain([&sched] { return sched.now(); });
    plain.drain();
    CHECK(plain.fingerprint() == kFingerprintSeed);
}

TEST_CASE("a sink that throws on the worker stops the simulation's thread with its exception", "[trace][worker]") {
    Rig rig;
    auto& [sched, memory, rec] = rig;
    FailingSink failing(10'000);
    rec.add_sink(&failing);
    // The failure surfaces at a later hand-over, well before the stream ends,
    // or at the latest from drain().
    bool thrown = false;
    try {
        emit_stream(rec, sched, 3, static_cast<int>(TraceWorker::kBatchEvents * (TraceWorker::kMaxQueued + 4)));
        rec.drain();
    } catch (const std::runtime_error& e) {
        thrown = true;
        CHECK(std::string(e.what()) == "disk full at event 10000");
    }
    CHECK(thrown);
    // Nothing after the failing event reached a sink, as with a synchronous
    // recorder whose emit() threw; the error is reported once.
    CHECK(memory.events.size() == 10'000);
    CHECK(failing.seen == 10'000);
    CHECK_NOTHROW(rec.drain());
}

TEST_CASE("after close() the sinks are forgotten and events are only counted", "[trace][worker]") {
    Rig rig;
    auto& [sched, memory, rec] = rig;
    emit_stream(rec, sched, 5, 300);
    rec.close();
    CHECK(memory.events.size() == 300);  // close() drained first
    emit_stream(rec, sched, 6, 10);
    CHECK(memory.events.size() == 300);
    CHECK(rec.count() == 310);
}

TEST_CASE("the worker thread starts with the first full batch, and a shorter run stays on the caller's thread", "[trace][worker]") {
    std::vector<std::thread::id> threads;
    std::size_t seen = 0;
    TraceWorker worker([&](const TraceBatch& b) {
        threads.push_back(std::this_thread::get_id());
        seen += b.size();
    });
    for (std::size_t i = 0; i + 1 < TraceWorker::kBatchEvents; ++i) {
        worker.current().add(Event("note", "h").set("n", static_cast<std::uint64_t>(i)));
        worker.maybe_hand_over();
    }
    CHECK_FALSE(worker.thread_started());
    worker.drain();
    REQUIRE(threads.size() == 1);
    CHECK(threads[0] == std::this_thread::get_id());
    CHECK(seen == TraceWorker::kBatchEvents - 1);
    CHECK(worker.current().empty());
    // Now more than a batch: the second batch goes to the worker thread.
    for (std::size_t i = 0; i < TraceWorker::kBatchEvents + 10; ++i) {
        worker.current().add(Event("note", "h").set("n", static_cast<std::uint64_t>(i)));
        worker.maybe_hand_over();
    }
    CHECK(worker.thread_started());
    worker.drain();
    REQUIRE(threads.size() == 3);
    CHECK(threads[1] != std::this_thread::get_id());
    CHECK(threads[2] == threads[1]);
    CHECK(seen == 2 * TraceWorker::kBatchEvents + 9);
}
