// server_session.hpp — a ServerEngine with a policy, driven line by line,
// whose output is read back through the strict ReplyParser (so every test
// also checks the wire form of the replies).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "proto/smtp/reply_parser.hpp"
#include "proto/smtp/server_engine.hpp"
#include "smtp/scripted_policy.hpp"

namespace postino::smtp::testing {

struct ServerSession {
    ScriptedPolicy policy;
    ServerEngine engine;
    std::vector<Event> events;
    Time now{};
    ReplyParser parser;

    explicit ServerSession(ServerConfig cfg = {}) : engine(std::move(cfg), policy) {}

    // Starts the engine and returns the greeting.
    Reply start() {
        engine.start(now);
        auto r = drain();
        REQUIRE(r.size() == 1);
        return r[0];
    }
    // Feeds raw octets; returns every reply they produced.
    std::vector<Reply> send(std::string_view bytes) {
        engine.handle_bytes(now, bytes);
        return drain();
    }
    // One command line (CRLF added) that must produce exactly one reply.
    Reply cmd(std::string_view line) {
        auto r = send(std::string(line) + "\r\n");
        REQUIRE(r.size() == 1);
        return r[0];
    }
    int code(std::string_view line) { return cmd(line).code; }
    // Greeting and EHLO in one go.
    void greet(std::string_view ehlo = "EHLO client.example") {
        REQUIRE(start().code == 220);
        REQUIRE(code(ehlo) == 250);
    }
    std::vector<Reply> drain() {
        std::vector<Reply> out;
        while (auto e = engine.poll_event())
            events.push_back(std::move(*e));
        std::string bytes = engine.poll_output();
        std::string_view rest = bytes;
        while (!rest.empty()) {
            const auto step = parser.parse(rest);
            rest.remove_prefix(step.consumed);
            REQUIRE(step.status != ReplyParser::Status::Error);
            if (step.status == ReplyParser::Status::NeedMore) break;
            out.push_back(parser.reply());
            parser.next();
        }
        return out;
    }
    template <typename T>
    std::vector<T> all() const {
        std::vector<T> out;
        for (const auto& e : events) {
            if (const auto* p = std::get_if<T>(&e)) out.push_back(*p);
        }
        return out;
    }
    [[nodiscard]] bool closed() const { return engine.close_requested(); }
};

}  // namespace postino::smtp::testing
