// pop3_link.hpp — a sans-I/O POP3 engine (server or client) over a simulated
// TCP connection (engine_link.hpp), its lines traced as "line" and "proto"
// events (pop3::trace_events).
#pragma once

#include <type_traits>

#include "agents/engine_link.hpp"
#include "proto/pop3/client_engine.hpp"
#include "proto/pop3/events.hpp"
#include "proto/pop3/server_engine.hpp"
#include "proto/pop3/trace_line.hpp"

namespace postino::agents {

void trace_pop3_event(trace::Recorder& rec, const net::TcpConnection& conn, const pop3::Event& ev, bool is_server);

struct Pop3Protocol {
    using Event = pop3::Event;
    using CloseEvent = pop3::CloseEvent;
    template <typename E>
    static constexpr bool is_server = std::is_same_v<E, pop3::ServerEngine>;
    static void trace(trace::Recorder& rec, const net::TcpConnection& conn, const Event& ev, bool server) {
        trace_pop3_event(rec, conn, ev, server);
    }
    static constexpr bool kDeferNestedPump = false;
};

template <typename Engine>
using Pop3Link = EngineLink<Pop3Protocol, Engine>;

}  // namespace postino::agents
