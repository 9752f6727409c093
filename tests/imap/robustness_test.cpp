// robustness_test.cpp — seeded mutations of the golden transcripts' client
// input (flipped, dropped, duplicated and inserted octets) fed to the server
// engine, and of a scripted server's output fed to the client engine: no
// crash, every server write ends in CRLF, the buffers stay bounded. A
// deterministic stand-in until fuzz/ has IMAP targets.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "imap/golden_driver.hpp"
#include "imap/session.hpp"
#include "proto/imap/client_engine.hpp"

using namespace postino;
using namespace postino::imap;
using namespace postino::imap::testing;

namespace {

std::string mutate(const std::string& in, Rng& rng) {
    std::string s = in;
    const int edits = static_cast<int>(rng.uniform_int(1, 8));
    static constexpr char kSpecial[] = "{}()[]<>\"\\*%:+.\r\n 0123456789";
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

}  // namespace

TEST_CASE("imap server engine: mutated golden input never breaks it", "[imap][robustness]") {
    Rng rng(2026);
    int runs = 0;
    for (const auto& file : golden_files()) {
        auto t = load_transcript(file);
        REQUIRE(t.ok());
        std::string input;
        for (const auto& st : t->steps)
            if (st.kind == smtp::TranscriptStep::Kind::Client) input += st.bytes;
        for (int k = 0; k < 25; ++k, ++runs) {
            World w;
            w.add(msg("a"), {"\\Seen"});
            w.add("From: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n");
            Session s(w);
            s.raw("z0 LOGIN alice secret\r\nz1 SELECT INBOX\r\n");
            const std::string in = mutate(input, rng);
            std::string out;
            std::size_t p = 0;
            while (p < in.size() && !s.engine().close_requested()) {
                const auto n = static_cast<std::size_t>(rng.uniform_int(1, 64));
                out += s.raw(std::string_view(in).substr(p, n));
                p += n;
            }
            for (int i = 0; i < 8; ++i) out += s.output();
            INFO(file << " run " << k);
            CHECK((out.empty() || out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") == 0));
        }
    }
    CHECK(runs >= 250);
}

TEST_CASE("imap client engine: mutated server output never breaks it", "[imap][robustness]") {
    const std::string server =
        "* OK ready\r\nc1 OK Logged in\r\n* 1 EXISTS\r\nc2 OK [READ-WRITE] done\r\n"
        "* 1 FETCH (UID 4 RFC822.SIZE 9 ENVELOPE (NIL \"s\" ((\"B\" NIL \"b\" \"x\")) NIL NIL NIL NIL NIL NIL NIL) "
        "BODYSTRUCTURE ((\"text\" \"plain\" NIL NIL NIL \"7BIT\" 5 1) \"mixed\"))\r\nc3 OK done\r\n"
        "* 1 FETCH (UID 4 BODY[1] {5}\r\nhello)\r\nc4 OK done\r\n* BYE bye\r\nc5 OK done\r\n";
    Rng rng(7);
    for (int k = 0; k < 2000; ++k) {
        ClientConfig cfg;
        cfg.user = "alice";
        cfg.password = "secret";
        ClientEngine c(cfg);
        c.start(Time{});
        const std::string in = mutate(server, rng);
        c.handle_bytes(Time{}, in);
        c.handle_closed(Time{});
        (void)c.poll_output();
        while (c.poll_event()) {
        }
        CHECK(c.result().finished);
    }
}
