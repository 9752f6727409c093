// engines_pair_test.cpp — the client engine talking to the server engine
// directly (no network), with octets cut at random points: every message
// arrives exactly as the client meant it, and both sides agree on the fate
// of every recipient.
#include <catch2/catch.hpp>

#include <string>

#include "core/rng.hpp"
#include "proto/smtp/client_engine.hpp"
#include "proto/smtp/data_writer.hpp"
#include "proto/smtp/server_engine.hpp"
#include "smtp/scripted_policy.hpp"

using namespace postino;
using namespace postino::smtp;
using namespace postino::smtp::testing;

namespace {

struct Pair {
    ScriptedPolicy policy;
    ServerEngine server;
    ClientEngine client;
    std::vector<MessageEvent> messages;
    Rng rng;

    Pair(ServerConfig scfg, ClientConfig ccfg, std::vector<Transaction> txns, std::uint64_t seed)
        : server(std::move(scfg), policy), client(std::move(ccfg), std::move(txns)), rng(seed) {}

    // Moves octets both ways in random pieces until nothing moves.
    void run() {
        Time now{};
        server.start(now);
        client.start(now);
        std::string to_client, to_server;
        for (int guard = 0; guard < 1'000'000; ++guard) {
            to_client += server.poll_output();
            to_server += client.poll_output();
            while (auto e = server.poll_event()) {
                if (auto* m = std::get_if<MessageEvent>(&*e)) messages.push_back(std::move(*m));
            }
            while (client.poll_event()) {
            }
            if (to_client.empty() && to_server.empty()) break;
            now += milliseconds(1);
            auto cut = [&](std::string& s) {
                const auto n = static_cast<std::size_t>(rng.uniform_int(1, static_cast<std::int64_t>(s.size())));
                std::string piece = s.substr(0, n);
                s.erase(0, n);
                return piece;
            };
            if (!to_client.empty()) client.handle_bytes(now, cut(to_client));
            if (!to_server.empty()) server.handle_bytes(now, cut(to_server));
        }
        if (server.close_requested()) client.handle_closed(now);
    }
};

std::string random_message(Rng& rng) {
    const char alphabet[] = "abc .\r\n";
    std::string m = "Subject: random\r\n\r\n";
    const auto n = rng.uniform_int(0, 3000);
    for (std::int64_t i = 0; i < n; ++i)
        m.push_back(alphabet[rng.uniform_int(0, sizeof(alphabet) - 2)]);
    return m;
}

}  // namespace

TEST_CASE("pair: random messages arrive intact over random splits, pipelined or not", "[smtp][pair]") {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        Rng gen(seed);
        std::vector<Transaction> txns;
        const auto count = gen.uniform_int(1, 4);
        for (std::int64_t i = 0; i < count; ++i) {
            Transaction t;
            t.sender = {"alice", "a.example"};
            t.recipients = {{"bob", "b.example"}, {"carol", "b.example"}};
            t.content = random_message(gen);
            txns.push_back(std::move(t));
        }
        ServerConfig scfg;
        scfg.extensions.pipelining = seed % 2 == 0;
        Pair p(scfg, ClientConfig{}, txns, seed);
        p.run();
        INFO("seed " << seed);
        REQUIRE(p.messages.size() == txns.size());
        for (std::size_t i = 0; i < txns.size(); ++i) {
            CHECK(p.messages[i].accepted);
            // The server stores exactly what the client meant: the CRLF-normalized message.
            CHECK(prepare_data(p.messages[i].content).wire == prepare_data(txns[i].content).wire);
            CHECK(p.messages[i].envelope.recipients.size() == 2);
        }
        const SessionResult& r = p.client.result();
        CHECK(r.finished);
        CHECK(r.failure.kind == FailureKind::None);
        for (const auto& t : r.transactions) {
            for (const auto& rr : t.recipients)
                CHECK(rr.outcome == Outcome::Accepted);
        }
    }
}

TEST_CASE("pair: server refusals become the client's recipient results", "[smtp][pair]") {
    Transaction t;
    t.sender = {"alice", "a.example"};
    t.recipients = {{"bob", "b.example"}, {"nobody", "b.example"}, {"full", "b.example"}, {"x", "other.example"}};
    t.content = "hello\r\n";
    Pair p(ServerConfig{}, ClientConfig{}, {t}, 3);
    REQUIRE(p.policy.configure("local-domains", "b.example").ok());
    REQUIRE(p.policy.configure("users", "bob@b.example,full@b.example").ok());
    REQUIRE(p.policy.configure("full-temp", "full@b.example").ok());
    p.run();
    const auto& rr = p.client.result().transactions[0].recipients;
    CHECK(rr[0].outcome == Outcome::Accepted);
    CHECK(rr[1].outcome == Outcome::PermFail);
    CHECK(rr[1].reply->enhanced == "5.1.1");
    CHECK(rr[2].outcome == Outcome::TempFail);
    CHECK(rr[2].reply->code == 452);
    CHECK(rr[3].outcome == Outcome::PermFail);
    CHECK(rr[3].reply->enhanced == "5.7.1");
    REQUIRE(p.messages.size() == 1);
    CHECK(p.messages[0].envelope.recipients == std::vector<mail::Mailbox>{{"bob", "b.example"}});
}

TEST_CASE("pair: a message over the server's SIZE is never sent", "[smtp][pair]") {
    ServerConfig scfg;
    scfg.max_message_octets = 100;
    Transaction t;
    t.sender = {"alice", "a.example"};
    t.recipients = {{"bob", "b.example"}};
    t.content = std::string(200, 'x') + "\r\n";
    Pair p(scfg, ClientConfig{}, {t}, 9);
    p.run();
    CHECK(p.messages.empty());
    const auto& rr = p.client.result().transactions[0].recipients[0];
    CHECK(rr.outcome == Outcome::PermFail);
    CHECK(rr.local);
    CHECK(rr.reply->code == 552);
}
