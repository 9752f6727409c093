// trace_line.cpp — "line" and "note" trace events from SMTP engine events
// (docs/trace-format.md; reply lines per RFC 5321 §4.2).
#include "proto/smtp/trace_line.hpp"

#include <type_traits>

namespace postino::smtp {

const char* to_string(Direction d) { return d == Direction::Send ? "send" : "recv"; }

trace::Event line_event(const std::string& host, const std::string& peer, std::uint64_t conn, Direction dir,
                        std::string_view raw, const LineMeaning& meaning) {
    trace::Event e("line", host, peer, conn);
    e.set("proto", "smtp");
    e.set("dir", to_string(dir));
    e.set_bytes("bytes", raw);
    if (!meaning.verb.empty()) e.set("verb", meaning.verb);
    if (meaning.code) e.set("code", *meaning.code);
    if (!meaning.enhanced.empty()) e.set("enhanced", meaning.enhanced);
    return e;
}

std::vector<trace::Event> trace_events(const Event& event, Role role, const std::string& host, const std::string& peer,
                                       std::uint64_t conn) {
    const Direction commands = role == Role::Server ? Direction::Recv : Direction::Send;
    const Direction replies = role == Role::Server ? Direction::Send : Direction::Recv;
    std::vector<trace::Event> out;
    std::visit(
        [&](const auto& ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, CommandEvent>) {
                LineMeaning m;
                m.verb = ev.verb;
                out.push_back(line_event(host, peer, conn, commands, ev.raw, m));
            } else if constexpr (std::is_same_v<T, ReplyEvent>) {
                // One event per CRLF-terminated line of the reply.
                std::string_view raw = ev.raw;
                while (!raw.empty()) {
                    const std::size_t nl = raw.find('\n');
                    const std::string_view line = raw.substr(0, nl == std::string_view::npos ? raw.size() : nl + 1);
                    LineMeaning m;
                    m.code = ev.reply.code;
                    m.enhanced = ev.reply.enhanced;
                    out.push_back(line_event(host, peer, conn, replies, line, m));
                    raw.remove_prefix(line.size());
                }
            } else if constexpr (std::is_same_v<T, DataEvent>) {
                out.push_back(line_event(host, peer, conn, commands, ev.raw));
            } else if constexpr (std::is_same_v<T, ViolationEvent>) {
                trace::Event n("note", host, peer, conn);
                n.set("text", ev.rfc + ": " + ev.what);
                out.push_back(std::move(n));
            }
        },
        event);
    return out;
}

}  // namespace postino::smtp
