// session.hpp — drives one sans-I/O server engine over a Boost.Asio TCP
// socket with a C++20 coroutine (DESIGN.md §2.1: the same engine classes as
// in the simulator; only this glue differs from sim/agents/*_link.hpp).
//
// One coroutine owns the socket, so engine calls never interleave (the
// server runs each session on its own strand, several sessions at once): octets
// read go to handle_bytes(now), everything poll_output() returns is written
// (async_write, bounded by kWriteTimeout), poll_event() results go to the
// host's handler (trace, deliveries), and next_deadline() becomes a steady
// timer that cancels the pending read, after which handle_timeout(now) runs.
// A CloseEvent the engine asks for ends the session once its output is
// written. request_stop() (SIGINT/SIGTERM) wakes the coroutine the same way
// and lets the host tell the engine (SMTP: 421, RFC 5321 §3.8).
//
// TLS (RFC 3207 STARTTLS, RFC 2595 STLS, RFC 3501 §6.2.1 STARTTLS): when the
// engine says tls_pending() after its output is written, the session runs
// the server side of the TLS handshake on the same socket (an
// ssl::stream over it) and then tells the engine handle_tls_started(). The
// engine has already discarded every octet it was given after the command;
// the session keeps no read buffer of its own across the switch, so nothing
// read in plaintext is ever taken as TLS input (CVE-2011-0411).
#pragma once

#include <array>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "wire/asio.hpp"
#include "wire/clock.hpp"

namespace postino::wire {

// Octets read from the socket per read call (a bound of ours; engines accept input split anywhere).
inline constexpr std::size_t kReadChunkOctets = std::size_t{16} * 1024;
// A write that does not complete in this time ends the session: RFC 5321
// §4.5.3.2.5 gives a data block 3 minutes; the same bound serves POP3.
inline constexpr std::chrono::minutes kWriteTimeout{3};
// A TLS handshake that does not complete in this time ends the session (a
// bound of ours; Postfix's smtpd_starttls_timeout is 300 s, Dovecot's is shorter).
inline constexpr std::chrono::seconds kTlsHandshakeTimeout{60};
// How long the session waits for the peer's close_notify at the end (a bound of ours).
inline constexpr std::chrono::seconds kTlsShutdownTimeout{2};

// What the session tells its host about a TLS handshake.
struct TlsOutcome {
    bool ok = false;
    std::string version;  // "TLSv1.3"
    std::string cipher;   // "TLS_AES_256_GCM_SHA384"
    std::string error;    // why it failed
};

template <typename Engine>
concept TlsCapableEngine = requires(Engine& e, Time t) {
    { e.tls_pending() } -> std::convertible_to<bool>;
    e.handle_tls_started(t);
};

class Stoppable {
public:
    virtual ~Stoppable() = default;
    virtual void request_stop() = 0;
};

// True for a CloseEvent the engine asks for (either protocol's event variant).
template <typename Event>
bool engine_closes(const Event& ev) {
    return std::visit(
        [](const auto& e) {
            if constexpr (requires { e.by_engine; }) {
                return static_cast<bool>(e.by_engine);
            } else {
                return false;
            }
        },
        ev);
}

template <typename Engine>
class Session final : public Stoppable, public std::enable_shared_from_this<Session<Engine>> {
public:
    using Event = std::decay_t<decltype(*std::declval<Engine&>().poll_event())>;
    struct Hooks {
        std::function<void(const Event&)> on_event;
        std::function<void(Engine&, Time)> on_stop;  // the server is stopping: tell the engine
        std::function<void()> after_flush;           // output written: the host may act (deliveries)
        std::function<void()> on_end;                // the socket is closed
        // The server's TLS context (certificate and key); null: no TLS, and
        // the engine must not offer it.
        std::shared_ptr<asio::ssl::context> tls;
        std::function<void(const TlsOutcome&)> on_tls;  // a handshake ended
    };

    // `owner` keeps alive what the engine refers to (its policy); it is
    // released after the engine.
    Session(tcp::socket socket, std::shared_ptr<void> owner, std::unique_ptr<Engine> engine, const WallClock& clock,
            Hooks hooks)
        : socket_(std::move(socket)),
          timer_(socket_.get_executor()),
          owner_(std::move(owner)),
          engine_(std::move(engine)),
          clock_(clock),
          hooks_(std::move(hooks)) {}

    ~Session() override {
        engine_.reset();  // before owner_: the engine holds a reference into it
    }

    // Any thread: the request runs on the session's own executor (its strand).
    void request_stop() override {
        std::weak_ptr<Session> weak = this->shared_from_this();
        asio::post(socket_.get_executor(), [weak] {
            if (auto self = weak.lock()) {
                self->stop_ = true;
                boost::system::error_code ec;
                self->socket_.cancel(ec);
            }
        });
    }

    // Any thread: runs `fn(engine, now)` on the session's strand between two
    // reads (IMAP: a mailbox changed, so an IDLE hears of it, RFC 2177). A
    // pending read is cancelled for it; a write in progress is not.
    void post(std::function<void(Engine&, Time)> fn) {
        std::weak_ptr<Session> weak = this->shared_from_this();
        asio::post(socket_.get_executor(), [weak, fn = std::move(fn)]() mutable {
            if (auto self = weak.lock()) {
                self->posted_.push_back(std::move(fn));
                boost::system::error_code ignored;
                if (self->reading_) self->socket_.cancel(ignored);
            }
        });
    }

    Engine& engine() { return *engine_; }
    [[nodiscard]] bool tls_active() const { return tls_ != nullptr; }

    // The session's coroutine; it owns the session until it ends. Call it
    // while a shared_ptr holds the session.
    asio::awaitable<void> run() { return run_owned(this->shared_from_this()); }

private:
    asio::awaitable<void> run_owned(std::shared_ptr<Session> self) {
        (void)self;  // the frame's copy keeps the session alive until the coroutine ends
        engine_->start(clock_.now());
        std::array<char, kReadChunkOctets> buf{};
        for (;;) {
            const bool close = co_await flush();
            if (close || broken_) break;
            if (stop_) {
                if (hooks_.on_stop) hooks_.on_stop(*engine_, clock_.now());
                co_await flush();
                break;
            }
            if constexpr (TlsCapableEngine<Engine>) {
                if (!tls_ && engine_->tls_pending()) {
                    if (!co_await start_tls()) break;
                    continue;  // flush what the engine says now
                }
            }
            if (!posted_.empty()) {
                auto fns = std::exchange(posted_, {});
                for (auto& fn : fns) fn(*engine_, clock_.now());
                continue;  // flush what they produced
            }
            arm_timer(engine_->next_deadline());
            boost::system::error_code ec;
            reading_ = true;
            const std::size_t n =
                tls_ ? co_await tls_->async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec))
                     : co_await socket_.async_read_some(asio::buffer(buf), asio::redirect_error(asio::use_awaitable, ec));
            reading_ = false;
            disarm_timer();
            const Time now = clock_.now();
            if (n > 0) engine_->handle_bytes(now, std::string_view(buf.data(), n));
            if (stop_) continue;
            if (ec == asio::error::operation_aborted) {
                if (timed_out_) {
                    timed_out_ = false;
                    engine_->handle_timeout(now);
                }
                continue;
            }
            if (ec) {
                engine_->handle_closed(now);
                broken_ = true;  // nothing more can be written; drain the events
                co_await flush();
                break;
            }
        }
        disarm_timer();
        if (tls_ && !broken_) {
            // close_notify (RFC 8446 §6.1), bounded: a peer that never answers does not hold the session.
            arm_timer(clock_.now() + Duration::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                            kTlsShutdownTimeout)
                                                            .count()));
            boost::system::error_code ec;
            co_await tls_->async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
            disarm_timer();
        }
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        if (hooks_.on_end) hooks_.on_end();
        co_return;
    }

    // Writes all output and hands over all events; true when the engine asked to close.
    asio::awaitable<bool> flush() {
        for (;;) {
            std::string out = engine_->poll_output();
            bool any = !out.empty();
            while (auto ev = engine_->poll_event()) {
                any = true;
                if (engine_closes(*ev)) close_requested_ = true;
                if (hooks_.on_event) hooks_.on_event(*ev);
            }
            if (!out.empty() && !broken_) {
                arm_timer(clock_.now() + Duration::from_ns(
                                             std::chrono::duration_cast<std::chrono::nanoseconds>(kWriteTimeout).count()));
                boost::system::error_code ec;
                if (tls_) {
                    co_await asio::async_write(*tls_, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
                } else {
                    co_await asio::async_write(socket_, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
                }
                disarm_timer();
                timed_out_ = false;
                if (ec) {
                    broken_ = true;
                    engine_->handle_closed(clock_.now());
                }
            }
            if (!any) break;
        }
        if (hooks_.after_flush) hooks_.after_flush();
        co_return close_requested_ || broken_;
    }

    // The engine's plaintext reply to STARTTLS/STLS is written: the server
    // side of the handshake, on the socket itself (nothing is buffered here).
    // False when it failed and the session is over.
    asio::awaitable<bool> start_tls() {
        TlsOutcome outcome;
        if (!hooks_.tls) {
            outcome.error = "no TLS context (the engine offered TLS the host cannot do)";
        } else {
            tls_ = std::make_unique<asio::ssl::stream<tcp::socket&>>(socket_, *hooks_.tls);
            arm_timer(clock_.now() + Duration::from_ns(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                            kTlsHandshakeTimeout)
                                                            .count()));
            boost::system::error_code ec;
            co_await tls_->async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
            disarm_timer();
            if (timed_out_) {
                timed_out_ = false;
                outcome.error = "TLS handshake timed out";
            } else if (ec) {
                outcome.error = ec.message();
            } else {
                outcome.ok = true;
                SSL* ssl = tls_->native_handle();
                outcome.version = SSL_get_version(ssl);
                outcome.cipher = SSL_get_cipher_name(ssl);
            }
        }
        if (hooks_.on_tls) hooks_.on_tls(outcome);
        if (outcome.ok) {
            engine_->handle_tls_started(clock_.now());
            co_return true;
        }
        tls_.reset();
        broken_ = true;  // the socket is in no state for plaintext either
        engine_->handle_closed(clock_.now());
        co_await flush();
        co_return false;
    }

    // The timer cancels the pending socket operation; `generation_` makes a
    // handler that was already queued when the timer was re-armed harmless.
    void arm_timer(std::optional<Time> at) {
        ++generation_;
        if (!at) return;
        timer_.expires_at(clock_.to_steady(*at));
        std::weak_ptr<Session> weak = this->shared_from_this();
        const std::uint64_t gen = generation_;
        timer_.async_wait([weak, gen](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->generation_ != gen) return;
            self->timed_out_ = true;
            boost::system::error_code ignored;
            self->socket_.cancel(ignored);
        });
    }
    void disarm_timer() {
        ++generation_;
        timer_.cancel();
    }

    tcp::socket socket_;
    std::unique_ptr<asio::ssl::stream<tcp::socket&>> tls_;  // after STARTTLS/STLS
    asio::steady_timer timer_;
    std::shared_ptr<void> owner_;
    std::unique_ptr<Engine> engine_;
    const WallClock& clock_;
    Hooks hooks_;
    std::uint64_t generation_ = 0;
    bool timed_out_ = false;
    bool stop_ = false;
    bool close_requested_ = false;
    bool broken_ = false;
    bool reading_ = false;
    std::vector<std::function<void(Engine&, Time)>> posted_;
};

}  // namespace postino::wire
