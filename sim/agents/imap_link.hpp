// imap_link.hpp — runs a sans-I/O IMAP engine (server or client) over a
// simulated TCP connection and reports its lines to the trace (DESIGN.md
// §2.1, §2.3): the IMAP twin of pop3_link.hpp. The link feeds the
// connection's bytes to the engine, writes what the engine sends, arms the
// engine's deadline on the scheduler, and turns engine events into trace
// events (imap::trace_events: "line" and "proto").
#pragma once

#include <functional>
#include <memory>
#include <type_traits>

#include "core/scheduler.hpp"
#include "net/network.hpp"
#include "net/tcp_connection.hpp"
#include "proto/imap/client_engine.hpp"
#include "proto/imap/server_engine.hpp"
#include "proto/imap/trace_line.hpp"

namespace postino::agents {

template <typename Engine>
class ImapLinkT : public std::enable_shared_from_this<ImapLinkT<Engine>> {
public:
    using ClosedHandler = std::function<void(net::CloseReason)>;
    static constexpr bool kServer = std::is_same_v<Engine, imap::ServerEngine>;

    ImapLinkT(net::Network& net, std::shared_ptr<net::TcpConnection> conn, std::unique_ptr<Engine> engine)
        : net_(net), conn_(std::move(conn)), engine_(std::move(engine)) {}
    ~ImapLinkT() { cancel_timer(); }

    // Wires the connection's callbacks; call once, right after construction.
    void attach(ClosedHandler on_closed) {
        on_closed_ = std::move(on_closed);
        std::weak_ptr<ImapLinkT> weak = this->shared_from_this();
        conn_->on_data = [weak](std::string_view d) {
            if (auto self = weak.lock()) {
                self->engine_->handle_bytes(self->net_.now(), d);
                self->pump();
            }
        };
        conn_->on_eof = [weak] {
            if (auto self = weak.lock()) {
                self->engine_->handle_closed(self->net_.now());
                self->pump();
                self->conn_->close();
            }
        };
        conn_->on_closed = [weak](net::CloseReason r) {
            if (auto self = weak.lock()) {
                // A server session dies with its own host: a crash is not the
                // client closing, so the engine is not told the peer closed
                // (its trace would say "the client closed the connection"; as smtp_link.hpp). A client engine is still told: its result
                // ends the session.
                const bool died_with_host = r == net::CloseReason::HostDown && kServer;
                if (!self->finished_ && !died_with_host) {
                    self->engine_->handle_closed(self->net_.now());
                    self->pump();
                }
                self->finished_ = true;
                self->cancel_timer();
                if (self->on_closed_) self->on_closed_(r);
            }
        };
    }
    void start() {
        engine_->start(net_.now());
        pump();
    }
    // The store changed: an idling server session reports it now (RFC 2177).
    void mailbox_changed() {
        if constexpr (kServer) {
            if (finished_) return;
            engine_->handle_mailbox_changed(net_.now());
            pump();
        }
    }
    Engine& engine() { return *engine_; }
    [[nodiscard]] bool finished() const { return finished_; }

    void pump() {
        for (;;) {
            std::string out = engine_->poll_output();
            bool any = !out.empty();
            if (any && !finished_) conn_->send(out);
            while (auto ev = engine_->poll_event()) {
                any = true;
                for (auto& te : imap::trace_events(*ev, conn_->host_name(), conn_->peer_name(), conn_->id(), kServer))
                    net_.trace().emit(std::move(te));
                if (const auto* c = std::get_if<imap::CloseEvent>(&*ev); c && c->by_engine) close_after_drain_ = true;
            }
            if (!any) break;
        }
        if (close_after_drain_ && !closed_by_us_ && !finished_) {
            closed_by_us_ = true;
            conn_->close();
        }
        arm_timer();
    }

private:
    void cancel_timer() {
        if (timer_.valid()) net_.scheduler().cancel(timer_);
        timer_ = EventId{};
    }
    void arm_timer() {
        cancel_timer();
        if (finished_) return;
        const auto d = engine_->next_deadline();
        if (!d) return;
        std::weak_ptr<ImapLinkT> weak = this->shared_from_this();
        timer_ = net_.scheduler().schedule_at(*d, [weak] {
            if (auto self = weak.lock()) {
                self->timer_ = EventId{};
                self->engine_->handle_timeout(self->net_.now());
                self->pump();
            }
        });
    }

    net::Network& net_;
    std::shared_ptr<net::TcpConnection> conn_;
    std::unique_ptr<Engine> engine_;
    ClosedHandler on_closed_;
    EventId timer_;
    bool finished_ = false;
    bool close_after_drain_ = false;
    bool closed_by_us_ = false;
};

using ImapLink = ImapLinkT<imap::ServerEngine>;
using ImapClientLink = ImapLinkT<imap::ClientEngine>;

}  // namespace postino::agents
