// pop3_link.hpp — runs a sans-I/O POP3 engine (server or client) over a
// simulated TCP connection and reports its lines to the trace (DESIGN.md
// §2.1, §2.3). The POP3 twin of smtp_link.hpp: the link feeds the
// connection's bytes to the engine, writes what the engine sends, arms the
// engine's deadline on the scheduler, and turns engine events into trace
// events (pop3::trace_events: "line" and "proto").
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/scheduler.hpp"
#include "net/network.hpp"
#include "net/tcp_connection.hpp"
#include "proto/pop3/events.hpp"
#include "proto/pop3/trace_line.hpp"

namespace postino::agents {

void trace_pop3_event(trace::Recorder& rec, const net::TcpConnection& conn, const pop3::Event& ev, bool is_server);

template <typename Engine>
class Pop3Link : public std::enable_shared_from_this<Pop3Link<Engine>> {
public:
    using EventHandler = std::function<void(const pop3::Event&)>;
    using ClosedHandler = std::function<void(net::CloseReason)>;

    Pop3Link(net::Network& net, std::shared_ptr<net::TcpConnection> conn, std::unique_ptr<Engine> engine,
             bool is_server)
        : net_(net), conn_(std::move(conn)), engine_(std::move(engine)), is_server_(is_server) {}
    ~Pop3Link() { cancel_timer(); }

    // Wires the connection's callbacks; call once, right after construction.
    void attach(EventHandler on_event, ClosedHandler on_closed) {
        on_event_ = std::move(on_event);
        on_closed_ = std::move(on_closed);
        std::weak_ptr<Pop3Link> weak = this->shared_from_this();
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
                // (it would report a close without QUIT, RFC 1939 §6, by a peer that did nothing; as smtp_link.hpp). A client engine is still told: its result
                // ends the session.
                const bool died_with_host = r == net::CloseReason::HostDown && self->is_server_;
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

    Engine& engine() { return *engine_; }
    net::TcpConnection& connection() { return *conn_; }

    void pump() {
        for (;;) {
            std::string out = engine_->poll_output();
            bool any = !out.empty();
            if (any && !finished_) conn_->send(out);
            while (auto ev = engine_->poll_event()) {
                any = true;
                trace_pop3_event(net_.trace(), *conn_, *ev, is_server_);
                if (const auto* c = std::get_if<pop3::CloseEvent>(&*ev); c && c->by_engine) close_after_drain_ = true;
                if (on_event_) on_event_(*ev);
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
        std::weak_ptr<Pop3Link> weak = this->shared_from_this();
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
    bool is_server_;
    EventHandler on_event_;
    ClosedHandler on_closed_;
    EventId timer_;
    bool finished_ = false;
    bool close_after_drain_ = false;
    bool closed_by_us_ = false;
};

}  // namespace postino::agents
