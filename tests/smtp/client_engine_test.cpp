// client_engine_test.cpp — client engine behaviour not covered by the
// transcripts: deadlines per stage (RFC 5321 §4.5.3.2), events, injection
// safety, configuration errors.
#include <catch2/catch.hpp>

#include <string>

#include "proto/smtp/client_engine.hpp"

using namespace postino;
using namespace postino::smtp;

namespace {

Transaction txn(std::string from, std::vector<mail::Mailbox> to, std::string content = "x\r\n") {
    Transaction t;
    const auto at = from.find('@');
    if (at != std::string::npos) t.sender = {from.substr(0, at), from.substr(at + 1)};
    t.recipients = std::move(to);
    t.content = std::move(content);
    return t;
}

}  // namespace

TEST_CASE("client: each stage arms its own RFC 5321 §4.5.3.2 timeout", "[smtp][client]") {
    ClientEngine c(ClientConfig{}, {txn("a@a.example", {{"b", "b.example"}})});
    c.start(Time{});
    CHECK(c.next_deadline() == kInitialGreetingTimeout);
    Time now = seconds(1);
    auto step = [&](std::string_view reply, Stage expect, Duration timeout) {
        c.handle_bytes(now, reply);
        c.poll_output();
        CHECK(c.stage() == expect);
        CHECK(c.next_deadline() == now + timeout);
        now += seconds(1);
    };
    step("220 s ESMTP\r\n", Stage::Ehlo, kOtherReplyTimeout);
    step("250 s\r\n", Stage::Mail, kMailTimeout);  // no PIPELINING: one command at a time
    step("250 ok\r\n", Stage::Rcpt, kRcptTimeout);
    step("250 ok\r\n", Stage::Data, kDataInitiationTimeout);
    step("354 go\r\n", Stage::DataEnd, kDataTerminationTimeout);
    step("250 ok\r\n", Stage::Quit, kOtherReplyTimeout);
    c.handle_bytes(now, "221 bye\r\n");
    CHECK(c.finished());
    CHECK(c.close_requested());
    CHECK_FALSE(c.next_deadline().has_value());
}

TEST_CASE("client: scenario timeouts override the defaults", "[smtp][client]") {
    ClientConfig cfg;
    cfg.timeouts.greeting = seconds(3);
    ClientEngine c(cfg, {});
    c.start(seconds(1));
    CHECK(c.next_deadline() == seconds(4));
}

TEST_CASE("client: CR or LF in an address can never reach the wire", "[smtp][client]") {
    ClientEngine c(
        ClientConfig{},
        {txn("a@a.example", {{"bob", "b.example\r\nRCPT TO:<evil@x.example>"}, {"eve\r\nDATA", "b.example"}})});
    c.start(Time{});
    c.handle_bytes(Time{}, "220 s\r\n");
    c.poll_output();
    c.handle_bytes(Time{}, "250-s\r\n250 PIPELINING\r\n");
    const std::string out = c.poll_output();
    CHECK(out == "QUIT\r\n");  // both recipients refused locally, no MAIL sent
    const auto& r = c.result().transactions[0].recipients;
    CHECK(r[0].outcome == Outcome::PermFail);
    CHECK(r[0].local);
    CHECK(r[1].outcome == Outcome::PermFail);
}

TEST_CASE("client: an unusable EHLO name fails locally without sending anything", "[smtp][client]") {
    ClientConfig cfg;
    cfg.helo_name = "bad name\r\nQUIT";
    ClientEngine c(cfg, {txn("a@a.example", {{"b", "b.example"}})});
    c.start(Time{});
    CHECK(c.poll_output().empty());
    CHECK(c.finished());
    CHECK(c.result().failure.kind == FailureKind::LocalError);
    CHECK(c.result().transactions[0].recipients[0].outcome == Outcome::TempFail);
}

TEST_CASE("client: events come in wire order with a transaction result", "[smtp][client]") {
    ClientEngine c(ClientConfig{}, {txn("a@a.example", {{"b", "b.example"}}, ".dot\r\n")});
    c.start(Time{});
    c.handle_bytes(Time{},
                   "220 s\r\n250-s\r\n250 PIPELINING\r\n250 ok\r\n250 ok\r\n354 go\r\n250 queued\r\n221 bye\r\n");
    std::vector<std::string> seen;
    while (auto e = c.poll_event()) {
        std::visit(
            [&](const auto& ev) {
                using T = std::decay_t<decltype(ev)>;
                if constexpr (std::is_same_v<T, CommandEvent>) seen.push_back("C " + ev.verb);
                if constexpr (std::is_same_v<T, ReplyEvent>) seen.push_back("R " + std::to_string(ev.reply.code));
                if constexpr (std::is_same_v<T, DataEvent>) seen.push_back("D " + ev.raw);
                if constexpr (std::is_same_v<T, TransactionEvent>) seen.push_back("T " + std::to_string(ev.index));
                if constexpr (std::is_same_v<T, CloseEvent>) seen.push_back("X");
            },
            *e);
    }
    CHECK(seen == std::vector<std::string>{"R 220", "C EHLO", "R 250", "C MAIL", "C RCPT", "C DATA", "R 250", "R 250",
                                           "R 354", "D ..dot\r\n.\r\n", "R 250", "T 0", "C QUIT", "R 221", "X"});
    CHECK(c.result().transactions[0].recipients[0].outcome == Outcome::Accepted);
    CHECK(c.result().transactions[0].content_sent);
}

TEST_CASE("client: pipelining can be turned off even when offered", "[smtp][client]") {
    ClientConfig cfg;
    cfg.use_pipelining = false;
    ClientEngine c(cfg, {txn("a@a.example", {{"b", "b.example"}, {"c", "b.example"}})});
    c.start(Time{});
    c.handle_bytes(Time{}, "220 s\r\n250-s\r\n250 PIPELINING\r\n");
    CHECK(c.poll_output() == "EHLO client.example\r\nMAIL FROM:<a@a.example>\r\n");
}

TEST_CASE("client: EHLO refused temporarily is a session refusal, not a HELO fallback", "[smtp][client]") {
    ClientEngine c(ClientConfig{}, {txn("a@a.example", {{"b", "b.example"}})});
    c.start(Time{});
    c.handle_bytes(Time{}, "220 s\r\n450 busy\r\n");
    CHECK(c.poll_output() == "EHLO client.example\r\nQUIT\r\n");
    CHECK(c.result().failure.kind == FailureKind::SessionRefused);
    CHECK(c.result().transactions[0].recipients[0].outcome == Outcome::TempFail);
}

TEST_CASE("client: a 354 with no valid recipient gets an empty message, as RFC 2920 §3.1 asks", "[smtp][client]") {
    ClientEngine c(ClientConfig{}, {txn("a@a.example", {{"b", "b.example"}})});
    c.start(Time{});
    c.handle_bytes(Time{}, "220 s\r\n250-s\r\n250 PIPELINING\r\n");
    c.poll_output();
    c.handle_bytes(Time{}, "250 ok\r\n550 no\r\n354 go anyway\r\n");
    CHECK(c.poll_output() == ".\r\n");
    c.handle_bytes(Time{}, "554 no valid recipients\r\n");
    CHECK(c.poll_output() == "QUIT\r\n");
    CHECK(c.result().transactions[0].recipients[0].outcome == Outcome::PermFail);
}
