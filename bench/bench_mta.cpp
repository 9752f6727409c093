// bench_mta.cpp — the whole mail world at scale: N servers, one user agent
// per server, M messages between random users, random host outages; reports
// simulated messages per second of wall time and peak memory (goal of the
// MTA issue: >= 20,000 messages/s, <= 2 GB for 100,000 messages among 100
// servers). Run from a Release build: see docs/BENCHMARKS.md.
//
//   build/release/bench/bench_mta [servers] [messages]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/rng.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::scenario;

int main(int argc, char** argv) {
    const int servers = argc > 1 ? std::atoi(argv[1]) : 100;
    const int messages = argc > 2 ? std::atoi(argv[2]) : 100'000;
    Rng rng(2026);
    Scenario s;
    s.name = "bench-mta";
    s.profile = "classroom";
    for (int i = 0; i < servers; ++i) {
        const std::string dom = "d" + std::to_string(i) + ".example";
        HostSpec mta;
        mta.name = "mx." + dom;
        mta.role = Role::Mta;
        mta.domains = {dom};
        for (int u = 0; u < 10; ++u) mta.mailboxes.push_back(MailboxSpec{"u" + std::to_string(u), "", 0, false});
        s.hosts.push_back(mta);
        HostSpec ua;
        ua.name = "pc." + dom;
        ua.role = Role::UserAgent;
        ua.user = "u0@" + dom;
        ua.submit_to = mta.name;
        s.hosts.push_back(ua);
        s.dns[dom].mx.push_back(MxSpec{10, mta.name});
    }
    // Messages spread over one simulated hour.
    for (int m = 0; m < messages; ++m) {
        ActionSpec a;
        const auto from = rng.uniform_int(0, servers - 1);
        const auto to = rng.uniform_int(0, servers - 1);
        a.at = milliseconds(rng.uniform_int(0, 3'600'000));
        a.on = "pc.d" + std::to_string(from) + ".example";
        a.send.to = {"u" + std::to_string(rng.uniform_int(0, 9)) + "@d" + std::to_string(to) + ".example"};
        a.send.subject = "bench " + std::to_string(m);
        a.send.body = "Hello from the benchmark.";
        s.actions.push_back(a);
    }
    std::sort(s.actions.begin(), s.actions.end(), [](const ActionSpec& x, const ActionSpec& y) { return x.at < y.at; });
    // Random outages: a tenth of the servers down for 1-5 minutes.
    for (int i = 0; i < servers / 10; ++i) {
        FaultSpec f;
        f.kind = "host-down";
        f.target = "mx.d" + std::to_string(rng.uniform_int(0, servers - 1)) + ".example";
        f.at = seconds(rng.uniform_int(0, 3000));
        f.length = seconds(rng.uniform_int(60, 300));
        s.faults.push_back(f);
    }
    const auto t0 = std::chrono::steady_clock::now();
    const RunResult r = run_scenario(s);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    std::printf("servers %d, messages %d: %llu events, %.1f s simulated, %.2f s wall\n", servers, messages,
                static_cast<unsigned long long>(r.events), r.end.seconds(), wall);
    std::printf("  => %.0f messages/s of wall time, %.2f M events/s, peak memory %.0f MB\n", messages / wall,
                static_cast<double>(r.events) / wall / 1e6, static_cast<double>(ru.ru_maxrss) / 1024.0);
    std::printf("  conservation: %s\n", r.conservation.summary().c_str());
    return r.conservation.ok() ? 0 : 1;
}
