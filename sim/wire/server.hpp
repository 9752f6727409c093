// server.hpp — `postino serve`: Postino's SMTP, POP3 and IMAP server engines on
// real TCP sockets (Boost.Asio, one thread, one coroutine per session),
// delivering into Maildirs through a durable spool, with a live trace, and
// STARTTLS/STLS when a certificate is configured (RFC 3207, RFC 2595,
// RFC 3501 §6.2.1).
// Each session runs on its own strand of one io_context served by
// kWorkerThreads threads, so one session's fsync does not hold up the others;
// the listeners, signals and shutdown run on the server's own strand.
//
// create() does everything that can fail at start (data directory, spool
// recovery, binding the ports) so the command can say what is wrong before
// serving; run() serves until SIGINT/SIGTERM or stop(), then ends every
// session (SMTP clients get 421, RFC 5321 §3.8; IMAP clients * BYE, RFC 3501
// §7.1.5) within kShutdownGrace.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "core/trace.hpp"
#include "proto/imap/server_engine.hpp"
#include "wire/asio.hpp"
#include "wire/clock.hpp"
#include "wire/imap_maildir.hpp"
#include "wire/webmail_maildir.hpp"
#include "agents/webmail_app.hpp"
#include "proto/http/server_engine.hpp"
#include "wire/local_delivery.hpp"
#include "wire/maildir_store.hpp"
#include "wire/outbound.hpp"
#include "wire/serve_config.hpp"
#include "wire/session.hpp"
#include "wire/spool_dir.hpp"
#include "wire/trace_file.hpp"
#include "wire/trace_log.hpp"

namespace postino::wire {

// Threads serving the sessions: the work is fsync-bound, not CPU-bound, so
// more threads than cores let several sessions wait on the disk at once.
inline constexpr int kWorkerThreads = 8;
// Sessions still open this long after a stop request are cut (a bound of ours).
inline constexpr std::chrono::seconds kShutdownGrace{5};
// How often the shutdown looks whether every session has ended.
inline constexpr std::chrono::milliseconds kStopPollInterval{20};
// Backlog of the listening sockets (a bound of ours; SOMAXCONN is 4096 on Linux 5.4+).
inline constexpr int kListenBacklog = 1024;
// Sent to a POP3 client over the connection limit (RFC 3206 §4: [SYS/TEMP]).
inline constexpr std::string_view kPop3TooMany = "-ERR [SYS/TEMP] too many connections, try again later\r\n";
// Sent to an IMAP client over the connection limit instead of the greeting
// (RFC 3501 §7.1.5 BYE as a greeting; RFC 5530 §3 UNAVAILABLE).
inline constexpr std::string_view kImapTooMany = "* BYE [UNAVAILABLE] Too many connections, try again later\r\n";

class Server {
public:
    static Result<std::unique_ptr<Server>> create(ServeConfig config, std::ostream& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // The bound ports (the real ones when 0 was asked for); 0 when not served.
    [[nodiscard]] std::uint16_t smtp_port() const { return smtp_port_; }
    [[nodiscard]] std::uint16_t pop3_port() const { return pop3_port_; }
    [[nodiscard]] std::uint16_t imap_port() const { return imap_port_; }
    [[nodiscard]] std::uint16_t http_port() const { return http_port_; }
    [[nodiscard]] std::uint16_t submission_port() const { return submission_port_; }
    [[nodiscard]] std::size_t recovered() const { return recovered_; }

    // Serves until a signal or stop(); returns the process exit code.
    int run();
    // Any thread: begins the shutdown.
    void stop();

private:
    enum class Proto : std::uint8_t { Smtp, Submission, Pop3, Imap, Http };
    explicit Server(ServeConfig config, std::ostream& log);
    Status bind(std::unique_ptr<tcp::acceptor>& acc, std::uint16_t port, const char* what, std::uint16_t& bound);
    asio::awaitable<void> accept_loop(tcp::acceptor& acc, Proto proto);
    // `submission`: the RFC 6409 port, AUTH required before MAIL.
    void start_smtp(tcp::socket socket, bool submission);
    void start_pop3(tcp::socket socket);
    void start_imap(tcp::socket socket);
    void start_http(tcp::socket socket);  // the webmail (docs/webmail.md)
    // An accepted connection, as the start_* functions see it.
    struct Peer {
        std::uint64_t id = 0;  // the trace's connection id
        std::string address;
        std::uint16_t rport = 0, lport = 0;
        bool loopback = false;
    };
    // Numbers the connection and traces it as established. With a
    // `busy_reply` and the server at its connection limit, writes that reply,
    // closes the socket, traces the close and returns nothing.
    std::optional<Peer> accept_peer(tcp::socket& socket, std::string_view busy_reply);
    // Runs the session: the TLS hooks mark the trace's lines carried in TLS
    // (when `tls_proto` is set), the end is traced and the session is
    // registered for shutdown, and then for `also` (IMAP: IDLE wake-ups)
    // before it starts running.
    template <class Engine>
    void launch(tcp::socket socket, const Peer& p, std::shared_ptr<void> owner, std::unique_ptr<Engine> engine,
                typename Session<Engine>::Hooks hooks,
                std::map<std::uint64_t, std::weak_ptr<Session<Engine>>>* also = nullptr);
    // TLS hooks for a session of protocol `proto`; `in_tls` turns true once the handshake succeeded.
    template <class Hooks>
    void add_tls_hooks(Hooks& hooks, const char* proto, const Peer& p, const std::shared_ptr<bool>& in_tls);
    // Any thread: the account's mail changed; its IMAP sessions look again (IDLE, RFC 2177).
    void mailbox_changed(const std::string& account);
    void spawn(const asio::any_io_executor& ex, asio::awaitable<void> a);
    void do_stop();     // on strand_
    void watch_stop();  // on strand_: io stops when the sessions are gone or the grace is over
    void add_session(std::uint64_t id, const std::shared_ptr<Stoppable>& s);
    void end_session(std::uint64_t id);
    void log(const std::string& line);
    std::size_t live_sessions();
    void emit_tcp(const char* ev, std::uint64_t conn, const std::string& peer, std::uint16_t sport, std::uint16_t dport);
    Status load_tls();
    void emit_tls(const TlsOutcome& t, const char* proto, std::uint64_t conn, const std::string& peer);

    ServeConfig config_;
    std::ostream& log_;
    WallClock clock_;
    TraceLog trace_;
    std::unique_ptr<TraceFile> trace_file_;
    std::unique_ptr<MaildirStore> store_;
    std::unique_ptr<SpoolDir> spool_;
    std::unique_ptr<LocalDelivery> delivery_;
    std::unique_ptr<ImapMaildir> imap_store_;
    std::unique_ptr<MaildirWebmail> webmail_backend_;
    std::unique_ptr<agents::webmail::App> webmail_;
    std::shared_ptr<asio::ssl::context> tls_;  // null when no certificate is configured
    asio::io_context io_{kWorkerThreads};
    asio::strand<asio::io_context::executor_type> strand_{asio::make_strand(io_)};
    asio::signal_set signals_{strand_};
    asio::steady_timer grace_{strand_};
    std::unique_ptr<Outbound> outbound_;  // after io_: destroyed before it
    std::chrono::steady_clock::time_point grace_end_{};
    std::unique_ptr<tcp::acceptor> smtp_acc_, submission_acc_, pop3_acc_, imap_acc_, http_acc_;
    std::uint16_t smtp_port_ = 0, submission_port_ = 0, pop3_port_ = 0, imap_port_ = 0, http_port_ = 0;
    std::mutex sessions_mutex_;
    std::map<std::uint64_t, std::weak_ptr<Stoppable>> sessions_;  // live sessions by connection id
    std::map<std::uint64_t, std::weak_ptr<Session<imap::ServerEngine>>> imap_sessions_;  // under sessions_mutex_
    std::atomic<std::uint64_t> next_conn_{1};
    std::size_t recovered_ = 0;
    std::atomic<bool> stopping_{false};
    std::mutex log_mutex_;
};

}  // namespace postino::wire
