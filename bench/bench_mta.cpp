// bench_mta.cpp — the whole mail world at scale: N servers, one user agent
// per server, M messages between random users, random host outages; reports
// simulated messages per second of wall time, CPU time, peak memory and the
// run's fingerprint (goal of the MTA issue: >= 20,000 messages/s, <= 2 GB
// for 100,000 messages among 100 servers). Run from a Release build: see
// docs/BENCHMARKS.md, "The mail world".
//
//   build/release/bench/bench_mta [servers] [messages] [--trace FILE] [--one-thread]
//
// --trace writes the world's JSON Lines trace (docs/trace-format.md) to FILE,
// to look at what a message costs or to compare two builds byte for byte; the
// figures of a run with it include writing the file. --one-thread keeps the
// trace's lines, fingerprint and sinks on the simulation's thread
// (RunOptions::trace_thread off), to compare with the default second thread.
//
// A world that cannot be built (bad arguments, more hosts than the simulated
// network can number) is reported on stderr with exit status 2.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.hpp"
#include "core/trace_json.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::scenario;

namespace {

constexpr int kDefaultServers = 100;
constexpr int kDefaultMessages = 100'000;
constexpr int kMailboxesPerServer = 10;

// A positive decimal argument, or nullopt.
std::optional<int> count_arg(std::string_view s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 1) return std::nullopt;
    return v;
}

Scenario build_world(int servers, int messages) {
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
        for (int u = 0; u < kMailboxesPerServer; ++u) {
            mta.mailboxes.push_back(MailboxSpec{"u" + std::to_string(u), "", 0, false});
        }
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
        a.send.to = {"u" + std::to_string(rng.uniform_int(0, kMailboxesPerServer - 1)) + "@d" + std::to_string(to) +
                     ".example"};
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
    return s;
}

double cpu_seconds(const struct rusage& ru) {
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string_view> args(argv + 1, argv + argc);
    std::string trace_path;
    bool one_thread = false;
    for (std::size_t i = 0; i < args.size();) {
        if (args[i] == "--trace" && i + 1 < args.size()) {
            trace_path = std::string(args[i + 1]);
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i), args.begin() + static_cast<std::ptrdiff_t>(i) + 2);
        } else if (args[i] == "--one-thread") {
            one_thread = true;
            args.erase(args.begin() + static_cast<std::ptrdiff_t>(i));
        } else {
            ++i;
        }
    }
    const auto servers = !args.empty() ? count_arg(args[0]) : std::optional<int>{kDefaultServers};
    const auto messages = args.size() > 1 ? count_arg(args[1]) : std::optional<int>{kDefaultMessages};
    if (!servers || !messages || args.size() > 2) {
        std::fprintf(stderr, "usage: bench_mta [servers] [messages] [--trace FILE] [--one-thread]  (positive integers; default %d %d)\n",
                     kDefaultServers, kDefaultMessages);
        return 2;
    }
    const Scenario s = build_world(*servers, *messages);
    struct rusage before {};
    getrusage(RUSAGE_SELF, &before);
    const auto t0 = std::chrono::steady_clock::now();
    std::ofstream trace_file;
    std::unique_ptr<trace::JsonlWriter> writer;
    RunOptions options;
    options.trace_thread = !one_thread;
    if (!trace_path.empty()) {
        trace_file.open(trace_path, std::ios::binary);
        if (!trace_file) {
            std::fprintf(stderr, "bench_mta: cannot write the trace to %s\n", trace_path.c_str());
            return 2;
        }
        writer = std::make_unique<trace::JsonlWriter>(trace_file, trace::Header{trace::kFormatVersion, s.seed, s.name, "bench_mta"});
        options.sinks.push_back(writer.get());
    }
    RunResult r;
    try {
        r = run_scenario(s, options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_mta: cannot run a world of %d servers (%zu hosts): %s\n", *servers, s.hosts.size(),
                     e.what());
        return 2;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    struct rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu = cpu_seconds(ru) - cpu_seconds(before);
    std::printf("servers %d, messages %d (%s): %llu events, %.1f s simulated, %.2f s wall, %.2f s CPU\n", *servers,
                *messages, one_thread ? "one thread" : "trace on a second thread",
                static_cast<unsigned long long>(r.events), r.end.seconds(), wall, cpu);
    std::printf("  => %.0f messages/s of wall time (%.0f per CPU second), %.2f M events/s, peak memory %.0f MB\n",
                *messages / wall, *messages / cpu, static_cast<double>(r.events) / wall / 1e6,
                static_cast<double>(ru.ru_maxrss) / 1024.0);
    std::printf("  fingerprint %s\n", r.fingerprint.c_str());
    std::printf("  conservation: %s\n", r.conservation.summary().c_str());
    return r.conservation.ok() ? 0 : 1;
}
