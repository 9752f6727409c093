// bench_smtp.cpp — throughput of the SMTP server engine alone (no network):
//
//   1. pipelined small messages: one session, EHLO, then N transactions of
//      MAIL + RCPT + DATA + a 40-octet message, fed in 64 KiB reads (one TCP
//      window) with output and events drained after each read, as a host
//      does; reported in messages/s;
//   2. DATA octets: big messages of 78-octet lines, one in 16 dot-stuffed,
//      fed in 64 KiB reads; reported in MB/s of wire octets through
//      end-of-data detection, unstuffing, line and size checks.
// Each with DataEvent reporting off (the engine alone) and on (what a traced
// simulation pays). Wall time is measured here, in bench/, never in sim/.
// Goals (issue "SMTP client and server engines"): >= 200 000 small
// messages/s and >= 1 GB/s of DATA. Run from a Release build; figures in
// docs/BENCHMARKS.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/smtp/server_engine.hpp"

using namespace postino;
using namespace postino::smtp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kRead = 64 * 1024;  // one TCP window per handle_bytes

double secs_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

struct Drained {
    std::size_t out_octets = 0;
    std::size_t events = 0;
    std::size_t accepted = 0;
};

void drain(ServerEngine& e, Drained& d) {
    while (true) {
        bool any = false;
        while (auto ev = e.poll_event()) {
            any = true;
            ++d.events;
            if (const auto* m = std::get_if<MessageEvent>(&*ev); m && m->accepted) ++d.accepted;
        }
        const std::string out = e.poll_output();
        d.out_octets += out.size();
        if (out.empty() && !any) return;
    }
}

// Feeds `input` in kRead pieces; returns seconds.
double feed(ServerEngine& e, std::string_view input, Drained& d) {
    const auto t0 = Clock::now();
    Time now{};
    while (!input.empty()) {
        const std::size_t n = std::min(kRead, input.size());
        e.handle_bytes(now, input.substr(0, n));
        input.remove_prefix(n);
        drain(e, d);
        now += microseconds(10);
    }
    return secs_since(t0);
}

void bench_small_messages(std::size_t n, bool report_data) {
    std::string input = "EHLO client.example\r\n";
    const std::string txn =
        "MAIL FROM:<alice@a.example>\r\nRCPT TO:<bob@b.example>\r\nDATA\r\n"
        "Subject: hi\r\n\r\nHello, world. Ciao!\r\n.\r\n";
    input.reserve(input.size() + n * txn.size() + 8);
    for (std::size_t i = 0; i < n; ++i)
        input += txn;
    input += "QUIT\r\n";
    ServerConfig cfg;
    cfg.report_data = report_data;
    AcceptAllPolicy policy;
    ServerEngine e(cfg, policy);
    Drained d;
    e.start(Time{});
    drain(e, d);
    const double s = feed(e, input, d);
    if (d.accepted != n) {
        std::fprintf(stderr, "bench_smtp: %zu of %zu messages accepted\n", d.accepted, n);
        std::exit(1);
    }
    std::printf(
        "pipelined small messages  report_data=%-3s %8zu msgs  %7.3f s  => %9.0f msgs/s  (%.1f MB in, "
        "%zu events)\n",
        report_data ? "on" : "off", n, s, static_cast<double>(n) / s, static_cast<double>(input.size()) / 1e6,
        d.events);
}

void bench_data(std::size_t message_octets, int messages, bool report_data, bool eight_bit_body) {
    std::string body;
    body.reserve(message_octets + 128);
    for (std::size_t line = 0; body.size() < message_octets; ++line) {
        if (line % 16 == 0) body += "..";  // a stuffed leading dot
        body += "The quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq";
        body += std::to_string(line % 10);
        body += "\r\n";
    }
    body += ".\r\n";
    ServerConfig cfg;
    cfg.report_data = report_data;
    cfg.max_message_octets = message_octets * 2;
    AcceptAllPolicy policy;
    ServerEngine e(cfg, policy);
    Drained d;
    e.start(Time{});
    feed(e, "EHLO client.example\r\n", d);
    const std::string mail =
        std::string("MAIL FROM:<alice@a.example>") + (eight_bit_body ? " BODY=8BITMIME" : "") + "\r\n";
    double total = 0;
    std::size_t octets = 0;
    for (int i = 0; i < messages; ++i) {
        feed(e, mail + "RCPT TO:<bob@b.example>\r\nDATA\r\n", d);
        total += feed(e, body, d);
        octets += body.size();
    }
    if (d.accepted != static_cast<std::size_t>(messages)) {
        std::fprintf(stderr, "bench_smtp: DATA messages refused\n");
        std::exit(1);
    }
    std::printf("DATA octets  body=%-8s report_data=%-3s %3d x %5.1f MB  %7.3f s  => %7.0f MB/s\n",
                eight_bit_body ? "8BITMIME" : "7BIT", report_data ? "on" : "off", messages,
                static_cast<double>(body.size()) / 1e6, total, static_cast<double>(octets) / total / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
    const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 500'000;
    constexpr std::size_t kMiB = 1024 * 1024;
    for (int round = 0; round < 2; ++round) {  // the first round includes cold caches and page faults
        std::printf("--- round %d\n", round + 1);
        bench_small_messages(n, false);
        bench_small_messages(n, true);
        // Realistic sizes: under the default 10 240 000-octet limit.
        bench_data(1 * kMiB, 512, false, true);
        bench_data(1 * kMiB, 512, false, false);
        bench_data(8 * kMiB, 64, false, true);
        bench_data(8 * kMiB, 64, false, false);
        bench_data(8 * kMiB, 64, true, true);
        // Beyond glibc's largest recycled block (32 MiB) every message is a
        // fresh mmap: this measures the kernel's page faults more than the engine.
        bench_data(64 * kMiB, 4, false, true);
    }
    return 0;
}
