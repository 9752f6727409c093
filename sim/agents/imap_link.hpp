// imap_link.hpp — runs the sans-I/O IMAP server engine over a simulated TCP
// connection and reports its lines to the trace (DESIGN.md §2.1, §2.3): the
// IMAP twin of pop3_link.hpp. The link feeds the connection's bytes to the
// engine, writes what the engine sends, arms the engine's deadline on the
// scheduler, and turns engine events into trace events
// (imap::trace_events: "line" and "proto").
#pragma once

#include <functional>
#include <memory>

#include "core/scheduler.hpp"
#include "net/network.hpp"
#include "net/tcp_connection.hpp"
#include "proto/imap/server_engine.hpp"

namespace postino::agents {

class ImapLink : public std::enable_shared_from_this<ImapLink> {
public:
    using ClosedHandler = std::function<void(net::CloseReason)>;

    ImapLink(net::Network& net, std::shared_ptr<net::TcpConnection> conn, std::unique_ptr<imap::ServerEngine> engine)
        : net_(net), conn_(std::move(conn)), engine_(std::move(engine)) {}
    ~ImapLink();

    // Wires the connection's callbacks; call once, right after construction.
    void attach(ClosedHandler on_closed);
    void start();
    // The store changed: an idling session reports it now.
    void mailbox_changed();
    imap::ServerEngine& engine() { return *engine_; }
    [[nodiscard]] bool finished() const { return finished_; }
    void pump();

private:
    void cancel_timer();
    void arm_timer();

    net::Network& net_;
    std::shared_ptr<net::TcpConnection> conn_;
    std::unique_ptr<imap::ServerEngine> engine_;
    ClosedHandler on_closed_;
    EventId timer_;
    bool finished_ = false;
    bool close_after_drain_ = false;
    bool closed_by_us_ = false;
};

}  // namespace postino::agents
