// robustness_test.cpp — seeded mutations (flipped, dropped, duplicated and
// inserted octets, CR/LF/SP/colon/digits favoured) of every golden's client
// input fed to the HTTP server engine, and of well-formed responses fed to
// the client engine. Properties: no crash or hang; the same input split
// anywhere gives the same requests and the same output (the reader does not
// depend on how octets arrive, DESIGN.md §4); everything the server writes
// reads back as complete, well-formed responses; a refused request is
// answered once and the connection closes.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/rng.hpp"
#include "proto/http/client_engine.hpp"
#include "proto/http/server_engine.hpp"
#include "proto/smtp/transcript.hpp"

using namespace postino;
using namespace postino::http;

namespace {

std::string mutate(const std::string& in, Rng& rng) {
    std::string s = in;
    const int edits = static_cast<int>(rng.uniform_int(1, 6));
    static constexpr char kSpecial[] = "\r\n :;,=%+0123456789\t\x7f";
    for (int e = 0; e < edits && !s.empty(); ++e) {
        const auto at = static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(s.size()) - 1));
        switch (rng.uniform_int(0, 3)) {
            case 0: s[at] = static_cast<char>(rng.uniform_int(0, 255)); break;
            case 1: s.erase(at, 1); break;
            case 2: s.insert(at, s.substr(at, static_cast<std::size_t>(rng.uniform_int(1, 40)))); break;
            default: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), kSpecial[rng.uniform_int(0, sizeof kSpecial - 2)]);
        }
    }
    return s;
}

struct Run {
    std::vector<std::string> requests;  // method target body, as parsed
    std::string output;
    bool closed = false;
    int violations = 0;
};

Run serve(const std::string& input, std::uint64_t split_seed) {
    ServerEngine e;
    Run r;
    e.start(Time{});
    Rng rng(split_seed);
    auto drain = [&] {
        for (;;) {
            r.output += e.poll_output();
            auto ev = e.poll_event();
            if (!ev) break;
            if (const auto* q = std::get_if<RequestEvent>(&*ev)) {
                r.requests.push_back(q->request.method + " " + q->request.target + " " + q->request.body);
                Response resp;
                resp.body = "ok " + std::to_string(r.requests.size());
                e.respond(Time{}, resp);
            }
            if (std::get_if<ViolationEvent>(&*ev)) ++r.violations;
            if (std::get_if<CloseEvent>(&*ev)) r.closed = true;
        }
    };
    std::size_t p = 0;
    while (p < input.size()) {
        const std::size_t n = split_seed == 0 ? input.size() : static_cast<std::size_t>(rng.uniform_int(1, 31));
        e.handle_bytes(Time{}, std::string_view(input).substr(p, n));
        drain();
        p += n;
    }
    e.handle_closed(Time{});
    drain();
    return r;
}

std::vector<std::string> golden_inputs() {
    std::vector<std::filesystem::path> files;
    for (const auto& f : std::filesystem::directory_iterator(std::filesystem::path(POSTINO_SOURCE_DIR) / "tests/http/golden"))
        files.push_back(f.path());
    std::sort(files.begin(), files.end());
    std::vector<std::string> out;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        auto t = smtp::parse_transcript(ss.str(), f.filename().string());
        if (!t) continue;
        std::string client;
        for (const auto& s : t->steps) {
            if (s.kind == smtp::TranscriptStep::Kind::Client) client += s.bytes;
        }
        out.push_back(client);
    }
    return out;
}

}  // namespace

TEST_CASE("http server engine: mutated golden input, split anywhere, never breaks it", "[http][robustness]") {
    Rng rng(9112);
    const auto inputs = golden_inputs();
    REQUIRE(inputs.size() >= 15);
    int runs = 0, refused = 0;
    for (int round = 0; round < 40; ++round) {
        for (const auto& base : inputs) {
            const std::string input = mutate(base, rng);
            const Run whole = serve(input, 0);
            const Run split = serve(input, static_cast<std::uint64_t>(rng.uniform_int(1, 1'000'000)));
            INFO("input: " << smtp::escape(input));
            CHECK(whole.requests == split.requests);
            // "100 Continue" goes out only when the body has not arrived with the head
            // (RFC 9110 §10.1.1): the one part of the output that may depend on the split.
            auto final_only = [](std::string o) {
                const std::string c = "HTTP/1.1 100 Continue\r\n\r\n";
                for (auto at = o.find(c); at != std::string::npos; at = o.find(c)) o.erase(at, c.size());
                return o;
            };
            CHECK(final_only(whole.output) == final_only(split.output));
            CHECK(whole.violations <= 1);
            CHECK(whole.closed);
            refused += whole.violations;
            // Everything written reads back as complete responses.
            std::string_view out = whole.output;
            int responses = 0;
            while (!out.empty()) {
                ResponseReader reader;
                // The answer to a HEAD has Content-Length but no content (RFC 9110 §9.3.2).
                const auto n = static_cast<std::size_t>(responses);
                reader.expect_no_content(n < whole.requests.size() && whole.requests[n].rfind("HEAD ", 0) == 0);
                const ReadResult rr = reader.read(out);
                REQUIRE(rr.kind == ReadKind::Complete);
                out.remove_prefix(rr.consumed);
                ++responses;
            }
            CHECK(responses >= static_cast<int>(whole.requests.size()));
            ++runs;
        }
    }
    CHECK(runs == 40 * static_cast<int>(inputs.size()));
    CHECK(refused > runs / 4);  // the mutations do reach the refusals
}

TEST_CASE("http client engine: mutated responses never break it", "[http][robustness]") {
    Rng rng(9110);
    const std::string base =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 12\r\n"
        "Set-Cookie: s=1; Path=/\r\n\r\n<p>hello</p>HTTP/1.1 303 See Other\r\nLocation: /\r\nContent-Length: 0\r\n\r\n";
    for (int i = 0; i < 2000; ++i) {
        const std::string input = mutate(base, rng);
        ClientEngine c;
        c.start(Time{});
        for (int k = 0; k < 2; ++k) {
            Request r;
            r.method = "GET";
            r.target = "/";
            r.fields.add("Host", "h");
            c.send(Time{}, r);
        }
        std::size_t p = 0;
        int finals = 0;
        while (p < input.size() && !c.closed()) {
            const auto n = static_cast<std::size_t>(rng.uniform_int(1, 19));
            c.handle_bytes(Time{}, std::string_view(input).substr(p, n));
            p += n;
            while (auto ev = c.poll_event()) {
                if (const auto* r = std::get_if<ResponseEvent>(&*ev); r && !r->interim) ++finals;
            }
        }
        c.handle_closed(Time{});
        while (auto ev = c.poll_event()) {
            if (const auto* r = std::get_if<ResponseEvent>(&*ev); r && !r->interim) ++finals;
        }
        CHECK(c.closed());
        CHECK(finals <= 2);
    }
}
