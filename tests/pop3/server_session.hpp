// server_session.hpp — a POP3 server engine with a scripted policy, driven
// one command at a time, for the checklist and unit tests.
#pragma once

#include <string>
#include <vector>

#include "pop3/scripted_policy.hpp"
#include "proto/pop3/server_engine.hpp"

namespace postino::pop3::testing {

struct ServerSession {
    ScriptedPolicy policy;
    ServerConfig config;
    std::unique_ptr<ServerEngine> engine;
    std::vector<Event> events;
    Time now{};

    ServerSession() { policy.add_user("alice", "secret"); }
    // Starts the engine; returns the greeting.
    std::string start() {
        engine = std::make_unique<ServerEngine>(config, policy);
        engine->start(now);
        return drain();
    }
    std::string drain() {
        std::string out;
        for (;;) {
            bool any = false;
            while (auto ev = engine->poll_event()) {
                any = true;
                events.push_back(std::move(*ev));
            }
            std::string o = engine->poll_output();
            if (!o.empty()) any = true;
            out += o;
            if (!any) return out;
        }
    }
    // Sends one line (CRLF added) and returns what the server answered,
    // running the bad-password delay if one is pending.
    std::string cmd(const std::string& line) {
        engine->handle_bytes(now, line + "\r\n");
        std::string out = drain();
        if (out.empty()) {
            if (auto d = engine->next_deadline(); d && *d - now < minutes(1)) {
                now = *d;
                engine->handle_timeout(now);
                out = drain();
            }
        }
        return out;
    }
    std::string login() {
        cmd("USER alice");
        return cmd("PASS secret");
    }
};

}  // namespace postino::pop3::testing
