// viz_fixtures.hpp — helpers shared by the visualizer's model tests: fixture
// paths, loading a fixture, and building small traces in code.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "core/trace.hpp"
#include "core/trace_json.hpp"
#include "model/trace_model.hpp"

namespace vizt {

inline std::string fixture(const std::string& name) {
    return std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures/" + name;
}

inline postino::viz::TraceModel load(const std::string& name) {
    auto m = postino::viz::TraceModel::load_file(fixture(name));
    if (m.error()) FAIL(m.error()->message());
    return m;
}

// Builds a trace text from events (seq numbers assigned in order).
class Builder {
public:
    Builder& at(std::int64_t ns) {
        t_ = ns;
        return *this;
    }
    Builder& add(postino::trace::Event e) {
        e.seq = seq_++;
        e.t = postino::Duration::from_ns(t_);
        events_.push_back(std::move(e));
        return *this;
    }
    [[nodiscard]] std::string text() const {
        std::ostringstream out;
        postino::trace::JsonlWriter w(out, postino::trace::Header{1, 1, "test", "viz tests"});
        for (const auto& e : events_) w.on_event(e);
        return out.str();
    }
    [[nodiscard]] postino::viz::TraceModel model() const {
        auto m = postino::viz::TraceModel::from_text(text(), "built.jsonl");
        if (m.error()) FAIL(m.error()->message());
        return m;
    }
    [[nodiscard]] const std::vector<postino::trace::Event>& events() const { return events_; }

private:
    std::vector<postino::trace::Event> events_;
    std::uint64_t seq_ = 0;
    std::int64_t t_ = 0;
};

// Event builders for the common kinds.
inline postino::trace::Event seg(const char* ev, const char* host, const char* peer, std::uint64_t conn, int id,
                                 const char* flags, int seqno, int ackno, int len, bool retransmit = false) {
    postino::trace::Event e("segment", host, peer, conn);
    e.set("ev", ev).set("id", id).set("flags", flags).set("seqno", seqno).set("ackno", ackno).set("len", len)
        .set("sport", 1000).set("dport", 25);
    if (retransmit) e.set("retransmit", true);
    return e;
}

inline postino::trace::Event line(const char* dir, const char* host, const char* peer, std::uint64_t conn,
                                  const std::string& bytes, const char* proto = "smtp") {
    postino::trace::Event e("line", host, peer, conn);
    e.set("proto", proto).set("dir", dir).set_bytes("bytes", bytes);
    return e;
}

}  // namespace vizt
