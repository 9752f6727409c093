// smtp_link.hpp — runs a sans-I/O SMTP engine over a simulated TCP
// connection and reports its lines to the trace (DESIGN.md §2.1, §2.3).
//
// The link feeds the connection's bytes to the engine, writes what the
// engine wants to send, arms the engine's deadline on the scheduler, and
// turns engine events into trace events: every command and reply line as a
// "line" event with its raw bytes and parsed meaning (verb, code, enhanced
// code), violations as "proto" events. The same engine classes run over
// Boost.Asio in sim/wire; only this glue differs. Injected faults hook in
// here too: drop before sending, drop in the middle of the peer's input,
// and delayed output (slow replies), always keeping the octets in order.
// After STARTTLS the link carries TLS records (tls_channel.hpp): the engine
// still sees plaintext, the connection and the trace see the records.
#pragma once

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/deadline_timer.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "net/network.hpp"
#include "net/tcp_connection.hpp"
#include "agents/tls_channel.hpp"
#include "proto/smtp/events.hpp"

namespace postino::agents {

// Appends the trace events for one engine event. `sent_by_us` tells the
// direction: a server sends replies and receives commands, a client the
// opposite.
// `in_tls`: the line travelled inside TLS (after STARTTLS): its "line" event
// says so with tls: true, and the octets on the wire are the "tls" records.
void trace_smtp_event(trace::Recorder& rec, const net::TcpConnection& conn, const smtp::Event& ev, bool is_server,
                      bool in_tls = false);

template <typename Engine>
class SmtpLink : public std::enable_shared_from_this<SmtpLink<Engine>> {
public:
    using EventHandler = std::function<void(const smtp::Event&)>;
    using ClosedHandler = std::function<void(net::CloseReason)>;

    SmtpLink(net::Network& net, std::shared_ptr<net::TcpConnection> conn, std::unique_ptr<Engine> engine,
             bool is_server)
        : net_(net), conn_(std::move(conn)), engine_(std::move(engine)), is_server_(is_server) {}

    // Wires the connection's callbacks; call once, right after construction.
    void attach(EventHandler on_event, ClosedHandler on_closed) {
        on_event_ = std::move(on_event);
        on_closed_ = std::move(on_closed);
        std::weak_ptr<SmtpLink> weak = this->shared_from_this();
        conn_->on_data = [weak](std::string_view d) {
            if (auto self = weak.lock()) {
                if (self->cut_pending_ && !self->finished_) return self->cut_input(d);
                if (self->tls_ && self->tls_->active()) return self->tls_input(d);
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
                // (it would report a violation of RFC 5321 §3.8 or §4.1.1.4
                // by a peer that did nothing). A client engine is still told:
                // its result ends the delivery attempt.
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

    // The connection is up: start the engine (greeting, or wait for it).
    void start() {
        engine_->start(net_.now());
        pump();
    }

    Engine& engine() { return *engine_; }
    net::TcpConnection& connection() { return *conn_; }
    void abort() {
        finished_ = true;
        cancel_timer();
        conn_->abort();
    }

    // The host wants the connection dropped before anything more is sent
    // (an injected fault): the next pump() aborts instead of writing.
    void drop_before_send() { drop_pending_ = true; }

    // The next octets received are read only in part (the first half, and
    // never their last three octets, so never a final ".\r\n"), then the
    // connection drops: a connection lost while the peer is sending (an
    // injected fault). `note` is written to the trace when it happens.
    void drop_in_next_input(std::string note) {
        cut_note_ = std::move(note);
        cut_pending_ = true;
    }

    // A man in the middle (the STARTTLS command-injection lesson,
    // CVE-2011-0411): `bytes` are appended to this client's STARTTLS
    // command, in the same segment.
    void inject_after_starttls(std::string bytes) { inject_ = std::move(bytes); }

    // Slow replies (an injected fault): the next output goes out `d` later;
    // `every` (if set) adds its answer to every output. Later output never
    // overtakes delayed output: the octets stay in order.
    void delay_next_output(Duration d) { next_delay_ += d; }
    void set_output_delay(std::function<Duration()> every) { delay_every_ = std::move(every); }

    // Drains the engine: output to the wire, events to the trace and handler.
    void pump() {
        if (drop_pending_ && !finished_) {
            while (auto ev = engine_->poll_event()) trace_smtp_event(net_.trace(), *conn_, *ev, is_server_);
            (void)engine_->poll_output();  // never sent: that is the fault
            abort();
            return;
        }
        for (;;) {
            std::string out = engine_->poll_output();
            bool any = !out.empty();
            if (any) {
                if (!inject_.empty() && !is_server_ && out.size() >= 10 &&
                    out.compare(out.size() - 10, 10, "STARTTLS\r\n") == 0) {
                    out += inject_in_plaintext();
                }
                if (tls_ && tls_->established()) out = tls_->seal(out);
                send_out(std::move(out));
            }
            while (auto ev = engine_->poll_event()) {
                any = true;
                trace_smtp_event(net_.trace(), *conn_, *ev, is_server_, tls_ && tls_->established());
                if (std::holds_alternative<smtp::StartTlsEvent>(*ev)) start_tls();
                if (std::holds_alternative<smtp::CloseEvent>(*ev) && std::get<smtp::CloseEvent>(*ev).by_engine) {
                    close_after_drain_ = true;
                }
                if (on_event_) on_event_(*ev);
            }
            if (!any) break;
        }
        if (close_after_drain_ && !closed_by_us_ && delayed_sends_ == 0) {
            closed_by_us_ = true;
            conn_->close();
        }
        arm_timer();
    }

    ~SmtpLink() { cancel_timer(); }

private:
    // The engine's StartTlsEvent: its plaintext reply (server) is already
    // sent; from now on the connection carries TLS records.
    void start_tls() {
        if (!tls_) tls_ = std::make_unique<TlsChannel>(net_.trace(), conn_->host_name(), conn_->peer_name(), conn_->id());
        std::string hello = tls_->start(is_server_, "smtp");
        if (!hello.empty()) send_out(std::move(hello));
    }

    // Octets from the peer once TLS started: records in, handshake records
    // out, opened application data to the engine.
    void tls_input(std::string_view d) {
        TlsChannel::Input in = tls_->receive(d);
        if (!in.to_send.empty()) send_out(std::move(in.to_send));
        if (!in.error.empty()) {
            net_.trace().emit(trace::Event("tls", conn_->host_name(), conn_->peer_name(), conn_->id())
                                  .set("ev", "failed")
                                  .set("proto", "smtp")
                                  .set("reason", in.error));
            abort();
            return;
        }
        if (in.established) engine_->handle_tls_started(net_.now());
        if (!in.plaintext.empty()) engine_->handle_bytes(net_.now(), in.plaintext);
        pump();
    }

    std::string inject_in_plaintext() {
        std::string bytes = std::exchange(inject_, {});
        net_.trace().emit(trace::Event("note", conn_->host_name(), conn_->peer_name(), conn_->id())
                              .set("text", "fault: a man in the middle appends a plaintext command to STARTTLS, in "
                                           "the same segment (CVE-2011-0411)")
                              .set("it", "guasto: un intermediario aggiunge un comando in chiaro a STARTTLS, nello "
                                         "stesso segmento (CVE-2011-0411)"));
        trace::Event e("line", conn_->host_name(), conn_->peer_name(), conn_->id());
        e.set("proto", "smtp").set("dir", "send").set_bytes("bytes", bytes).set("injected", true);
        net_.trace().emit(std::move(e));
        return bytes;
    }

    void send_out(std::string out) {
        Duration d = next_delay_;
        next_delay_ = Duration{};
        if (delay_every_) d += delay_every_();
        Time at = net_.now() + d;
        if (at < last_send_at_) at = last_send_at_;  // keep the order of the octets
        if (at <= net_.now()) {
            conn_->send(out);
            return;
        }
        last_send_at_ = at;
        ++delayed_sends_;
        net_.trace().emit(trace::Event("note", conn_->host_name(), conn_->peer_name(), conn_->id())
                              .set("text", "fault: slow reply: the output below (" + std::to_string(out.size()) +
                                               " octets) leaves " + format_duration(at - net_.now()) +
                                               " late, at " + format_timestamp(at)));
        std::weak_ptr<SmtpLink> weak = this->shared_from_this();
        net_.scheduler().schedule_at(at, [weak, out = std::move(out)] {
            auto self = weak.lock();
            if (!self) return;
            --self->delayed_sends_;
            if (self->finished_) return;
            self->conn_->send(out);
            if (self->delayed_sends_ == 0 && self->close_after_drain_ && !self->closed_by_us_) {
                self->closed_by_us_ = true;
                self->conn_->close();
            }
        });
    }

    void cut_input(std::string_view d) {
        cut_pending_ = false;
        std::size_t keep = d.size() / 2;
        keep = std::min(keep, d.size() >= 3 ? d.size() - 3 : std::size_t{0});
        net_.trace().emit(trace::Event("note", conn_->host_name())
                              .set("text", cut_note_ + " (" + std::to_string(keep) + " of " + std::to_string(d.size()) +
                                               " octets read)"));
        engine_->handle_bytes(net_.now(), d.substr(0, keep));
        engine_->handle_closed(net_.now());
        while (auto ev = engine_->poll_event()) trace_smtp_event(net_.trace(), *conn_, *ev, is_server_);
        (void)engine_->poll_output();  // never sent: the connection is gone
        abort();
    }

    void cancel_timer() { timer_.disarm(net_.scheduler()); }
    // The engine's next deadline on a DeadlineTimer: each exchange moves it
    // later, and an early wake-up re-arms itself instead of each exchange
    // cancelling and scheduling again.
    void arm_timer() {
        const std::optional<Time> d = finished_ ? std::nullopt : engine_->next_deadline();
        if (!d) return timer_.disarm(net_.scheduler());
        timer_.arm_for<&SmtpLink::timer_, &SmtpLink::on_deadline>(net_.scheduler(), *d, *this);
    }
    void on_deadline() {
        engine_->handle_timeout(net_.now());
        pump();
    }

    net::Network& net_;
    std::shared_ptr<net::TcpConnection> conn_;
    std::unique_ptr<Engine> engine_;
    bool is_server_;
    EventHandler on_event_;
    ClosedHandler on_closed_;
    DeadlineTimer timer_;
    bool finished_ = false;
    bool close_after_drain_ = false;
    bool closed_by_us_ = false;
    bool drop_pending_ = false;
    bool cut_pending_ = false;
    std::string cut_note_;
    Duration next_delay_{};
    std::function<Duration()> delay_every_;
    Time last_send_at_{};
    int delayed_sends_ = 0;
    std::unique_ptr<TlsChannel> tls_;  // after STARTTLS
    std::string inject_;               // appended to STARTTLS (a man in the middle)
};

}  // namespace postino::agents
