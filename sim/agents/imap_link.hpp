// imap_link.hpp — a sans-I/O IMAP engine (server or client) over a simulated
// TCP connection (engine_link.hpp), its lines traced as "line" and "proto"
// events (imap::trace_events); a server session in IDLE hears store changes
// through mailbox_changed() (RFC 2177).
#pragma once

#include <type_traits>

#include "agents/engine_link.hpp"
#include "proto/imap/client_engine.hpp"
#include "proto/imap/server_engine.hpp"
#include "proto/imap/trace_line.hpp"

namespace postino::agents {

struct ImapProtocol {
    using Event = imap::Event;
    using CloseEvent = imap::CloseEvent;
    template <typename E>
    static constexpr bool is_server = std::is_same_v<E, imap::ServerEngine>;
    static void trace(trace::Recorder& rec, const net::TcpConnection& conn, const Event& ev, bool server) {
        for (auto& te : imap::trace_events(ev, conn.host_name(), conn.peer_name(), conn.id(), server))
            rec.emit(std::move(te));
    }
    static constexpr bool kDeferNestedPump = false;
};

using ImapLink = EngineLink<ImapProtocol, imap::ServerEngine>;
using ImapClientLink = EngineLink<ImapProtocol, imap::ClientEngine>;

}  // namespace postino::agents
