// trace_line.cpp — "line" and "proto" trace events from POP3 engine events
// (docs/trace-format.md; RFC 1939 §3 status lines, RFC 2449 §8 codes).
#include "proto/pop3/trace_line.hpp"

#include <type_traits>

namespace postino::pop3 {

std::vector<trace::Event> trace_events(const Event& event, Role role, const std::string& host,
                                       const std::string& peer, std::uint64_t conn) {
    const char* commands = role == Role::Server ? "recv" : "send";
    const char* responses = role == Role::Server ? "send" : "recv";
    std::vector<trace::Event> out;
    auto proto = [&](const char* ev) -> trace::Event& {
        out.emplace_back("proto", host, peer, conn);
        return out.back().set("proto", "pop3").set("ev", ev);
    };
    std::visit(
        [&](const auto& ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, CommandEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "pop3").set("dir", commands).set_bytes("bytes", ev.raw);
                if (!ev.verb.empty()) e.set("verb", ev.verb);
                out.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, ResponseEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "pop3").set("dir", responses).set_bytes("bytes", ev.raw_status);
                e.set("status", ev.response.ok ? "+OK" : "-ERR");
                if (!ev.response.code.empty()) e.set("resp_code", ev.response.code);
                out.push_back(std::move(e));
                if (ev.multiline) {
                    trace::Event b("line", host, peer, conn);
                    b.set("proto", "pop3").set("dir", responses).set_bytes("bytes", ev.raw_body);
                    b.set("multiline", true);
                    out.push_back(std::move(b));
                }
            } else if constexpr (std::is_same_v<T, LoginEvent>) {
                proto("login")
                    .set("detail", ev.user + " logged in with " + ev.method + ": " + std::to_string(ev.messages) +
                                       (ev.messages == 1 ? " message, " : " messages, ") + std::to_string(ev.octets) + " octets")
                    .set("user", ev.user);
            } else if constexpr (std::is_same_v<T, AuthFailureEvent>) {
                proto("auth-failure").set("detail", ev.user + ": " + ev.reason).set("user", ev.user);
            } else if constexpr (std::is_same_v<T, UpdateEvent>) {
                std::string ids;
                for (const auto& d : ev.deleted) ids += (ids.empty() ? "" : ",") + d;
                proto("update")
                    .set("detail", std::string(ev.ok ? "removed " : "removal failed for ") +
                                       std::to_string(ev.deleted.size()) + " messages" +
                                       (ids.empty() ? "" : " (" + ids + ")"))
                    .set("user", ev.user)
                    .set("section", "RFC 1939 §6");
            } else if constexpr (std::is_same_v<T, ViolationEvent>) {
                proto("violation").set("detail", ev.what).set("section", ev.rfc);
            }
        },
        event);
    return out;
}

}  // namespace postino::pop3
