// server.cpp — listeners, sessions, signals and shutdown of `postino serve`
// (RFC 5321 §3.1 greeting and 421, §3.8 shutdown; RFC 1939 sessions; RFC 3501
// sessions, §7.1.5 BYE at shutdown, RFC 2177 IDLE woken by deliveries).
#include "wire/server.hpp"

#include <csignal>
#include <exception>
#include <thread>

#include "agents/imap_mailbox_events.hpp"
#include "wire/durable_file.hpp"

#include "proto/pop3/server_engine.hpp"
#include "proto/imap/trace_line.hpp"
#include "proto/http/trace_line.hpp"
#include "proto/pop3/trace_line.hpp"
#include "proto/smtp/server_engine.hpp"
#include "wire/pop3_maildir_policy.hpp"
#include "wire/smtp_trace.hpp"

namespace postino::wire {
namespace {

// The SMTP engine's host decisions: LocalDelivery, plus the connection limit,
// plus the credentials of AUTH PLAIN on the submission port (RFC 4954).
class SmtpPolicy final : public smtp::ServerPolicy {
public:
    std::vector<SpoolEntry> pending;  // accepted, to deliver once the 250 is written

    SmtpPolicy(LocalDelivery& delivery, std::string peer, bool over_limit, bool stopping, const ImapMaildir& accounts)
        : delivery_(delivery), peer_(std::move(peer)), over_limit_(over_limit), stopping_(stopping),
          accounts_(accounts) {}
    bool check_password(std::string_view user, std::string_view password) override {
        // The same accounts and passwords as POP3 and IMAP ("alice" or "alice@<local domain>").
        return accounts_.check(user, password);
    }
    smtp::Decision on_connect() override {
        if (stopping_) return smtp::Decision::shutting_down();
        if (over_limit_) return smtp::Decision::reject(421, "4.7.0", "Too many connections, try again later");
        return smtp::Decision::accept();
    }
    smtp::Decision on_rcpt(const smtp::SessionInfo& s, const smtp::Envelope&, const mail::Mailbox& r) override {
        // Relay only for authenticated submitters (RFC 6409 §4.3): AUTH is offered on the submission port only.
        return delivery_.check_recipient(r, !s.auth_user.empty());
    }
    smtp::Decision on_message(const smtp::SessionInfo& s, const smtp::Envelope& e, std::string_view content) override {
        return delivery_.accept(s, e, content, peer_, pending);
    }

private:
    LocalDelivery& delivery_;
    std::string peer_;
    bool over_limit_;
    bool stopping_;
    const ImapMaildir& accounts_;
};

std::string what_of(const boost::system::error_code& ec) {
    if (ec == asio::error::address_in_use) return "the port is in use (another server? choose another port)";
    if (ec == asio::error::access_denied) return "permission denied (ports below 1024 need root; choose a higher port)";
    if (ec == boost::system::errc::address_not_available) return "no local interface has this address";
    return ec.message();
}

}  // namespace

Server::Server(ServeConfig config, std::ostream& log)
    : config_(std::move(config)), log_(log), trace_([this] { return clock_.now(); }) {}

Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(ServeConfig config, std::ostream& log) {
    std::unique_ptr<Server> s(new Server(std::move(config), log));
    ServeConfig& c = s->config_;
    if (c.data_dir.empty()) return Error{"--data DIR is required", ""};
    if (Status st = make_dirs(c.data_dir); !st) return st.error();
    if (Status st = check_writable(c.data_dir); !st) return st.error();
    if (!c.trace_path.empty()) {
        auto tf = TraceFile::open(c.trace_path, std::string("postino serve ") + POSTINO_WIRE_VERSION);
        if (!tf) return tf.error();
        s->trace_file_ = std::move(*tf);
        s->trace_.add_sink(s->trace_file_.get());
    }
    auto store = MaildirStore::open(c.data_dir, c.accounts);
    if (!store) return store.error();
    s->store_ = std::make_unique<MaildirStore>(std::move(*store));
    auto spool = SpoolDir::open(c.data_dir);
    if (!spool) return spool.error();
    s->spool_ = std::make_unique<SpoolDir>(std::move(*spool));
    s->delivery_ = std::make_unique<LocalDelivery>(s->config_, *s->store_, *s->spool_, s->trace_, log);
    {
        Server* srv = s.get();
        s->outbound_ = std::make_unique<Outbound>(s->config_, *s->store_, s->trace_,
                                                  [srv](const std::string& line) { srv->log(line); }, s->io_, s->clock_);
        if (Status st = s->outbound_->open(); !st) return st.error();
        s->delivery_->set_outbound(s->outbound_.get());
    }
    c.smtp.hostname = c.hostname;
    c.pop3.hostname = c.hostname;
    c.imap.hostname = c.hostname;
    {
        // INTERNALDATE: Time zero is the server's start (wire/clock.hpp), as Unix seconds.
        std::int64_t sec = 0, usec = 0;
        WallClock::unix_now(sec, usec);
        const auto since_start = s->clock_.now().ns() / 1'000'000'000;
        c.imap.dates.epoch_unix_seconds = sec - since_start;
    }
    s->imap_store_ = std::make_unique<ImapMaildir>(*s->store_, c.domains, c.imap.dates.epoch_unix_seconds);
    Server* self = s.get();
    s->store_->on_change = [self](const std::string& account) { self->mailbox_changed(account); };
    s->imap_store_->on_change = [self](const std::string& account) { self->mailbox_changed(account); };
    if (c.imap_port) {
        ImapMaildir* imap = s->imap_store_.get();
        s->store_->imap_uid = [imap](const std::string& account, const std::string& file) {
            return imap->inbox_uid(account, file);
        };
    }
    s->imap_store_->on_trace = [self](trace::Event e) {
        agents::imap_events::set_origin(e, self->config_.hostname, self->config_.domains);
        self->trace_.emit(std::move(e));
    };
    if (Status st = s->load_tls(); !st) return st.error();
    if (c.smtp_port) {
        if (Status st = s->bind(s->smtp_acc_, *c.smtp_port, "SMTP", s->smtp_port_); !st) return st.error();
    }
    if (c.pop3_port) {
        if (Status st = s->bind(s->pop3_acc_, *c.pop3_port, "POP3", s->pop3_port_); !st) return st.error();
    }
    if (c.submission_port) {
        if (Status st = s->bind(s->submission_acc_, *c.submission_port, "submission", s->submission_port_); !st) {
            return st.error();
        }
    }
    if (c.imap_port) {
        if (Status st = s->bind(s->imap_acc_, *c.imap_port, "IMAP", s->imap_port_); !st) return st.error();
    }
    if (c.http_port) {
        if (Status st = s->bind(s->http_acc_, *c.http_port, "HTTP", s->http_port_); !st) return st.error();
        s->webmail_backend_ = std::make_unique<MaildirWebmail>(s->config_, *s->store_, *s->delivery_);
        s->webmail_ = std::make_unique<agents::webmail::App>(agents::webmail::AppConfig{"Postino webmail", c.hostname},
                                                             *s->webmail_backend_, &MaildirWebmail::new_token);
    }
    if (!s->smtp_acc_ && !s->submission_acc_ && !s->pop3_acc_ && !s->imap_acc_ && !s->http_acc_) {
        return Error{"nothing to serve: give --smtp, --submission, --pop3, --imap and/or --http PORT", ""};
    }
    s->recovered_ = s->delivery_->recover();
    return s;
}

// The certificate and key of `tls:` (PEM). TLS 1.2 is the oldest version
// offered (RFC 8996 deprecates 1.0 and 1.1; RFC 8314 §4.1).
Status Server::load_tls() {
    ServeConfig& c = config_;
    if (c.tls_certificate.empty() && c.tls_key.empty()) return {};
    if (c.tls_certificate.empty() || c.tls_key.empty()) return Error{"tls needs both certificate and key", "config"};
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                     asio::ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(c.tls_certificate, ec);
    if (ec) return Error{"cannot use the TLS certificate: " + ec.message(), c.tls_certificate};
    ctx->use_private_key_file(c.tls_key, asio::ssl::context::pem, ec);
    if (ec) return Error{"cannot use the TLS key: " + ec.message(), c.tls_key};
    if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
        return Error{"the TLS key does not match the certificate " + c.tls_certificate, c.tls_key};
    }
    tls_ = std::move(ctx);
    c.smtp.tls.offered = true;
    c.pop3.tls.offered = true;
    c.imap.starttls = true;
    return {};
}

void Server::emit_tls(const TlsOutcome& t, const char* proto, std::uint64_t conn, const std::string& peer) {
    trace::Event e("tls", config_.hostname, peer, conn);
    e.set("ev", t.ok ? "established" : "failed").set("proto", proto);
    if (t.ok) {
        e.set("version", t.version).set("cipher", t.cipher);
    } else {
        e.set("reason", t.error);
    }
    trace_.emit(std::move(e));
}

Status Server::bind(std::unique_ptr<tcp::acceptor>& acc, std::uint16_t port, const char* what, std::uint16_t& bound) {
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(config_.listen, ec);
    const std::string where = config_.listen + ":" + std::to_string(port) + " (" + what + ")";
    if (ec) return Error{"not an IP address: '" + config_.listen + "'", "--listen"};
    acc = std::make_unique<tcp::acceptor>(io_);
    const tcp::endpoint ep(addr, port);
    if (acc->open(ep.protocol(), ec); ec) return Error{"cannot open a socket: " + what_of(ec), where};
    acc->set_option(tcp::acceptor::reuse_address(true), ec);
    if (acc->bind(ep, ec); ec) return Error{"cannot listen: " + what_of(ec), where};
    if (acc->listen(kListenBacklog, ec); ec) return Error{"cannot listen: " + what_of(ec), where};
    bound = acc->local_endpoint().port();
    return {};
}

void Server::log(const std::string& line) {
    const std::lock_guard<std::mutex> lock(log_mutex_);
    log_ << "postino serve: " << line << "\n" << std::flush;
}

void Server::spawn(const asio::any_io_executor& ex, asio::awaitable<void> a) {
    // STACK.md §3: asio::detached would swallow an exception; log it instead.
    asio::co_spawn(ex, std::move(a), [this](const std::exception_ptr& e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            log(std::string("session ended by an internal error: ") + x.what());
        }
    });
}

void Server::add_session(std::uint64_t id, const std::shared_ptr<Stoppable>& s) {
    const std::lock_guard<std::mutex> lock(sessions_mutex_);
    sessions_[id] = s;
}

std::size_t Server::live_sessions() {
    const std::lock_guard<std::mutex> lock(sessions_mutex_);
    return sessions_.size();
}

void Server::end_session(std::uint64_t id) {
    const std::lock_guard<std::mutex> lock(sessions_mutex_);
    sessions_.erase(id);
    imap_sessions_.erase(id);
}

void Server::mailbox_changed(const std::string& account) {
    std::vector<std::shared_ptr<Session<imap::ServerEngine>>> live;
    {
        const std::lock_guard<std::mutex> lock(sessions_mutex_);
        for (auto& [id, w] : imap_sessions_) {
            if (auto s = w.lock()) live.push_back(std::move(s));
        }
    }
    // Which account a session is logged in as is known on its own strand only.
    ImapMaildir* store = imap_store_.get();
    for (auto& s : live) {
        s->post([store, account](imap::ServerEngine& e, Time now) {
            if (e.idling() && store->account(e.user()) == account) e.handle_mailbox_changed(now);
        });
    }
}

int Server::run() {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        log(std::string(sig == SIGINT ? "SIGINT" : "SIGTERM") + ": shutting down");
        do_stop();
    });
    if (smtp_acc_) spawn(strand_, accept_loop(*smtp_acc_, Proto::Smtp));
    if (submission_acc_) spawn(strand_, accept_loop(*submission_acc_, Proto::Submission));
    if (pop3_acc_) spawn(strand_, accept_loop(*pop3_acc_, Proto::Pop3));
    if (imap_acc_) spawn(strand_, accept_loop(*imap_acc_, Proto::Imap));
    if (http_acc_) spawn(strand_, accept_loop(*http_acc_, Proto::Http));
    if (smtp_acc_) log("SMTP on " + config_.listen + ":" + std::to_string(smtp_port_));
    if (submission_acc_) log("submission on " + config_.listen + ":" + std::to_string(submission_port_));
    if (pop3_acc_) log("POP3 on " + config_.listen + ":" + std::to_string(pop3_port_));
    if (imap_acc_) log("IMAP on " + config_.listen + ":" + std::to_string(imap_port_));
    if (http_acc_) log("webmail (HTTP) on http://" + config_.listen + ":" + std::to_string(http_port_) + "/");
    if (tls_) log("TLS: STARTTLS on SMTP, STLS on POP3, STARTTLS on IMAP, certificate " + config_.tls_certificate);
    if (recovered_ > 0) log("delivered " + std::to_string(recovered_) + " message(s) recovered from the spool");
    if (outbound_->recovered() > 0) {
        log(std::to_string(outbound_->recovered()) + " message(s) in the outbound queue from a previous run");
    }
    outbound_->start();
    log("ready (data in " + config_.data_dir + ")");
    std::vector<std::thread> threads;
    for (int i = 1; i < kWorkerThreads; ++i) threads.emplace_back([this] { io_.run(); });
    io_.run();
    for (auto& t : threads) t.join();
    log("stopped");
    return 0;
}

void Server::stop() {
    asio::post(strand_, [this] { do_stop(); });
}

void Server::do_stop() {
    if (stopping_.exchange(true)) return;
    outbound_->stop();
    boost::system::error_code ec;
    signals_.cancel(ec);
    if (smtp_acc_) smtp_acc_->close(ec);
    if (submission_acc_) submission_acc_->close(ec);
    if (pop3_acc_) pop3_acc_->close(ec);
    if (imap_acc_) imap_acc_->close(ec);
    if (http_acc_) http_acc_->close(ec);
    {
        const std::lock_guard<std::mutex> lock(sessions_mutex_);
        for (auto& [id, w] : sessions_) {
            if (auto s = w.lock()) s->request_stop();
        }
    }
    grace_end_ = std::chrono::steady_clock::now() + kShutdownGrace;
    watch_stop();
}

// Polls (on strand_) until every session is gone or the grace is over.
void Server::watch_stop() {
    bool empty = false;
    {
        const std::lock_guard<std::mutex> lock(sessions_mutex_);
        empty = sessions_.empty();
    }
    if (empty || std::chrono::steady_clock::now() >= grace_end_) {
        io_.stop();
        return;
    }
    grace_.expires_after(kStopPollInterval);
    grace_.async_wait([this](const boost::system::error_code& e) {
        if (!e) watch_stop();
    });
}

asio::awaitable<void> Server::accept_loop(tcp::acceptor& acc, Proto proto) {
    for (;;) {
        boost::system::error_code ec;
        // Each session gets its own strand: its socket, timer and coroutine run there.
        tcp::socket socket =
            co_await acc.async_accept(asio::make_strand(io_), asio::redirect_error(asio::use_awaitable, ec));
        if (stopping_) co_return;
        if (ec) {
            if (ec == asio::error::operation_aborted) co_return;
            // Out of descriptors and the like: say so, wait a little, keep serving.
            log("accept failed: " + ec.message());
            asio::steady_timer t(io_, std::chrono::milliseconds(100));
            co_await t.async_wait(asio::use_awaitable);
            continue;
        }
        if (proto == Proto::Smtp || proto == Proto::Submission) {
            start_smtp(std::move(socket), proto == Proto::Submission);
        } else if (proto == Proto::Pop3) {
            start_pop3(std::move(socket));
        } else if (proto == Proto::Imap) {
            start_imap(std::move(socket));
        } else {
            start_http(std::move(socket));
        }
    }
}

void Server::emit_tcp(const char* ev, std::uint64_t conn, const std::string& peer, std::uint16_t sport,
                      std::uint16_t dport) {
    trace_.emit(trace::Event("tcp", config_.hostname, peer, conn)
                    .set("ev", ev)
                    .set("sport", std::int64_t{sport})
                    .set("dport", std::int64_t{dport}));
}

std::optional<Server::Peer> Server::accept_peer(tcp::socket& socket, std::string_view busy_reply) {
    boost::system::error_code ec;
    const tcp::endpoint remote = socket.remote_endpoint(ec);
    const tcp::endpoint local = socket.local_endpoint(ec);
    Peer p{next_conn_++, remote.address().to_string(), remote.port(), local.port(), remote.address().is_loopback()};
    emit_tcp("established", p.id, p.address, p.rport, p.lport);
    if (!busy_reply.empty() && live_sessions() >= config_.max_connections) {
        asio::write(socket, asio::buffer(busy_reply), ec);
        socket.close(ec);
        emit_tcp("closed", p.id, p.address, p.rport, p.lport);
        return std::nullopt;
    }
    return p;
}

template <class Hooks>
void Server::add_tls_hooks(Hooks& hooks, const char* proto, const Peer& p, const std::shared_ptr<bool>& in_tls) {
    hooks.tls = tls_;
    hooks.on_tls = [this, proto, id = p.id, peer = p.address, in_tls](const TlsOutcome& t) {
        *in_tls = t.ok;
        emit_tls(t, proto, id, peer);
    };
}

template <class Engine>
void Server::launch(tcp::socket socket, const Peer& p, std::shared_ptr<void> owner, std::unique_ptr<Engine> engine,
                    typename Session<Engine>::Hooks hooks, std::map<std::uint64_t, std::weak_ptr<Session<Engine>>>* also) {
    hooks.on_end = [this, p] {
        emit_tcp("closed", p.id, p.address, p.rport, p.lport);
        end_session(p.id);
    };
    const asio::any_io_executor ex = socket.get_executor();
    auto session = std::make_shared<Session<Engine>>(std::move(socket), std::move(owner), std::move(engine), clock_,
                                                     std::move(hooks));
    add_session(p.id, session);
    if (also != nullptr) {
        const std::lock_guard<std::mutex> lock(sessions_mutex_);
        (*also)[p.id] = session;
    }
    spawn(ex, session->run());
}

void Server::start_smtp(tcp::socket socket, bool submission) {
    // SMTP refuses over the limit with its own 421 (the policy), after the greeting's place.
    const Peer p = *accept_peer(socket, {});
    auto policy = std::make_shared<SmtpPolicy>(*delivery_, p.address, live_sessions() >= config_.max_connections,
                                               stopping_, *imap_store_);
    smtp::ServerConfig cfg = config_.smtp;
    if (submission) {
        // RFC 6409 §4.3, RFC 4954 §6: AUTH before MAIL; PLAIN only where a
        // password cannot be overheard (loopback) unless allowed (RFC 4954 §4).
        cfg.auth.plain = true;
        cfg.auth.required = true;
        cfg.auth.allow_plaintext = p.loopback || config_.allow_plaintext_auth;
    }
    auto engine = std::make_unique<smtp::ServerEngine>(cfg, *policy);
    Session<smtp::ServerEngine>::Hooks hooks;
    auto in_tls = std::make_shared<bool>(false);  // lines after the switch are marked as carried in TLS
    hooks.on_event = [this, id = p.id, peer = p.address, in_tls](const smtp::Event& ev) {
        trace_smtp_server_event(trace_, config_.hostname, peer, id, ev, *in_tls);
    };
    add_tls_hooks(hooks, "smtp", p, in_tls);
    hooks.on_stop = [](smtp::ServerEngine& e, Time now) { e.handle_shutdown(now); };
    SmtpPolicy* pol = policy.get();  // owned by the session, like the hooks
    hooks.after_flush = [this, pol] { delivery_->deliver_pending(pol->pending); };
    launch(std::move(socket), p, std::move(policy), std::move(engine), std::move(hooks));
}

void Server::start_pop3(tcp::socket socket) {
    const auto accepted = accept_peer(socket, kPop3TooMany);
    if (!accepted) return;
    const Peer& p = *accepted;
    auto policy = std::make_shared<Pop3MaildirPolicy>(*store_, config_.domains, p.id, trace_, config_.hostname);
    pop3::ServerConfig cfg = config_.pop3;
    cfg.session_tag = std::to_string(p.id);
    // RFC 2595 §2.1: no plaintext passwords from other machines unless
    // allowed: after STLS when TLS is configured, not at all otherwise.
    if (!p.loopback && !config_.allow_plaintext_auth) {
        if (tls_) {
            cfg.tls.user_pass_needs_tls = true;
        } else {
            cfg.user_pass = false;
        }
    }
    auto engine = std::make_unique<pop3::ServerEngine>(cfg, *policy);
    Session<pop3::ServerEngine>::Hooks hooks;
    auto in_tls = std::make_shared<bool>(false);
    hooks.on_event = [this, id = p.id, peer = p.address, in_tls](const pop3::Event& ev) {
        for (auto& e : pop3::trace_events(ev, pop3::Role::Server, config_.hostname, peer, id)) {
            if (*in_tls && e.kind == "line") e.set("tls", true);
            trace_.emit(std::move(e));
        }
    };
    add_tls_hooks(hooks, "pop3", p, in_tls);
    // POP3 has no shutdown response: the session ends without UPDATE (RFC 1939 §6).
    hooks.on_stop = [](pop3::ServerEngine& e, Time now) { e.handle_closed(now); };
    launch(std::move(socket), p, std::move(policy), std::move(engine), std::move(hooks));
}

void Server::start_imap(tcp::socket socket) {
    const auto accepted = accept_peer(socket, kImapTooMany);
    if (!accepted) return;
    const Peer& p = *accepted;
    imap::ServerConfig cfg = config_.imap;
    // RFC 3501 §6.2.3, RFC 2595 §2.1: no plaintext passwords from other machines unless allowed.
    if (!p.loopback && !config_.allow_plaintext_auth) cfg.allow_plaintext_login = false;
    // The engine holds a reference to the shared store; nothing per session to own.
    auto engine = std::make_unique<imap::ServerEngine>(cfg, *imap_store_);
    Session<imap::ServerEngine>::Hooks hooks;
    auto in_tls = std::make_shared<bool>(false);
    hooks.on_event = [this, id = p.id, peer = p.address, in_tls](const imap::Event& ev) {
        for (auto& e : imap::trace_events(ev, config_.hostname, peer, id)) {
            if (*in_tls && e.kind == "line") e.set("tls", true);
            trace_.emit(std::move(e));
        }
    };
    add_tls_hooks(hooks, "imap", p, in_tls);
    hooks.on_stop = [](imap::ServerEngine& e, Time now) { e.handle_shutdown(now); };
    launch(std::move(socket), p, nullptr, std::move(engine), std::move(hooks), &imap_sessions_);
}

void Server::start_http(tcp::socket socket) {
    // RFC 9110 §15.6.4: 503, and the connection closes.
    static constexpr std::string_view kBusy =
        "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    const auto accepted = accept_peer(socket, kBusy);
    if (!accepted) return;
    const Peer& p = *accepted;
    http::ServerConfig cfg;
    cfg.server = "Postino-webmail";
    auto engine = std::make_unique<http::ServerEngine>(cfg);
    http::ServerEngine* e = engine.get();  // owned by the session; the hooks run on its strand
    // A password only over loopback unless the operator allows it (RFC 2595 §2.1's rule, for HTTP).
    const bool password_ok = p.loopback || config_.allow_plaintext_auth;
    Session<http::ServerEngine>::Hooks hooks;
    hooks.on_event = [this, id = p.id, peer = p.address, e, password_ok](const http::Event& ev) {
        for (auto& te : http::trace_events(ev, config_.hostname, peer, id, true)) trace_.emit(std::move(te));
        if (const auto* r = std::get_if<http::RequestEvent>(&ev)) {
            // The Maildir backend answers at once, on this strand: respond now, flush() writes it.
            webmail_->handle(r->request, password_ok, [this, e](http::Response resp) { e->respond(clock_.now(), std::move(resp)); });
        }
    };
    hooks.on_stop = [](http::ServerEngine& eng, Time now) { eng.handle_closed(now); };
    launch(std::move(socket), p, nullptr, std::move(engine), std::move(hooks));
}

}  // namespace postino::wire
