// sim_fixture.hpp — a scheduler, a trace recorder and a network, for tests.
#pragma once

#include <memory>
#include <string>

#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "net/network.hpp"

namespace postino::testing {

struct SimFixture {
    Scheduler sched;
    trace::Recorder rec{[this] { return sched.now(); }};
    trace::MemorySink sink;
    std::unique_ptr<net::Network> net;

    explicit SimFixture(std::uint64_t seed = 1, net::TcpConfig tcp = {}) {
        rec.add_sink(&sink);
        net = std::make_unique<net::Network>(sched, rec, seed, tcp);
    }

    // Links with no serialization delay, so times are pure latency sums.
    static net::LinkParams latency_only(Duration one_way) {
        net::LinkParams p;
        p.latency = one_way;
        p.bandwidth_bps = 0;
        return p;
    }

    std::size_t count(const std::string& kind, const std::string& ev, const std::string& host = {}) const {
        std::size_t n = 0;
        for (const auto& e : sink.events) {
            if (e.kind == kind && e.get_str("ev") == ev && (host.empty() || e.host == host)) ++n;
        }
        return n;
    }
    const trace::Event* first(const std::string& kind, const std::string& ev, const std::string& host = {}) const {
        for (const auto& e : sink.events) {
            if (e.kind == kind && e.get_str("ev") == ev && (host.empty() || e.host == host)) return &e;
        }
        return nullptr;
    }
};

}  // namespace postino::testing
