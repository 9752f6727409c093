// engine_link.hpp — runs a sans-I/O protocol engine (server or client) over a
// simulated TCP connection (DESIGN.md §2.1, §2.3): the glue the POP3, IMAP
// and HTTP agents share. The link feeds the connection's bytes to the
// engine, writes what the engine sends, arms the engine's deadline on the
// scheduler, turns engine events into trace events, and closes the
// connection once the engine has said its last word.
//
// `Protocol` names the engine family's types and its tracing:
//   using Event = …;  using CloseEvent = …;   (the engine's event variant)
//   template <class E> static constexpr bool is_server;
//   static void trace(trace::Recorder&, const net::TcpConnection&, const Event&, bool is_server);
//   static constexpr bool kDeferNestedPump;    (a pump() from inside an event
//                                               handler is left to the outer loop)
// SMTP keeps its own link (smtp_link.hpp): it adds injected faults and the
// TLS record layer on top of the same shape.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

#include "core/deadline_timer.hpp"
#include "core/scheduler.hpp"
#include "net/network.hpp"
#include "net/tcp_connection.hpp"

namespace postino::agents {

template <typename Protocol, typename Engine>
class EngineLink : public std::enable_shared_from_this<EngineLink<Protocol, Engine>> {
public:
    using Event = typename Protocol::Event;
    using EventHandler = std::function<void(const Event&)>;
    using ClosedHandler = std::function<void(net::CloseReason)>;
    static constexpr bool kServer = Protocol::template is_server<Engine>;

    EngineLink(net::Network& net, std::shared_ptr<net::TcpConnection> conn, std::unique_ptr<Engine> engine)
        : net_(net), conn_(std::move(conn)), engine_(std::move(engine)) {}
    ~EngineLink() { cancel_timer(); }
    EngineLink(const EngineLink&) = delete;
    EngineLink& operator=(const EngineLink&) = delete;

    // Wires the connection's callbacks; call once, right after construction.
    // `on_event` (may be empty) sees every engine event after it is traced.
    void attach(EventHandler on_event, ClosedHandler on_closed) {
        on_event_ = std::move(on_event);
        on_closed_ = std::move(on_closed);
        std::weak_ptr<EngineLink> weak = this->shared_from_this();
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
                // (its trace would blame a peer that did nothing, e.g. a POP3
                // close without QUIT, RFC 1939 §6; as smtp_link.hpp). A client
                // engine is still told: its result ends the session.
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
    void attach(ClosedHandler on_closed) { attach(EventHandler{}, std::move(on_closed)); }

    // The connection is up: start the engine (greeting, or wait for it).
    void start() {
        engine_->start(net_.now());
        pump();
    }

    // The store changed: an idling IMAP server session reports it now (RFC 2177).
    void mailbox_changed()
        requires requires(Engine& e, Time t) { e.handle_mailbox_changed(t); }
    {
        if (finished_) return;
        engine_->handle_mailbox_changed(net_.now());
        pump();
    }

    Engine& engine() { return *engine_; }
    [[nodiscard]] net::TcpConnection& connection() { return *conn_; }
    [[nodiscard]] bool finished() const { return finished_; }

    // Writes the engine's output, reports its events; call after any engine call.
    void pump() {
        if constexpr (Protocol::kDeferNestedPump) {
            if (pumping_) return;  // a handler answered inside an event: the outer loop picks it up
            pumping_ = true;
        }
        for (;;) {
            std::string out = engine_->poll_output();
            bool any = !out.empty();
            if (any && !finished_) conn_->send(out);
            while (auto ev = engine_->poll_event()) {
                any = true;
                Protocol::trace(net_.trace(), *conn_, *ev, kServer);
                using CloseEvent = typename Protocol::CloseEvent;
                if (const auto* c = std::get_if<CloseEvent>(&*ev); c && c->by_engine) close_after_drain_ = true;
                if (on_event_) on_event_(*ev);
            }
            if (!any) break;
        }
        if constexpr (Protocol::kDeferNestedPump) pumping_ = false;
        if (close_after_drain_ && !closed_by_us_ && !finished_) {
            closed_by_us_ = true;
            conn_->close();
        }
        arm_timer();
    }

private:
    void cancel_timer() { timer_.disarm(net_.scheduler()); }
    // The engine's next deadline on a DeadlineTimer: each exchange moves it
    // later, and an early wake-up re-arms itself instead of each exchange
    // cancelling and scheduling again.
    void arm_timer() {
        const std::optional<Time> d = finished_ ? std::nullopt : engine_->next_deadline();
        if (!d) return timer_.disarm(net_.scheduler());
        timer_.arm_for<&EngineLink::timer_, &EngineLink::on_deadline>(net_.scheduler(), *d, *this);
    }
    void on_deadline() {
        engine_->handle_timeout(net_.now());
        pump();
    }

    net::Network& net_;
    std::shared_ptr<net::TcpConnection> conn_;
    std::unique_ptr<Engine> engine_;
    EventHandler on_event_;
    ClosedHandler on_closed_;
    DeadlineTimer timer_;
    bool finished_ = false;
    bool close_after_drain_ = false;
    bool closed_by_us_ = false;
    bool pumping_ = false;
};

}  // namespace postino::agents
