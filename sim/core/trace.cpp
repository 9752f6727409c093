// trace.cpp — event accessors, the recorder and the fingerprint.
#include "core/trace.hpp"

#include <bit>
#include <cstring>

#include "core/rng.hpp"
#include "core/trace_json.hpp"
#include "core/trace_worker.hpp"

namespace postino::trace {

Value& Event::slot(std::string_view key) {
    // Keys are short and mostly differ in length or first letter: test those
    // before comparing the rest.
    for (auto& f : fields) {
        if (f.key.size() == key.size() && (key.empty() || (f.key[0] == key[0] && f.key == key))) return f.value;
    }
    if (fields.capacity() == 0) fields.reserve(kTypicalFields);
    Field& f = fields.emplace_back();
    f.key.assign(key);
    return f.value;
}

const Value* Event::find(std::string_view key) const {
    for (const auto& f : fields) {
        if (f.key == key) return &f.value;
    }
    return nullptr;
}

std::optional<std::int64_t> Event::get_int(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<std::int64_t>(*v)) return std::nullopt;
    return std::get<std::int64_t>(*v);
}

std::optional<bool> Event::get_bool(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<bool>(*v)) return std::nullopt;
    return std::get<bool>(*v);
}

std::string Event::get_str(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<std::string>(*v)) return {};
    return std::get<std::string>(*v);
}

std::string Event::get_bytes(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<Bytes>(*v)) return {};
    return std::get<Bytes>(*v).data;
}

std::string_view Event::str_view(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<std::string>(*v)) return {};
    return std::get<std::string>(*v);
}

std::string_view Event::bytes_view(std::string_view key) const {
    const Value* v = find(key);
    if (v == nullptr || !std::holds_alternative<Bytes>(*v)) return {};
    return std::get<Bytes>(*v).data;
}

Recorder::Recorder(std::function<Time()> clock) : clock_(std::move(clock)) {}

Recorder::~Recorder() { close(); }

void Recorder::use_worker_thread() {
    if (!worker_) worker_ = std::make_unique<TraceWorker>([this](const TraceBatch& b) { deliver(b); });
}

void Recorder::drain() {
    if (worker_) worker_->drain();
}

void Recorder::close() noexcept {
    if (worker_) {
        try {
            worker_->drain();
        } catch (...) {  // the owner is tearing down; a sink's failure no longer matters
        }
        worker_.reset();
    }
    sinks_.clear();
}

std::uint64_t Recorder::fingerprint() const {
    if (worker_) worker_->drain();
    return hash_;
}

void Recorder::emit(Event e) {
    e.seq = next_seq_++;
    e.t = clock_();
    if (worker_) {
        worker_->current().add(std::move(e));
        worker_->maybe_hand_over();
    } else {
        deliver(e);
    }
}

template <typename Record>
void Recorder::emit_record(const Record& r) {
    const std::uint64_t seq = next_seq_++;
    const Time t = clock_();
    if (worker_) {
        worker_->current().add(r, seq, t);
        worker_->maybe_hand_over();
    } else {
        deliver(r, seq, t);
    }
}

void Recorder::emit_packet(const PacketRecord& p) { emit_record(p); }
void Recorder::emit_smtp_line(const SmtpLineRecord& r) { emit_record(r); }
void Recorder::emit_tcp(const TcpRecord& r) { emit_record(r); }

void Recorder::deliver(const Event& e) {
    const std::string_view line = encoder_.encode(e);
    hash_ = fingerprint_step(hash_, line);
    for (Sink* s : sinks_) s->on_event_line(e, line);
}

namespace {
// Line, hash and sinks of a typed record; `on_line` is the sink's callback
// for its kind.
template <typename Record>
void deliver_record(LineEncoder& encoder, std::uint64_t& hash, const std::vector<Sink*>& sinks, const Record& r,
                    std::uint64_t seq, Time t,
                    void (Sink::*on_line)(const Record&, std::string_view, const LazyEvent<Record>&)) {
    const std::string_view line = encoder.encode(r, seq, t);
    hash = fingerprint_step(hash, line);
    const LazyEvent<Record> lazy(r, seq, t);
    for (Sink* s : sinks) (s->*on_line)(r, line, lazy);
}
}  // namespace

void Recorder::deliver(const PacketRecord& p, std::uint64_t seq, Time t) {
    deliver_record(encoder_, hash_, sinks_, p, seq, t, &Sink::on_packet_line);
}

void Recorder::deliver(const SmtpLineRecord& r, std::uint64_t seq, Time t) {
    deliver_record(encoder_, hash_, sinks_, r, seq, t, &Sink::on_smtp_line);
}

void Recorder::deliver(const TcpRecord& r, std::uint64_t seq, Time t) {
    deliver_record(encoder_, hash_, sinks_, r, seq, t, &Sink::on_tcp_line);
}

void Recorder::deliver(const TraceBatch& b) {
    b.visit([this](const auto&... event) { deliver(event...); });
}

Event PacketRecord::to_event() const {
    Event e(tcp ? "segment" : "datagram", std::string(host), std::string(peer), tcp ? conn : 0);
    if (tcp) {
        e.set("ev", ev).set("id", id).set("flags", flags).set("seqno", seqno).set("ackno", ackno).set("len", len)
            .set("sport", sport).set("dport", dport);
        if (retransmit) e.set("retransmit", true);
    } else {
        e.set("ev", ev).set("id", id).set("sport", sport).set("dport", dport).set("len", len).set_bytes("bytes", bytes);
    }
    if (reason != nullptr) e.set("reason", reason);
    return e;
}

Event TcpRecord::to_event() const {
    Event e("tcp", std::string(host), std::string(peer), conn);
    e.set("ev", ev).set("sport", sport).set("dport", dport);
    if (reason != nullptr) e.set("reason", reason);
    return e;
}

Event SmtpLineRecord::to_event() const {
    Event e("line", std::string(host), std::string(peer), conn);
    e.set("proto", "smtp").set("dir", send ? "send" : "recv").set_bytes("bytes", bytes);
    if (!verb.empty()) e.set("verb", verb);
    if (has_code) e.set("code", code);
    if (!enhanced.empty()) e.set("enhanced", enhanced);
    if (tls) e.set("tls", true);
    return e;
}

std::string hex64(std::uint64_t v) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[v & 0xf];
        v >>= 4;
    }
    return out;
}

std::string Recorder::fingerprint_hex() const { return hex64(fingerprint()); }

std::uint64_t fingerprint_step(std::uint64_t h, std::string_view bytes) {
    constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ULL;
    std::size_t i = 0;
    auto mix = [&](std::uint64_t w) {
        h = (h ^ w) * kMul;
        h ^= h >> 29;
    };
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t w = 0;
        if constexpr (std::endian::native == std::endian::little) {
            std::memcpy(&w, bytes.data() + i, 8);  // the same little-endian word, in one load
        } else {
            for (int k = 7; k >= 0; --k) w = (w << 8) | static_cast<unsigned char>(bytes[i + static_cast<std::size_t>(k)]);
        }
        mix(w);
    }
    std::uint64_t tail = 0;
    for (std::size_t k = bytes.size(); k-- > i;) tail = (tail << 8) | static_cast<unsigned char>(bytes[k]);
    mix(tail ^ (static_cast<std::uint64_t>(bytes.size() & 7) << 56));
    return h;
}

std::uint64_t fingerprint_of(const std::vector<Event>& events) {
    std::uint64_t h = kFingerprintSeed;
    LineEncoder encoder;
    for (const auto& e : events) h = fingerprint_step(h, encoder.encode(e));
    return h;
}

}  // namespace postino::trace
