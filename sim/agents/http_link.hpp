// http_link.hpp — a sans-I/O HTTP engine (server or client) over a simulated
// TCP connection (engine_link.hpp), its messages traced as "line" events with
// proto "http" and "proto" violations (http::trace_events); every event goes
// on to the host (a request to answer, a response to read), which may answer
// from inside the handler (kDeferNestedPump).
#pragma once

#include <cstdint>
#include <type_traits>

#include "agents/engine_link.hpp"
#include "proto/http/client_engine.hpp"
#include "proto/http/server_engine.hpp"
#include "proto/http/trace_line.hpp"

namespace postino::agents {

struct HttpProtocol {
    using Event = http::Event;
    using CloseEvent = http::CloseEvent;
    template <typename E>
    static constexpr bool is_server = std::is_same_v<E, http::ServerEngine>;
    static void trace(trace::Recorder& rec, const net::TcpConnection& conn, const Event& ev, bool server) {
        for (auto& te : http::trace_events(ev, conn.host_name(), conn.peer_name(), conn.id(), server))
            rec.emit(std::move(te));
    }
    static constexpr bool kDeferNestedPump = true;
};

using HttpServerLink = EngineLink<HttpProtocol, http::ServerEngine>;
using HttpClientLink = EngineLink<HttpProtocol, http::ClientEngine>;

inline constexpr std::uint16_t kHttpPort = 80;  // RFC 9110 §4.2.1

}  // namespace postino::agents
