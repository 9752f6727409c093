// golden_driver.cpp — the HTTP server engine under a golden transcript. See
// golden_driver.hpp.
#include "golden_driver.hpp"

#include <sstream>

#include "core/rng.hpp"
#include "core/trace_schema.hpp"
#include "proto/http/server_engine.hpp"
#include "proto/http/trace_line.hpp"

namespace postino::http::testing {
namespace {

ServerConfig config_of(const smtp::Transcript& t) {
    ServerConfig c;
    for (const auto& [k, v] : t.settings) {
        if (k == "idle-timeout") c.idle_timeout = *parse_duration(v);
        if (k == "max-body") c.max_body = std::stoull(v);
        if (k == "server") c.server = v == "none" ? "" : v;
    }
    return c;
}

// The test host's answer: what the engine parsed, as text.
Response echo(const Request& r) {
    Response resp;
    resp.fields.add("Content-Type", "text/plain");
    std::string b = r.method + " " + r.target + " HTTP/1." + std::to_string(r.minor) + "\r\n";
    for (const auto& [n, v] : r.fields.lines) b += "field " + n + "=" + v + "\r\n";
    b += "body " + std::to_string(r.body.size()) + " octets" + (r.body.empty() ? "" : ": " + r.body) + "\r\n";
    resp.body = std::move(b);
    return resp;
}

struct Host {
    ServerEngine engine;
    Time now{};
    std::string output;
    std::vector<std::string> problems;
    bool asked_close = false;

    explicit Host(ServerConfig c) : engine(std::move(c)) {}
    void drain() {
        for (;;) {
            output += engine.poll_output();
            auto ev = engine.poll_event();
            if (!ev) break;
            for (const auto& te : trace_events(*ev, "web.example", "client.example", 1, true)) {
                if (auto err = trace::validate(te); !err.empty()) problems.push_back("trace event: " + err);
            }
            if (const auto* r = std::get_if<RequestEvent>(&*ev)) engine.respond(now, echo(r->request));
            if (const auto* c = std::get_if<CloseEvent>(&*ev); c && c->by_engine) asked_close = true;
        }
    }
    void feed(const std::string& bytes, Feed how, Rng& rng) {
        if (how == Feed::Whole) {
            engine.handle_bytes(now, bytes);
            drain();
            return;
        }
        std::size_t p = 0;
        while (p < bytes.size()) {
            const std::size_t n = how == Feed::ByteByByte ? 1 : static_cast<std::size_t>(rng.uniform_int(1, 23));
            engine.handle_bytes(now, std::string_view(bytes).substr(p, n));
            drain();
            p += n;
        }
    }
    void advance(Duration d) {
        now += d;
        if (auto dl = engine.next_deadline(); dl && *dl <= now) engine.handle_timeout(now);
        drain();
    }
};

}  // namespace

GoldenOutcome run_golden(const smtp::Transcript& t, Feed feed, std::uint64_t seed, bool dialogue) {
    Host h(config_of(t));
    Rng rng(seed);
    h.engine.start(h.now);
    h.drain();
    std::string expected;
    GoldenOutcome out;
    using K = smtp::TranscriptStep::Kind;
    for (std::size_t i = 0; i < t.steps.size(); ++i) {
        const auto& s = t.steps[i];
        switch (s.kind) {
            case K::Client: {
                h.feed(s.bytes, feed, rng);
                const bool run_ends = i + 1 >= t.steps.size() || t.steps[i + 1].kind != K::Client;
                if (dialogue && run_ends) {
                    // The expected output up to the next client run.
                    std::string want = expected;
                    for (std::size_t j = i + 1; j < t.steps.size() && t.steps[j].kind == K::Server; ++j) want += t.steps[j].bytes;
                    if (h.output != want)
                        out.mismatches.push_back("line " + std::to_string(s.line) + ": output after this client run differs");
                }
                break;
            }
            case K::Server: expected += s.bytes; break;
            case K::Eof:
                h.engine.handle_closed(h.now);
                h.drain();
                break;
            case K::Timeout:
                if (auto dl = h.engine.next_deadline()) h.advance(*dl - h.now);
                else out.mismatches.push_back("line " + std::to_string(s.line) + ": @timeout but no deadline");
                break;
            case K::Wait: h.advance(s.wait); break;
            case K::Close:
                if (!h.asked_close) out.mismatches.push_back("line " + std::to_string(s.line) + ": @close but the engine did not ask to close");
                break;
            case K::Tls:  // HTTP has no STARTTLS
                out.mismatches.push_back("line " + std::to_string(s.line) + ": @tls does not apply to HTTP");
                break;
        }
    }
    const bool want_close = std::any_of(t.steps.begin(), t.steps.end(), [](const auto& s) { return s.kind == K::Close; });
    if (h.asked_close && !want_close) out.mismatches.push_back("the engine asked to close; the transcript has no @close");
    for (auto& p : h.problems) out.mismatches.push_back(std::move(p));
    out.output = std::move(h.output);
    return out;
}

std::string record_golden(const smtp::Transcript& t, const std::string& original_text) {
    // Keep comments, directives and C lines; write the engine's output after each client run.
    Host h(config_of(t));
    Rng rng(1);
    h.engine.start(h.now);
    h.drain();
    std::istringstream in(original_text);
    std::string line, out;
    std::size_t step = 0;
    using K = smtp::TranscriptStep::Kind;
    auto flush_output = [&] {
        std::size_t p = 0;
        while (p < h.output.size()) {
            std::size_t e = h.output.find("\r\n", p);
            e = e == std::string::npos ? h.output.size() : e + 2;
            out += smtp::format_transcript_line('S', std::string_view(h.output).substr(p, e - p)) + "\n";
            p = e;
        }
        h.output.clear();
    };
    int lineno = 0;
    while (std::getline(in, line)) {
        ++lineno;
        if (line.rfind("S:", 0) == 0 || line.rfind("S|", 0) == 0) continue;
        while (step < t.steps.size() && t.steps[step].line < lineno) ++step;
        if (step < t.steps.size() && t.steps[step].line == lineno) {
            const auto& s = t.steps[step];
            if (s.kind != K::Client) flush_output();
            if (s.kind == K::Client) h.feed(s.bytes, Feed::Whole, rng);
            if (s.kind == K::Eof) { h.engine.handle_closed(h.now); h.drain(); }
            if (s.kind == K::Timeout) { if (auto dl = h.engine.next_deadline()) h.advance(*dl - h.now); }
            if (s.kind == K::Wait) h.advance(s.wait);
            out += line + "\n";
            if (s.kind != K::Client) continue;
            const bool run_ends = step + 1 >= t.steps.size() || t.steps[step + 1].kind != K::Client;
            if (run_ends) flush_output();
            continue;
        }
        out += line + "\n";
    }
    flush_output();
    return out;
}

}  // namespace postino::http::testing
