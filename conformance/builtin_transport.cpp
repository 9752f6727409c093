// builtin_transport.cpp — Postino's SMTP, POP3 and IMAP server engines as
// runner streams, over one in-memory MailStore and one virtual clock. After
// STARTTLS/STLS a stream carries its octets through two simulated TLS 1.3
// channels (agents/tls_channel.hpp), the client's and the server's, as a
// simulated connection does: the engine sees only what the server's channel
// opens, so plaintext sent before the handshake can never reach it inside
// TLS unless the engine itself kept it (the CVE-2011-0411 faults).
#include "conformance/builtin_transport.hpp"

#include <algorithm>
#include <type_traits>
#include <vector>

#include "agents/imap_mailstore.hpp"
#include "agents/pop3_server.hpp"
#include "agents/tls_channel.hpp"
#include "conformance/builtin_bounce.hpp"
#include "mail/mailbox.hpp"
#include "proto/imap/server_engine.hpp"
#include "proto/pop3/server_engine.hpp"
#include "proto/smtp/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::conformance {

struct BuiltinWorld {
    BuiltinOptions options;
    store::MailStore store;
    agents::ImapMailStore imap_store{store};
    Time now{};
    std::uint64_t sessions = 0;
    std::uint64_t queued = 0;
    // The IMAP sessions now open: a change one makes through the shared
    // store wakes the others that are idling (RFC 2177 §3).
    std::vector<imap::ServerEngine*> imap_engines;

    // The account a local address names, or "" (RFC 5321 §4.5.1: postmaster without a domain too).
    std::string account_of(const mail::Mailbox& m) const {
        const std::string local = mail::ascii_lower(m.local);
        if (!m.domain.empty() && mail::ascii_lower(m.domain) != options.domain) return "";
        if (local == "postmaster") return "postmaster";
        return store.find(local) != nullptr ? local : "";
    }
};

namespace {

class SmtpPolicy final : public smtp::ServerPolicy {
public:
    explicit SmtpPolicy(BuiltinWorld& w) : w_(w) {}
    smtp::Decision on_connect() override {
        return w_.options.greeting_421 ? smtp::Decision::shutting_down() : smtp::Decision::accept();
    }
    smtp::Decision on_rcpt(const smtp::SessionInfo&, const smtp::Envelope&, const mail::Mailbox& r) override {
        if (undeliverable(r)) return smtp::Decision::accept();  // bounced after the 250 (builtin_bounce.hpp)
        if (w_.account_of(r).empty()) return smtp::Decision::unknown_user();
        return smtp::Decision::accept();
    }
    smtp::Decision on_message(const smtp::SessionInfo& s, const smtp::Envelope& e, std::string_view content) override {
        const std::string id = "B" + std::to_string(++w_.queued);
        // RFC 5321 §4.4: the delivering server adds Return-Path:, every server a Received: line.
        std::string msg;
        if (!w_.options.no_trace_fields) msg += "Return-Path: <" + e.sender.str() + ">\r\n";
        if (!w_.options.no_trace_fields) msg += "Received: from " + (s.helo_name.empty() ? std::string("unknown") : s.helo_name) + " by " +
               w_.options.smtp.hostname + " with " + (s.esmtp ? "ESMTP" : "SMTP") + " id " + id +
               "; Thu, 1 Jan 2026 00:00:00 +0000\r\n";
        msg.append(apply_delivery_faults(w_.options.unfold_headers ? unfold_header(content) : std::string(content),
                                         w_.options.delivery));
        for (const auto& r : e.recipients) w_.store.insert(w_.account_of(r), msg, w_.now);

        // Recipients in the undeliverable domain: a DSN to the sender, never for a bounce (RFC 5321 §6.1).
        std::vector<mail::Mailbox> failed;
        for (const auto& r : e.recipients) {
            if (undeliverable(r)) failed.push_back(r);
        }
        const std::string sender = e.sender.empty() ? "" : w_.account_of(e.sender);
        if (!failed.empty() && !sender.empty()) {
            if (auto dsn = builtin_dsn(e.sender, failed, content, w_.options.smtp.hostname, id, w_.now, w_.queued,
                                       w_.options.bounce)) {
                w_.store.insert(sender, std::move(*dsn), w_.now);
            }
        }
        return smtp::Decision::queued(id);
    }

private:
    BuiltinWorld& w_;
};

class Pop3Policy final : public pop3::ServerPolicy {
public:
    Pop3Policy(BuiltinWorld& w, std::uint64_t session) : w_(w), session_(session) {}
    ~Pop3Policy() override {
        if (!locked_.empty()) w_.store.unlock(locked_, session_);
    }
    bool check_password(std::string_view user, std::string_view password) override {
        const store::Account* a = w_.store.find(std::string(user));
        return a != nullptr && !a->password.empty() && a->password == password;
    }
    std::optional<std::string> apop_secret(std::string_view user) override {
        const store::Account* a = w_.store.find(std::string(user));
        if (a == nullptr || a->password.empty()) return std::nullopt;
        return a->password;
    }
    pop3::OpenResult open(std::string_view user) override {
        const std::string name(user);
        store::Account* a = w_.store.find(name);
        if (a == nullptr) return {pop3::OpenStatus::Failed, {}};
        if (!w_.store.lock(name, session_)) return {pop3::OpenStatus::InUse, {}};
        locked_ = name;
        const store::Folder& f = a->folders[store::kInbox];
        pop3::OpenResult r;
        for (const auto& m : f.messages) r.messages.push_back({agents::pop3_uidl(f, m), m.bytes});
        return r;
    }
    bool update(std::string_view user, const std::vector<std::string>& deleted) override {
        store::Account* a = w_.store.find(std::string(user));
        if (a == nullptr) return false;
        store::Folder& f = a->folders[store::kInbox];
        std::erase_if(f.messages, [&](const store::StoredMessage& m) {
            return std::find(deleted.begin(), deleted.end(), agents::pop3_uidl(f, m)) != deleted.end();
        });
        return true;
    }
    void release(std::string_view user) override {
        w_.store.unlock(std::string(user), session_);
        locked_.clear();
    }

private:
    BuiltinWorld& w_;
    std::uint64_t session_;
    std::string locked_;
};

// One engine of any protocol as a Stream. The engine never sees a socket:
// send() is handle_bytes, read() drains poll_output and lets virtual time
// run to the engine's next deadline when it has nothing to say.
template <typename Engine, typename Policy>
class EngineStream final : public Stream {
public:
    EngineStream(BuiltinWorld& w, std::unique_ptr<Policy> policy, std::unique_ptr<Engine> engine, std::string peer)
        : w_(w), policy_(std::move(policy)), engine_(std::move(engine)), peer_(std::move(peer)) {
        if constexpr (std::is_same_v<Engine, imap::ServerEngine>) w_.imap_engines.push_back(engine_.get());
        engine_->start(w_.now);
    }
    ~EngineStream() override {
        if constexpr (std::is_same_v<Engine, imap::ServerEngine>) std::erase(w_.imap_engines, engine_.get());
        if (!closed_) engine_->handle_closed(w_.now);
        engine_.reset();
    }

    Status send(std::string_view bytes) override {
        if (closed_) return Error{"the connection is closed", peer_};
        if (!client_tls_) {
            engine_->handle_bytes(w_.now, bytes);
            return {};
        }
        agents::TlsChannel::Input in = server_tls_->receive(client_tls_->seal(bytes));
        if (!in.error.empty()) return Error{"TLS: " + in.error, peer_};
        engine_->handle_bytes(w_.now, in.plaintext);
        return {};
    }

    ReadResult read(Duration timeout) override {
        ReadResult r;
        r.data = drain();
        if (!r.data.empty() || closed_) {
            r.closed = closed_;
            return r;
        }
        const Time until = w_.now + timeout;
        const auto deadline = engine_->next_deadline();
        if (deadline && *deadline <= until) {
            w_.now = std::max(w_.now, *deadline);
            engine_->handle_timeout(w_.now);
            r.data = drain();
        } else {
            w_.now = until;
        }
        r.closed = closed_;
        return r;
    }

    void pause(Duration d) override {
        const Time until = w_.now + d;
        while (!closed_) {
            const auto deadline = engine_->next_deadline();
            if (!deadline || *deadline > until) break;
            w_.now = std::max(w_.now, *deadline);
            engine_->handle_timeout(w_.now);
            pending_ += drain();
        }
        w_.now = std::max(w_.now, until);
    }

    void close() override {
        if (!closed_) engine_->handle_closed(w_.now);
        closed_ = true;
    }

    [[nodiscard]] std::string peer() const override { return peer_; }

    // The client's hello, the server's flight, the client's Finished, then
    // the engine is told TLS is up (tls_channel.hpp: the simulator's model).
    Result<TlsInfo> start_tls(const TlsStart& how) override {
        if (closed_) return Error{"the connection is closed", peer_};
        if (client_tls_) return Error{"TLS is already active on this connection", peer_};
        if (!engine_->tls_pending()) {
            return Error{"TLS handshake failed: the server is not waiting for one (it did not accept STARTTLS)", peer_};
        }
        const std::string proto = to_string(how.protocol);
        client_tls_ = std::make_unique<agents::TlsChannel>(how.trace != nullptr ? *how.trace : quiet_, how.host, peer_, how.conn);
        server_tls_ = std::make_unique<agents::TlsChannel>(quiet_, peer_, how.host, how.conn);
        (void)server_tls_->start(true, proto);
        const agents::TlsChannel::Input flight = server_tls_->receive(client_tls_->start(false, proto));
        const agents::TlsChannel::Input finished = client_tls_->receive(flight.to_send);
        const agents::TlsChannel::Input done = server_tls_->receive(finished.to_send);
        if (!finished.established || !done.established) {
            close();
            return Error{"TLS handshake failed: " + (done.error.empty() ? finished.error : done.error), peer_};
        }
        engine_->handle_tls_started(w_.now);
        return TlsInfo{"TLSv1.3", "TLS_AES_128_GCM_SHA256", how.trace != nullptr};
    }

private:
    std::string drain() {
        std::string out = std::move(pending_);
        pending_.clear();
        for (;;) {
            std::string chunk = engine_->poll_output();
            bool any = !chunk.empty();
            out += chunk;
            while (engine_->poll_event()) any = true;
            if (!any) break;
        }
        if (engine_->close_requested()) closed_ = true;
        if (client_tls_ && !out.empty()) {  // the server seals, the client opens
            agents::TlsChannel::Input in = client_tls_->receive(server_tls_->seal(out));
            if (!in.error.empty()) closed_ = true;
            out = std::move(in.plaintext);
        }
        return out;
    }

    BuiltinWorld& w_;
    std::unique_ptr<Policy> policy_;
    std::unique_ptr<Engine> engine_;
    std::string peer_;
    std::string pending_;
    bool closed_ = false;
    trace::Recorder quiet_{[] { return Time{}; }};  // the server's channel: its records are the client's, mirrored
    std::unique_ptr<agents::TlsChannel> client_tls_, server_tls_;  // after STARTTLS/STLS
};

// The IMAP engine's policy is the world's shared store adapter.
struct NoPolicy {};

}  // namespace

bool apply_fault(BuiltinOptions& o, std::string_view name) {
    if (smtp::set_fault(o.smtp.faults, name) || pop3::set_fault(o.pop3.faults, name) ||
        imap::set_fault(o.imap.faults, name))
        return true;
    if (name == "no-trace-fields") {
        o.no_trace_fields = true;
    } else if (name == "greeting-421") {
        o.greeting_421 = true;
    } else if (name == "lf-ends-line") {
        o.smtp.leniency.line_ends = smtp::LineEndMode::LfEndsLine;  // the smuggling demonstration (data_reader.hpp)
    } else if (name == "short-smtp-timeout") {
        o.smtp.timeout = minutes(1);  // below RFC 5321 §4.5.3.2.7's 5 minutes
    } else if (name == "few-recipients") {
        o.smtp.max_recipients = 20;  // below RFC 5321 §4.5.3.1.8's 100
    } else if (name == "short-autologout") {
        o.pop3.autologout = minutes(1);  // below RFC 1939 §3's 10 minutes
    } else if (name == "unfold-headers") {
        o.unfold_headers = true;
    } else if (name == "dsn-sender-not-null") {
        o.bounce.dsn_sender_not_null = true;
    } else if (name == "dsn-plain-text") {
        o.bounce.dsn_plain_text = true;
    } else if (name == "dsn-status-4") {
        o.bounce.dsn_status_4 = true;
    } else if (name == "dsn-status-mailbox") {
        o.bounce.dsn_status_mailbox = true;
    } else if (name == "dsn-lf") {
        o.bounce.dsn_lf = true;
    } else if (name == "dsn-no-date") {
        o.bounce.dsn_no_date = true;
    } else if (name == "dsn-no-message-id") {
        o.bounce.dsn_no_message_id = true;
    } else if (name == "drop-blank-body-lines") {
        o.delivery.drop_blank_body_lines = true;
    } else if (name == "wrap-long-lines") {
        o.delivery.wrap_long_lines = true;
    } else if (name == "decode-subject") {
        o.delivery.decode_subject = true;
    } else if (name == "second-date") {
        o.delivery.second_date = true;
    } else {
        return false;
    }
    return true;
}

std::string builtin_fault_names() {
    return std::string(smtp::fault_names()) + " " + pop3::fault_names() + " " + imap::fault_names() +
           " no-trace-fields greeting-421 lf-ends-line short-smtp-timeout few-recipients short-autologout"
           " unfold-headers dsn-sender-not-null dsn-plain-text dsn-status-4 dsn-status-mailbox dsn-lf dsn-no-date"
           " dsn-no-message-id drop-blank-body-lines wrap-long-lines decode-subject second-date";
}

BuiltinTransport::BuiltinTransport(BuiltinOptions options) : world_(std::make_shared<BuiltinWorld>()) {
    world_->options = std::move(options);
    if (world_->options.tls) {  // as `postino serve` with tls: configured
        world_->options.smtp.tls.offered = true;
        world_->options.pop3.tls.offered = true;
        world_->options.imap.starttls = true;
    }
    world_->store.add_account(world_->options.user, world_->options.password);
    world_->store.add_account("postmaster");
}

BuiltinTransport::~BuiltinTransport() = default;

Time BuiltinTransport::now() const { return world_->now; }

std::size_t BuiltinTransport::inbox_size() const {
    const store::Account* a = world_->store.find(world_->options.user);
    if (a == nullptr) return 0;
    auto it = a->folders.find(store::kInbox);
    return it == a->folders.end() ? 0 : it->second.messages.size();
}

void BuiltinTransport::insert(std::string_view message) {
    world_->store.insert(world_->options.user, std::string(message), world_->now);
}

Result<std::unique_ptr<Stream>> BuiltinTransport::connect(Protocol p) {
    BuiltinWorld& w = *world_;
    const std::uint64_t session = ++w.sessions;
    switch (p) {
        case Protocol::Smtp: {
            auto policy = std::make_unique<SmtpPolicy>(w);
            auto engine = std::make_unique<smtp::ServerEngine>(w.options.smtp, *policy);
            return std::unique_ptr<Stream>(std::make_unique<EngineStream<smtp::ServerEngine, SmtpPolicy>>(
                w, std::move(policy), std::move(engine), "builtin smtp"));
        }
        case Protocol::Pop3: {
            auto policy = std::make_unique<Pop3Policy>(w, session);
            pop3::ServerConfig cfg = w.options.pop3;
            cfg.session_tag = std::to_string(session);
            auto engine = std::make_unique<pop3::ServerEngine>(cfg, *policy);
            return std::unique_ptr<Stream>(std::make_unique<EngineStream<pop3::ServerEngine, Pop3Policy>>(
                w, std::move(policy), std::move(engine), "builtin pop3"));
        }
        case Protocol::Imap: {
            if (!w.imap_store.on_change) {
                w.imap_store.on_change = [&w] {
                    for (imap::ServerEngine* e : w.imap_engines) {
                        if (e->wants_mailbox_changes()) e->handle_mailbox_changed(w.now);
                    }
                };
            }
            auto engine = std::make_unique<imap::ServerEngine>(w.options.imap, w.imap_store);
            return std::unique_ptr<Stream>(std::make_unique<EngineStream<imap::ServerEngine, NoPolicy>>(
                w, nullptr, std::move(engine), "builtin imap"));
        }
    }
    return Error{"unknown protocol", ""};
}

}  // namespace postino::conformance
