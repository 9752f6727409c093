// trace_line.cpp — "line" and "proto" trace events from IMAP server engine
// events (docs/trace-format.md; RFC 3501 §7.1 status responses). See
// trace_line.hpp.
#include "proto/imap/trace_line.hpp"

#include <type_traits>

namespace postino::imap {

std::string response_status(std::string_view raw) {
    if (raw.rfind('+', 0) == 0) return "+";
    const auto sp = raw.find(' ');
    if (sp == std::string_view::npos) return {};
    const auto rest = raw.substr(sp + 1);
    for (const char* s : {"OK", "NO", "BAD", "BYE", "PREAUTH"}) {
        const std::string_view w(s);
        if (rest.rfind(w, 0) == 0 && (rest.size() == w.size() || rest[w.size()] == ' ' || rest[w.size()] == '\r'))
            return std::string(w);
    }
    return {};
}

std::vector<trace::Event> trace_events(const Event& event, const std::string& host, const std::string& peer,
                                       std::uint64_t conn, bool is_server) {
    std::vector<trace::Event> out;
    auto proto = [&](const char* ev) -> trace::Event& {
        out.emplace_back("proto", host, peer, conn);
        return out.back().set("proto", "imap").set("ev", ev);
    };
    std::visit(
        [&](const auto& ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, CommandEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "imap").set("dir", is_server ? "recv" : "send").set_bytes("bytes", ev.raw + "\r\n");
                if (!ev.name.empty()) e.set("verb", ev.name);
                out.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, ResponseEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "imap").set("dir", is_server ? "send" : "recv").set_bytes("bytes", ev.raw);
                const std::string st = response_status(ev.raw);
                if (!st.empty()) e.set("status", st);
                out.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, LoginEvent>) {
                proto("login").set("detail", ev.user + " logged in with " + ev.method).set("user", ev.user);
            } else if constexpr (std::is_same_v<T, AuthFailureEvent>) {
                proto("auth-failure")
                    .set("detail", ev.user + ": authentication failed (" + std::to_string(ev.failures) + " so far)")
                    .set("user", ev.user);
            } else if constexpr (std::is_same_v<T, ViolationEvent>) {
                proto("violation").set("detail", ev.what).set("section", ev.rfc);
            }
        },
        event);
    return out;
}

}  // namespace postino::imap
