// bench_scheduler.cpp — scheduler and simulated-network throughput.
//
//   1. one million timer events at random times, scheduled up front, then run;
//   2. the "hold" model: a queue of N pending events where each event run
//      schedules one more at a random future time (steady state);
//   3. a bulk transfer over simulated TCP (segments, ACKs, timers, trace).
// Wall time is measured here, in bench/, never in sim/. Run from a Release
// build: see docs/BENCHMARKS.md.
#include <chrono>
#include <cstdio>
#include <string>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "net/host.hpp"
#include "net/network.hpp"

using namespace postino;
using Clock = std::chrono::steady_clock;

namespace {
double secs_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

void bench_random_timers(int n) {
    // Twice on the same scheduler: the first round includes the page faults of
    // growing the heap and slot vectors; the second reuses that memory.
    Scheduler s;
    Rng rng(1);
    std::uint64_t sum = 0;
    for (const char* round : {"cold", "warm"}) {
        const Time base = s.now();
        const auto t0 = Clock::now();
        for (int i = 0; i < n; ++i) {
            s.schedule_at(base + nanoseconds(rng.uniform_int(0, 1'000'000'000)),
                          [&sum, i] { sum += static_cast<std::uint64_t>(i); });
        }
        const double t_sched = secs_since(t0);
        const auto t1 = Clock::now();
        s.run_until_idle();
        const double t_run = secs_since(t1);
        const double total = t_sched + t_run;
        std::printf("random timers %s %9d events  schedule %.3f s  run %.3f s  => %.2f M events/s (schedule+run)\n",
                    round, n, t_sched, t_run, n / total / 1e6);
    }
    if (sum == 42) std::puts("");  // keep `sum` observable
}

void bench_hold(int queue, int n) {
    Scheduler s;
    Rng rng(2);
    int remaining = n;
    struct Hold {
        Scheduler* s;
        Rng* rng;
        int* remaining;
        void operator()() const {
            if (--*remaining > 0) s->schedule_in(nanoseconds(rng->uniform_int(1, 1'000'000)), Hold{*this});
        }
    };
    for (int i = 0; i < queue; ++i) s.schedule_in(nanoseconds(rng.uniform_int(1, 1'000'000)), Hold{&s, &rng, &remaining});
    const auto t0 = Clock::now();
    const auto ran = s.run_until_idle();
    const double t = secs_since(t0);
    std::printf("hold model      queue %7d  %9llu events  %.3f s  => %.2f M events/s\n", queue,
                static_cast<unsigned long long>(ran), t, static_cast<double>(ran) / t / 1e6);
}

void bench_tcp_bulk(std::size_t bytes, bool with_trace) {
    Scheduler s;
    trace::Recorder rec([&s] { return s.now(); });
    trace::MemorySink sink;
    if (with_trace) rec.add_sink(&sink);
    net::Network net(s, rec, 3);
    net::LinkParams p;
    p.latency = milliseconds(5);
    p.bandwidth_bps = 1'000'000'000;
    net::Host& a = net.add_host("a", p);
    net::Host& b = net.add_host("b", p);
    std::size_t got = 0;
    b.listen(9, [&](std::shared_ptr<net::TcpConnection> c) { c->on_data = [&](std::string_view d) { got += d.size(); }; });
    auto c = a.connect(b.ip(), 9);
    const std::string chunk(64 * 1024, 'x');
    std::size_t sent = 0;
    c->on_connected = [&] {
        while (sent < bytes) {
            c->send(chunk);
            sent += chunk.size();
        }
        c->close();
    };
    const auto t0 = Clock::now();
    const auto events = s.run_until_idle();
    const double t = secs_since(t0);
    std::printf("tcp bulk %s %6zu MB  %9llu events  %.3f s wall  => %.2f M events/s, %.0f MB/s simulated payload, %.1f s simulated\n",
                with_trace ? "+trace" : "      ", got >> 20, static_cast<unsigned long long>(events), t,
                static_cast<double>(events) / t / 1e6, static_cast<double>(got) / t / 1e6, s.now().seconds());
}
}  // namespace

int main() {
    bench_random_timers(1'000'000);
    bench_hold(1'000, 5'000'000);
    bench_hold(100'000, 5'000'000);
    bench_tcp_bulk(std::size_t{16} << 20, false);
    bench_tcp_bulk(std::size_t{16} << 20, true);
    return 0;
}
