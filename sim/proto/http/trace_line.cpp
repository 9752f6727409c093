// trace_line.cpp — "line" and "proto" trace events from HTTP engine events
// (docs/trace-format.md). See trace_line.hpp.
#include "proto/http/trace_line.hpp"

#include <type_traits>

namespace postino::http {

std::vector<trace::Event> trace_events(const Event& event, const std::string& host, const std::string& peer,
                                       std::uint64_t conn, bool is_server) {
    std::vector<trace::Event> out;
    std::visit(
        [&](const auto& ev) {
            using T = std::decay_t<decltype(ev)>;
            if constexpr (std::is_same_v<T, RequestEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "http").set("dir", is_server ? "recv" : "send").set_bytes("bytes", ev.raw);
                e.set("verb", ev.request.method).set("target", ev.request.target);
                out.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, ResponseEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "http").set("dir", is_server ? "send" : "recv").set_bytes("bytes", ev.raw);
                e.set("code", std::int64_t{ev.response.status});
                out.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, ViolationEvent>) {
                trace::Event e("proto", host, peer, conn);
                e.set("proto", "http").set("ev", "violation").set("detail", ev.error.message()).set("section", ev.error.section());
                out.push_back(std::move(e));
            }
        },
        event);
    return out;
}

}  // namespace postino::http
