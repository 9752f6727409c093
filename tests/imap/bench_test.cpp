// bench_test.cpp — a hidden measurement, not a test (issue 10's benchmark):
// FETCH 1:* ENVELOPE and a few SEARCHes over 10,000 messages, in the server
// engine alone (store adapter over an in-memory MailStore). Run:
//   postino_tests_imap "[.bench]"
// It prints wall-clock figures (tests may read the clock; sim/ never does).
#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>

#include "imap/session.hpp"

using namespace postino;
using namespace postino::imap::testing;

TEST_CASE("imap engine benchmark: ENVELOPE and SEARCH over 10000 messages", "[.bench]") {
    constexpr int kMessages = 10000;
    World w;
    for (int i = 0; i < kMessages; ++i) {
        std::string m = "Date: Mon, 1 Jan 2024 09:00:00 +0000\r\nFrom: Sender " + std::to_string(i % 97) +
                        " <s" + std::to_string(i % 97) + "@b.example>\r\nTo: alice@a.example\r\nSubject: Message " +
                        std::to_string(i) + (i % 10 == 0 ? " report" : "") + "\r\nMessage-ID: <" + std::to_string(i) +
                        "@b.example>\r\n\r\n" + std::string(200 + i % 300, 'x') + "\r\n";
        w.add(std::move(m), i % 3 == 0 ? std::vector<std::string>{"\\Seen"} : std::vector<std::string>{}, "INBOX",
              seconds(i * 60));
    }
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    auto time = [&](const char* what, const std::string& cmd) {
        const auto t0 = std::chrono::steady_clock::now();
        const auto out = s.send(cmd);
        const auto t1 = std::chrono::steady_clock::now();
        const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        std::cout << what << ": " << ms << " ms, " << out.size() << " octets of output\n";
        REQUIRE(out.find(" OK ") != std::string::npos);
    };
    time("FETCH 1:* ENVELOPE", "b FETCH 1:* ENVELOPE");
    time("FETCH 1:* (FLAGS RFC822.SIZE)", "c FETCH 1:* (FLAGS RFC822.SIZE)");
    time("SEARCH UNSEEN LARGER 300", "d SEARCH UNSEEN LARGER 300");
    time("SEARCH SUBJECT report", "e SEARCH SUBJECT report");
    time("SEARCH OR FROM s5 BODY zzz", "f SEARCH OR FROM s5 BODY zzz");
}
