// bench_mail.cpp — throughput of the sim/mail codecs and the MIME parser.
//
// Measures base64 and quoted-printable encode/decode (MB/s, 1 MB = 10^6
// octets) and the time to parse a 10 MB multipart message. Each figure is
// the best of several runs. Goals (issue "Internet messages and MIME"):
// base64 decode >= 1 GB/s, QP decode >= 300 MB/s, 10 MB parse <= 20 ms.
// Run a Release build: build/release/bench/bench_mail
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/rng.hpp"
#include "mail/base64.hpp"
#include "mail/composer.hpp"
#include "mail/mime.hpp"
#include "mail/quoted_printable.hpp"

using namespace postino;
using namespace postino::mail;

namespace {

using Clock = std::chrono::steady_clock;

template <typename F>
double best_seconds(int runs, F&& f) {
    double best = 1e9;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        f();
        const double s = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::min(best, s);
    }
    return best;
}

std::size_t sink = 0;

void report(const char* what, std::size_t octets, double s, const char* goal) {
    std::printf("%-34s %9.1f MB/s  (%7.2f ms for %5.1f MB)  %s\n", what, static_cast<double>(octets) / s / 1e6, s * 1e3,
                static_cast<double>(octets) / 1e6, goal);
}

}  // namespace

int main() {
    constexpr std::size_t kSize = 16 * 1000 * 1000;
    constexpr int kRuns = 7;
    Rng rng = Rng::stream(1, "bench-mail");
    std::string binary(kSize, '\0');
    for (auto& c : binary) c = static_cast<char>(rng.next_u64() & 0xff);

    // Italian text with a few accented letters, CRLF lines of ~70 octets.
    const std::string sentence =
        "La riunione di luned\xc3\xac \xc3\xa8 stata spostata perch\xc3\xa9 la sala pi\xc3\xb9 grande era occupata.\r\n";
    std::string text;
    while (text.size() < kSize) text += sentence;

    const std::string b64 = base64_encode(binary);
    const std::string qp = qp_encode(text);

    std::printf("sim/mail benchmarks (best of %d runs)\n", kRuns);
    double s = best_seconds(kRuns, [&] { sink += base64_encode(binary).size(); });
    report("base64 encode (MIME lines)", binary.size(), s, "");
    s = best_seconds(kRuns, [&] {
        auto r = base64_decode_mime(b64);
        sink += r->bytes.size();
    });
    report("base64 decode (MIME lines)", b64.size(), s, "goal >= 1000 MB/s (encoded input)");
    const std::string b64raw = base64_encode(binary, Base64Lines::none);
    s = best_seconds(kRuns, [&] { sink += base64_decode_strict(b64raw)->size(); });
    report("base64 decode (strict, no lines)", b64raw.size(), s, "");
    s = best_seconds(kRuns, [&] { sink += qp_encode(text).size(); });
    report("quoted-printable encode (text)", text.size(), s, "");
    s = best_seconds(kRuns, [&] {
        auto r = qp_decode(qp);
        sink += r->bytes.size();
    });
    report("quoted-printable decode (text)", qp.size(), s, "goal >= 300 MB/s (encoded input)");
    const std::string qpbin = qp_encode(binary.substr(0, kSize / 4), QpMode::binary);
    s = best_seconds(kRuns, [&] { sink += qp_decode(qpbin)->bytes.size(); });
    report("quoted-printable decode (binary)", qpbin.size(), s, "");

    // A 10 MB message: text + HTML + five base64 attachments.
    Draft d;
    d.from = {"Alice", {"alice", "a.example"}};
    d.to = {NamedMailbox{"Bob", {"bob", "b.example"}}};
    d.subject = "Big attachments";
    d.text = text.substr(0, 20000);
    d.html = "<p>" + text.substr(0, 20000) + "</p>";
    for (int i = 0; i < 5; ++i)
        d.attachments.push_back({"part" + std::to_string(i) + ".bin", "application/octet-stream",
                                 binary.substr(static_cast<std::size_t>(i) * 1'480'000, 1'480'000)});
    Rng brng = Rng::stream(2, "bench-compose");
    const std::string message = compose(d, brng, "pc.alice", Duration{})->bytes;
    int parts = 0;
    double best = 1e9;
    for (int i = 0; i < kRuns; ++i) {
        std::string copy = message;  // parse_mime owns its input; the copy is not timed
        const auto t0 = Clock::now();
        auto m = parse_mime(std::move(copy));
        const double t = std::chrono::duration<double>(Clock::now() - t0).count();
        best = std::min(best, t);
        parts = static_cast<int>(m->root.children.size());
    }
    std::printf("%-34s %9.2f ms    (%5.1f MB, %d top-level parts)   goal <= 20 ms\n", "parse 10 MB multipart message",
                best * 1e3, static_cast<double>(message.size()) / 1e6, parts);
    std::printf("(checksum %zu)\n", sink);
    return 0;
}
