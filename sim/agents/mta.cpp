// mta.cpp — spool, queue manager, local delivery, relaying and bounces.
//
// RFC 5321 §3.6–§3.9 (relaying, aliases), §4.5.4 (retry strategy), §5.1 (MX,
// then A, preference order, equal preferences at random), §6.1–§6.2 (taking
// responsibility; never bouncing a bounce: the null reverse-path), §4.4
// (Received and Return-Path); RFC 3464 for the DSNs.
#include "agents/mta.hpp"

#include <algorithm>

#include "agents/delivery_outcome.hpp"
#include "mail/chars.hpp"
#include "mail/dsn.hpp"
#include "mail/message.hpp"
#include "mail/mime.hpp"
#include "mail/trace_fields.hpp"
#include "net/network.hpp"

namespace postino::agents {
namespace {

std::string lower(const std::string& s) { return mail::ascii_lower(s); }

std::string domain_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string() : lower(address.substr(at + 1));
}

std::string local_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? address : address.substr(0, at);
}

int count_received(std::string_view content) {
    int n = 0;
    std::size_t pos = 0;
    while (pos < content.size()) {
        const std::size_t eol = content.find('\n', pos);
        const std::string_view line = content.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        if (line.empty() || line == "\r") break;  // end of the header section
        if (line.size() >= 9 && mail::chars::iequals(line.substr(0, 9), "received:")) ++n;
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return n;
}

// The header section of a message, for text/rfc822-headers in a DSN.
// The Message-ID field's value (unfolded, trimmed), or "" (for duplicate detection).
std::string message_id_of(const std::string& content) {
    // Views into the header, no copies: this runs for every enqueued and
    // every delivered message.
    const std::string_view head = std::string_view(content).substr(0, content.find("\r\n\r\n"));
    std::size_t pos = 0;
    while (pos < head.size()) {
        std::size_t eol = head.find("\r\n", pos);
        if (eol == std::string_view::npos) eol = head.size();
        if (eol - pos > 11 && mail::chars::iequals(head.substr(pos, 11), "message-id:")) {
            std::string v(head.substr(pos + 11, eol - pos - 11));
            std::size_t next = eol + 2;
            while (next < head.size() && (head[next] == ' ' || head[next] == '\t')) {  // folded
                const std::size_t e2 = std::min(head.find("\r\n", next), head.size());
                v += head.substr(next, e2 - next);
                next = e2 + 2;
            }
            const auto b = v.find_first_not_of(" \t");
            const auto e = v.find_last_not_of(" \t");
            return b == std::string::npos ? std::string() : v.substr(b, e - b + 1);
        }
        pos = eol + 2;
    }
    return {};
}

}  // namespace

// --- the server side -------------------------------------------------------

class Mta::Policy : public smtp::ServerPolicy {
public:
    Policy(Mta& mta, net::Ip4 client, std::string client_name)
        : mta_(mta), client_(client), client_name_(std::move(client_name)) {}

    std::weak_ptr<SmtpLink<smtp::ServerEngine>> link;

    smtp::Decision on_connect() override {
        stage_faults("CONNECT");
        if (auto d = mta_.injected("CONNECT")) return *d;
        return smtp::Decision::accept();
    }
    smtp::Decision on_mail(const smtp::SessionInfo&, const mail::Mailbox&, const smtp::MailParams&) override {
        stage_faults("MAIL");
        if (auto d = mta_.injected("MAIL")) return *d;
        return smtp::Decision::accept();
    }
    smtp::Decision on_rcpt(const smtp::SessionInfo&, const smtp::Envelope&, const mail::Mailbox& rcpt) override {
        stage_faults("RCPT");
        if (auto d = mta_.injected("RCPT")) return *d;
        return mta_.check_recipient(rcpt, client_);
    }

    smtp::Decision on_message(const smtp::SessionInfo& session, const smtp::Envelope& env,
                              std::string_view content) override {
        if (auto l = link.lock()) l->delay_next_output(mta_.take_slow("DATA"));
        if (auto d = mta_.injected("DATA")) return *d;
        if (count_received(content) > mta_.config_.max_hops) {
            return smtp::Decision::reject(554, "5.4.6", "Too many hops: a mail loop between servers?");
        }
        std::vector<std::string> rcpts;
        for (const auto& r : env.recipients) {
            rcpts.push_back(r.domain.empty() ? r.local + "@" + mta_.config_.hostname : r.str());
        }
        mail::ReceivedInfo info;
        info.from_helo = session.helo_name.empty() ? client_name_ : session.helo_name;
        info.from_tcp_info = client_name_ + " [" + client_.str() + "]";
        info.by_host = mta_.config_.hostname;
        info.with = session.esmtp ? "ESMTP" : "SMTP";
        info.when = mta_.host_.network().now();
        if (env.recipients.size() == 1) info.for_recipient = env.recipients[0];
        // The queue id goes into the Received: line, so draw it first.
        const std::string id = mta_.spool_.new_queue_id(mta_.queue_rng_);
        info.id = id;
        std::string message(content);
        if (auto f = mail::make_received(info)) message = f->raw() + message;
        const bool null_sender = env.sender.empty();
        mta_.enqueue_with_id(id, null_sender ? std::string() : env.sender.str(), rcpts, std::move(message),
                             false, {});
        if (mta_.take_drop_after_data()) {
            // Responsibility is taken (the message is in the spool), but the
            // 250 never leaves: the client must assume failure and retry.
            mta_.host_.network().trace().emit(
                trace::Event("note", mta_.host_.name())
                    .set("text", "fault: the connection drops after the final dot, before the 250 reply is sent "
                                 "(RFC 1047: the client will send the message again)"));
            if (auto l = link.lock()) l->drop_before_send();
        }
        return smtp::Decision::queued(id);
    }

private:
    void stage_faults(const std::string& command) {
        if (auto l = link.lock()) mta_.stage_faults(command, *l);
    }

    Mta& mta_;
    net::Ip4 client_;
    std::string client_name_;
};

// An outbound delivery attempt: one destination domain of one spool entry.
struct Mta::Delivery {
    std::uint64_t id = 0;
    std::string queue_id;
    std::string domain;
    std::vector<std::string> hosts;  // MX hosts in the order to try
    std::size_t next_host = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<SmtpLink<smtp::ClientEngine>> link;
    std::string last_error;          // why the last host failed (connection level)
    std::string current_host;
    std::vector<std::string> batch;  // queue ids carried by this session, in transaction order
    bool connected = false;          // the TCP handshake with current_host completed
    bool done = false;
};

Mta::Mta(net::Host& host, net::dns::Resolver& resolver, store::MailStore& store, MtaConfig config)
    : host_(host), resolver_(resolver), store_(store), config_(std::move(config)),
      queue_rng_(Rng::stream(host.network().seed(), "queue:" + host.name())),
      mx_rng_(Rng::stream(host.network().seed(), "mx:" + host.name())),
      dsn_rng_(Rng::stream(host.network().seed(), "dsn:" + host.name())) {
    for (auto& d : config_.domains) d = lower(d);
    config_.server.hostname = config_.hostname;
}

Mta::~Mta() {
    host_.remove_watch(down_watch_);
    host_.remove_watch(up_watch_);
    host_.unlisten(kSmtpPort);
    host_.unlisten(kSubmissionPort);
}

void Mta::start() {
    host_.listen(kSmtpPort, [this](const std::shared_ptr<net::TcpConnection>& c) { on_accept(c, kSmtpPort); });
    host_.listen(kSubmissionPort, [this](const std::shared_ptr<net::TcpConnection>& c) { on_accept(c, kSubmissionPort); });
    down_watch_ = host_.on_down([this] { on_host_down(); });
    up_watch_ = host_.on_up([this] { on_host_up(); });
}

bool Mta::is_local_domain(const std::string& domain) const {
    // config_.domains are lower case (the constructor), so a case-blind
    // compare finds what lowering `domain` would.
    return mail::chars::iequals(domain, config_.hostname) ||
           std::any_of(config_.domains.begin(), config_.domains.end(),
                       [&domain](const std::string& d) { return mail::chars::iequals(domain, d); });
}

smtp::Decision Mta::check_recipient(const mail::Mailbox& rcpt, net::Ip4 client) const {
    if (rcpt.domain.empty()) return smtp::Decision::accept();  // <postmaster> (RFC 5321 §4.1.1.3)
    if (!is_local_domain(rcpt.domain)) {
        const bool may_relay = std::find(config_.relay_clients.begin(), config_.relay_clients.end(), client) !=
                               config_.relay_clients.end();
        return may_relay ? smtp::Decision::accept() : smtp::Decision::relay_denied();
    }
    const std::string address = rcpt.local + "@" + lower(rcpt.domain);
    if (config_.aliases.is_alias(address)) return smtp::Decision::accept();
    const std::string account = lower(rcpt.local);
    if (account == lower(config_.postmaster)) return smtp::Decision::accept();
    switch (store_.can_accept(account, 0)) {
        case store::InsertStatus::Stored: return smtp::Decision::accept();
        case store::InsertStatus::NoSuchAccount: return smtp::Decision::unknown_user();
        case store::InsertStatus::OverQuota: {
            const store::Account* a = store_.find(account);
            return a != nullptr && a->quota_is_temporary ? smtp::Decision::mailbox_full_temporary()
                                                         : smtp::Decision::mailbox_full();
        }
        case store::InsertStatus::Failed: break;
    }
    return smtp::Decision::accept();
}

void Mta::on_accept(const std::shared_ptr<net::TcpConnection>& c, std::uint16_t port) {
    net::Host* peer = host_.network().find_host(c->remote());
    const std::string peer_name = peer != nullptr ? peer->name() : c->remote().str();
    auto policy = std::make_shared<Policy>(*this, c->remote(), peer_name);
    smtp::ServerConfig cfg = config_.server;
    (void)port;
    auto engine = std::make_unique<smtp::ServerEngine>(cfg, *policy);
    auto link = std::make_shared<SmtpLink<smtp::ServerEngine>>(host_.network(), c, std::move(engine), true);
    const std::uint64_t id = c->id();
    struct Holder {
        std::shared_ptr<Policy> policy;
        std::shared_ptr<SmtpLink<smtp::ServerEngine>> link;
    };
    policy->link = link;
    links_[id] = std::make_shared<Holder>(Holder{policy, link});
    link->set_output_delay([this] { return take_slow(""); });
    std::weak_ptr<SmtpLink<smtp::ServerEngine>> weak = link;
    auto on_event = [this, weak](const smtp::Event& ev) {
        // The 354 went out: a mid-data drop cuts the message content that follows.
        const auto* r = std::get_if<smtp::ReplyEvent>(&ev);
        if (r == nullptr || r->reply.code != 354 || !take_drop("mid-data")) return;
        if (auto l = weak.lock()) {
            l->drop_in_next_input("fault: the connection drops in the middle of the message data; the server "
                                  "discards the partial message and never replies 250 (RFC 5321 §4.1.1.4)");
        }
    };
    link->attach(on_event, [this, id](net::CloseReason) {
        // Destroy the session one event later: we are inside its callback.
        host_.network().scheduler().schedule_in(Duration{}, [this, id] { links_.erase(id); });
    });
    link->start();
}

std::uint64_t Mta::add_reply_override(const std::string& command, smtp::Decision decision, int times) {
    injected_[next_injected_] = InjectedFault{command, std::move(decision), times};
    return next_injected_++;
}

std::uint64_t Mta::add_drop_after_data(int times) {
    injected_[next_injected_] = InjectedFault{"DROP-AFTER-DATA", smtp::Decision::accept(), times};
    return next_injected_++;
}

void Mta::remove_fault(std::uint64_t id) { injected_.erase(id); }

std::optional<smtp::Decision> Mta::injected(const std::string& command) {
    for (auto& [id, f] : injected_) {
        if (f.command != command || f.remaining == 0) continue;
        if (f.remaining > 0) --f.remaining;
        return f.decision;
    }
    return std::nullopt;
}

bool Mta::take_drop_after_data() { return injected("DROP-AFTER-DATA").has_value(); }

std::uint64_t Mta::add_drop(const std::string& stage, int times) {
    if (stage == "after-data") return add_drop_after_data(times);
    injected_[next_injected_] = InjectedFault{"DROP:" + stage, smtp::Decision::accept(), times};
    return next_injected_++;
}

std::uint64_t Mta::add_slow_reply(const std::string& command, Duration delay, int times) {
    injected_[next_injected_] = InjectedFault{"SLOW:" + command, smtp::Decision::accept(), times, delay};
    return next_injected_++;
}

bool Mta::take_drop(const std::string& stage) { return injected("DROP:" + stage).has_value(); }

Duration Mta::take_slow(const std::string& command) {
    for (auto& [id, f] : injected_) {
        if (f.command != "SLOW:" + command || f.remaining == 0) continue;
        if (f.remaining > 0) --f.remaining;
        return f.delay;
    }
    return Duration{};
}

void Mta::stage_faults(const std::string& command, SmtpLink<smtp::ServerEngine>& link) {
    static const std::map<std::string, std::string> kStage{{"CONNECT", "greeting"}, {"MAIL", "mail"}, {"RCPT", "rcpt"}};
    const std::string& stage = kStage.at(command);
    if (take_drop(stage)) {
        host_.network().trace().emit(trace::Event("note", host_.name())
                                         .set("text", "fault: the connection drops " +
                                                          std::string(command == "CONNECT" ? "before the greeting"
                                                                                           : "when " + command + " arrives, before its reply")));
        link.drop_before_send();
    }
    link.delay_next_output(take_slow(command));
}

// --- the spool -------------------------------------------------------------

trace::Event Mta::spool_event(const char* ev, const SpoolEntry& e) const {
    trace::Event t("spool", host_.name());
    t.set("ev", ev).set("queue_id", e.queue_id);
    return t;
}

void Mta::trace_spool(const char* ev, const SpoolEntry& e, const std::string& to) const {
    trace::Event t = spool_event(ev, e);
    if (!to.empty()) t.set("to", to);
    host_.network().trace().emit(std::move(t));
}

std::string Mta::enqueue(const std::string& sender, const std::vector<std::string>& recipients, std::string content,
                         bool is_bounce, const std::string& dsn_for) {
    std::string id = spool_.new_queue_id(queue_rng_);
    enqueue_with_id(id, sender, recipients, std::move(content), is_bounce, dsn_for);
    return id;
}

void Mta::enqueue_with_id(const std::string& id, const std::string& sender, const std::vector<std::string>& recipients,
                          std::string content, bool is_bounce, const std::string& dsn_for) {
    SpoolEntry e;
    e.queue_id = id;
    e.sender = sender;
    e.message = std::move(content);
    e.deposit = host_.network().now();
    e.is_bounce = is_bounce || sender.empty();
    e.dsn_for = dsn_for;
    // Expand local aliases now: one-to-many may add remote recipients.
    std::vector<std::pair<std::string, std::string>> loops;  // address, path
    std::vector<std::string> finals;
    for (const auto& r : recipients) {
        const std::string dom = domain_of(r);
        if (is_local_domain(dom) && config_.aliases.is_alias(local_of(r) + "@" + dom)) {
            const Expansion x = config_.aliases.expand(local_of(r) + "@" + dom);
            if (x.loop) {
                std::string path;
                for (const auto& p : x.loop_path) path += (path.empty() ? "" : " -> ") + p;
                loops.emplace_back(r, path);
                continue;
            }
            host_.network().trace().emit(trace::Event("spool", host_.name())
                                             .set("ev", "expanded")
                                             .set("queue_id", id)
                                             .set("alias", r)
                                             .set("to", [&] {
                                                 std::string s;
                                                 for (const auto& t : x.recipients) s += (s.empty() ? "" : ",") + t;
                                                 return s;
                                             }()));
            for (const auto& t : x.recipients) finals.push_back(t);
        } else {
            finals.push_back(r);
        }
    }
    for (const auto& [addr, path] : loops) finals.push_back(addr);
    for (const auto& f : finals) {
        if (std::any_of(e.rcpts.begin(), e.rcpts.end(), [&](const Recipient& x) { return x.address == f; })) continue;
        Recipient rc;
        rc.address = f;
        rc.domain = domain_of(f);
        rc.local = is_local_domain(rc.domain);
        e.rcpts.push_back(rc);
    }
    SpoolEntry& stored = spool_.add(std::move(e));
    trace::Event t = spool_event("enqueued", stored);
    t.set("from", stored.sender).set("to", stored.recipients_text()).set("deposit", stored.deposit.ns())
        .set("size", static_cast<std::uint64_t>(stored.message.size()));
    std::string dest;
    for (const auto& r : stored.rcpts) {
        const std::string d = r.local ? "local" : r.domain;
        if (dest.find(d) == std::string::npos) dest += (dest.empty() ? "" : ",") + d;
    }
    t.set("dest", dest);
    if (stored.is_bounce) t.set("bounce", true);
    if (!dsn_for.empty()) t.set("dsn_for", dsn_for);
    if (const std::string mid = message_id_of(stored.message); !mid.empty()) t.set("message_id", mid);
    host_.network().trace().emit(std::move(t));
    host_.network().trace().emit(trace::Event("message", host_.name())
                                     .set("id", id)
                                     .set_bytes("bytes", stored.message)
                                     .set("role", stored.is_bounce ? "dsn" : "enqueued"));
    // Alias loops bounce at once with 5.4.6 (RFC 3463: routing loop detected).
    std::vector<std::size_t> looped;
    for (std::size_t i = 0; i < stored.rcpts.size(); ++i) {
        for (const auto& [addr, path] : loops) {
            if (stored.rcpts[i].address == addr) {
                stored.rcpts[i].state = RcptState::Bounced;
                stored.rcpts[i].status = "5.4.6";
                stored.rcpts[i].last_error = "alias loop: " + path;
                looped.push_back(i);
            }
        }
    }
    if (!looped.empty()) {
        for (auto i : looped) {
            trace::Event b = spool_event("bounced", stored);
            b.set("to", stored.rcpts[i].address).set("status", "5.4.6").set("error", stored.rcpts[i].last_error);
            host_.network().trace().emit(std::move(b));
        }
        bounce(stored, looped, false);
    }
    schedule(stored, host_.network().now());
}

void Mta::schedule(SpoolEntry& e, Time at) {
    auto& sched = host_.network().scheduler();
    if (auto it = timers_.find(e.queue_id); it != timers_.end()) sched.cancel(it->second);
    e.next_attempt = at;
    std::string id = e.queue_id;  // not const: the closure must be nothrow-movable
    timers_[id] = sched.schedule_at(at, [this, id] {
        timers_.erase(id);
        attempt(id);
    });
}

void Mta::attempt(const std::string& queue_id) {
    SpoolEntry* e = spool_.find(queue_id);
    if (e == nullptr || !host_.up()) return;
    if (e->done()) {
        trace_spool("removed", *e);
        spool_.remove(queue_id);
        return;
    }
    ++e->attempts;
    trace::Event t = spool_event("attempt", *e);
    t.set("attempt", e->attempts).set("to", e->recipients_text(true));
    host_.network().trace().emit(std::move(t));
    in_flight_[queue_id] = 1;  // guard while starting the deliveries
    if (e->has_pending_local()) deliver_local(*e);
    std::vector<std::string> domains;
    for (const auto& r : e->rcpts) {
        if (r.state == RcptState::Pending && !r.local &&
            std::find(domains.begin(), domains.end(), r.domain) == domains.end()) {
            domains.push_back(r.domain);
        }
    }
    for (const auto& d : domains) {
        ++in_flight_[queue_id];
        start_remote(*e, d);
    }
    attempt_done(queue_id);  // release the guard
}

void Mta::deliver_local(SpoolEntry& e) {
    // A DSN addressed here: note its statuses on the mailbox event so a
    // scenario can check what the sender was told.
    std::string dsn_status;
    if (e.sender.empty()) {
        if (auto m = mail::parse_mime(e.message); m.ok()) {
            if (auto r = mail::parse_dsn(*m); r.ok()) {
                for (const auto& rr : r->status.recipients) {
                    dsn_status += (dsn_status.empty() ? "" : ",") + rr.status.str();
                }
            }
        }
    }
    for (auto& r : e.rcpts) {
        if (r.state != RcptState::Pending || !r.local) continue;
        std::string account = lower(local_of(r.address));
        if (account == lower(config_.postmaster) && store_.find(account) == nullptr) {
            store_.add_account(account);  // the postmaster mailbox always exists (RFC 5321 §4.5.1)
        }
        std::string message = e.message;
        if (auto rp = mail::make_return_path(to_mailbox(e.sender))) message.insert(0, rp->raw());
        const store::InsertResult res = store_.insert(account, message, host_.network().now());
        switch (res.status) {
            case store::InsertStatus::Stored: {
                r.state = RcptState::Delivered;
                trace::Event m("mailbox", host_.name());
                m.set("ev", "stored").set("mailbox", account).set("uid", static_cast<std::uint64_t>(res.uid))
                    .set("address", r.address).set("queue_id", e.queue_id)
                    .set("size", static_cast<std::uint64_t>(message.size()));
                if (const std::string mid = message_id_of(e.message); !mid.empty()) m.set("message_id", mid);
                if (!dsn_status.empty()) m.set("dsn_status", dsn_status);
                host_.network().trace().emit(std::move(m));
                trace_spool("delivered", e, r.address);
                break;
            }
            case store::InsertStatus::NoSuchAccount:
                r.status = "5.1.1";
                r.last_error = "550 5.1.1 <" + r.address + ">: Recipient address rejected: no such mailbox";
                r.state = RcptState::Bounced;
                break;
            case store::InsertStatus::OverQuota: {
                const store::Account* a = store_.find(account);
                const bool temp = a != nullptr && a->quota_is_temporary;
                r.status = temp ? "4.2.2" : "5.2.2";
                r.last_error = temp ? "452 4.2.2 Mailbox full, try again later" : "552 5.2.2 Mailbox full";
                if (!temp) r.state = RcptState::Bounced;
                break;
            }
            case store::InsertStatus::Failed:
                r.status = "4.3.0";
                r.last_error = "451 4.3.0 Mailbox insertion failed";
                break;
        }
        if (r.state == RcptState::Bounced) {
            trace::Event b = spool_event("bounced", e);
            b.set("to", r.address).set("status", r.status).set("error", r.last_error);
            host_.network().trace().emit(std::move(b));
        }
    }
    std::vector<std::size_t> now_bounced;
    for (std::size_t i = 0; i < e.rcpts.size(); ++i) {
        if (e.rcpts[i].local && e.rcpts[i].state == RcptState::Bounced && e.rcpts[i].status.rfind('5', 0) == 0 &&
            e.rcpts[i].remote_mta.empty()) {
            e.rcpts[i].remote_mta = "local";  // marks "already reported"
            now_bounced.push_back(i);
        }
    }
    if (!now_bounced.empty()) bounce(e, now_bounced, false);
}

// --- relaying ----------------------------------------------------------------

void Mta::start_remote(SpoolEntry& e, const std::string& domain) {
    const std::string qid = e.queue_id;
    const std::uint64_t gen = generation_;
    resolver_.query(domain, net::dns::RrType::MX, [this, qid, domain, gen](const net::dns::Answer& a) {
        if (gen != generation_) return;
        SpoolEntry* entry = spool_.find(qid);
        if (entry == nullptr) return attempt_done(qid);
        using S = net::dns::Answer::Status;
        if (a.status == S::Ok) {
            // RFC 5321 §5.1: lowest preference first; equal preferences in random order.
            std::vector<net::dns::Record> mx = a.records;
            std::vector<std::pair<std::uint64_t, std::size_t>> keys;
            for (std::size_t i = 0; i < mx.size(); ++i) keys.emplace_back(mx_rng_.next_u64(), i);
            std::vector<std::size_t> order(mx.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
                if (mx[x].preference != mx[y].preference) return mx[x].preference < mx[y].preference;
                return keys[x].first < keys[y].first;
            });
            // RFC 5321 §5.1: an MTA that is itself an MX for the domain only
            // tries the exchangers more preferred than itself.
            std::optional<std::uint16_t> own;
            for (const auto& r : mx) {
                if (lower(r.exchange) == lower(config_.hostname) && (!own || r.preference < *own)) own = r.preference;
            }
            std::vector<std::string> hosts;
            for (auto i : order) {
                if (!own || mx[i].preference < *own) hosts.push_back(mx[i].exchange);
            }
            if (hosts.empty()) {
                fail_rcpts(*entry, domain, true, "5.4.6", "mail for " + domain + " loops back to myself (best MX)");
                return attempt_done(qid);
            }
            return resolved_mx(qid, domain, hosts);
        }
        if (a.status == S::NoData) {
            // No MX: the domain itself is the mail exchanger (the implicit MX, RFC 5321 §5.1).
            return resolved_mx(qid, domain, {domain});
        }
        if (a.status == S::NxDomain) {
            fail_rcpts(*entry, domain, true, "5.1.2", "Host or domain name not found: " + domain + " (NXDOMAIN)");
        } else {
            fail_rcpts(*entry, domain, false, "4.4.3",
                       std::string("DNS lookup of ") + domain + " failed: " + net::dns::to_string(a.status));
        }
        attempt_done(qid);
    });
}

void Mta::resolved_mx(const std::string& queue_id, const std::string& domain, std::vector<std::string> hosts) {
    auto d = std::make_shared<Delivery>();
    d->queue_id = queue_id;
    d->domain = domain;
    d->hosts = std::move(hosts);
    d->generation = generation_;
    d->id = next_delivery_++;
    deliveries_[d->id] = d;
    try_host(d);
}

void Mta::retire(const std::shared_ptr<Delivery>& d) {
    d->done = true;
    const std::uint64_t id = d->id;
    host_.network().scheduler().schedule_in(Duration{}, [this, id] { deliveries_.erase(id); });
}

void Mta::try_host(const std::shared_ptr<Delivery>& d) {
    if (d->generation != generation_) return;
    if (d->batch.empty()) d->batch.push_back(d->queue_id);
    if (d->next_host >= d->hosts.size()) {
        retire(d);
        for (const auto& qid : d->batch) {
            if (SpoolEntry* e = spool_.find(qid)) {
                fail_rcpts(*e, d->domain, false, "4.4.1", d->last_error.empty() ? "no mail exchanger answered" : d->last_error);
            }
            attempt_done(qid);
        }
        return;
    }
    const std::string mx = d->hosts[d->next_host++];
    d->current_host = mx;
    resolver_.query(mx, net::dns::RrType::A, [this, d, mx](const net::dns::Answer& a) {
        if (d->generation != generation_) return;
        if (!a.ok()) {
            d->last_error = "cannot find the address of " + mx + ": " + net::dns::to_string(a.status);
            if (a.status == net::dns::Answer::Status::NxDomain || a.status == net::dns::Answer::Status::NoData) {
                // The domain has no usable mail exchanger at all when this was the implicit MX.
                if (d->hosts.size() == 1 && d->hosts[0] == d->domain) {
                    retire(d);
                    for (const auto& qid : d->batch) {
                        if (SpoolEntry* entry = spool_.find(qid)) {
                            fail_rcpts(*entry, d->domain, true, "5.1.2", "no MX and no A record for " + d->domain);
                        }
                        attempt_done(qid);
                    }
                    return;
                }
            }
            return try_host(d);
        }
        if (d->batch.size() == 1 && d->next_host == 1) join_waiting(*d);
        std::vector<smtp::Transaction> txns;
        for (const auto& qid : d->batch) {
            SpoolEntry* entry = spool_.find(qid);
            smtp::Transaction txn;
            if (entry != nullptr) {
                txn.sender = entry->sender.empty() ? mail::Mailbox{} : to_mailbox(entry->sender);
                for (const auto& r : entry->rcpts) {
                    if (r.state == RcptState::Pending && !r.local && r.domain == d->domain) txn.recipients.push_back(to_mailbox(r.address));
                }
                txn.content = entry->message;
            }
            txns.push_back(std::move(txn));
        }
        smtp::ClientConfig cc;
        cc.helo_name = config_.hostname;
        cc.timeouts = config_.client_timeouts;
        cc.starttls = config_.client_starttls;
        auto conn = host_.connect(a.records[0].a, kSmtpPort);
        auto engine = std::make_unique<smtp::ClientEngine>(cc, std::move(txns));
        d->link = std::make_shared<SmtpLink<smtp::ClientEngine>>(host_.network(), conn, std::move(engine), false);
        std::weak_ptr<Delivery> weak = d;
        d->connected = false;
        conn->on_connected = [weak] {
            if (auto dd = weak.lock()) {
                dd->connected = true;
                dd->link->start();
            }
        };
        d->link->attach(nullptr, [this, weak](net::CloseReason reason) {
            auto dd = weak.lock();
            if (!dd || dd->done || dd->generation != generation_) return;
            const smtp::SessionResult& res = dd->link->engine().result();
            // Refused or unanswered at connect: RFC 5321 §5.1 says try the next MX.
            (void)res;
            if (!dd->connected) {
                dd->last_error = "connect to " + dd->current_host + ": " + net::to_string(reason);
                // The next MX, one event later (we are inside the connection's callback).
                host_.network().scheduler().schedule_in(Duration{}, [this, dd] { try_host(dd); });
                return;
            }
            finish_delivery(dd);
        });
    });
}

void Mta::finish_delivery(const std::shared_ptr<Delivery>& d) {
    retire(d);
    const smtp::SessionResult& res = d->link->engine().result();
    for (std::size_t k = 0; k < d->batch.size(); ++k) {
        const smtp::TransactionResult* txn = k < res.transactions.size() ? &res.transactions[k] : nullptr;
        finish_entry(*d, d->batch[k], res, txn);
    }
}

void Mta::finish_entry(const Delivery& dd, const std::string& queue_id, const smtp::SessionResult& res,
                       const smtp::TransactionResult* txn) {
    const Delivery* d = &dd;
    SpoolEntry* e = spool_.find(queue_id);
    if (e == nullptr) return attempt_done(queue_id);
    std::vector<std::size_t> bounced;
    for (std::size_t i = 0; i < e->rcpts.size(); ++i) {
        Recipient& r = e->rcpts[i];
        if (r.state != RcptState::Pending || r.local || r.domain != d->domain) continue;
        // The decision is shared with postino serve's relay (agents/delivery_outcome.hpp).
        RecipientOutcome o = recipient_outcome(r.address, res, txn, d->current_host);
        if (config_.test_bug_delete_before_250 && o.outcome == smtp::Outcome::TempFail && txn != nullptr &&
            txn->content_sent) {
            o.outcome = smtp::Outcome::Accepted;  // THE PLANTED BUG: never do this
        }
        apply_outcome(r, o, d->current_host);
        if (o.outcome == smtp::Outcome::Accepted) {
            trace::Event t = spool_event("sent", *e);
            t.set("to", r.address).set("remote", d->current_host);
            if (const std::string mid = message_id_of(e->message); !mid.empty()) t.set("message_id", mid);
            host_.network().trace().emit(std::move(t));
        } else if (o.outcome == smtp::Outcome::PermFail) {
            trace::Event t = spool_event("bounced", *e);
            t.set("to", r.address).set("status", r.status).set("error", o.error);
            host_.network().trace().emit(std::move(t));
            bounced.push_back(i);
        }
    }
    if (!bounced.empty()) bounce(*e, bounced, false);
    attempt_done(queue_id);
}

void Mta::join_waiting(Delivery& d) {
    // One SMTP session carries every waiting message for the same destination
    // (RFC 5321 §3.3 allows several transactions per session): when a site
    // answers again, its deferred mail goes with the first message.
    for (auto& [qid, entry] : spool_.entries()) {
        if (d.batch.size() >= kMaxMessagesPerSession) break;
        if (qid == d.queue_id || in_flight_.count(qid) != 0) continue;
        const bool for_domain = std::any_of(entry.rcpts.begin(), entry.rcpts.end(), [&](const Recipient& r) {
            return r.state == RcptState::Pending && !r.local && r.domain == d.domain;
        });
        if (!for_domain || entry.has_pending_local()) continue;
        if (auto t = timers_.find(qid); t != timers_.end()) {
            host_.network().scheduler().cancel(t->second);
            timers_.erase(t);
        }
        ++entry.attempts;
        trace::Event t = spool_event("attempt", entry);
        t.set("attempt", entry.attempts).set("to", entry.recipients_text(true)).set("joined", d.queue_id);
        host_.network().trace().emit(std::move(t));
        in_flight_[qid] = 1;
        d.batch.push_back(qid);
    }
}

void Mta::fail_rcpts(SpoolEntry& e, const std::string& domain, bool permanent, const std::string& status,
                     const std::string& error) {
    std::vector<std::size_t> bounced;
    for (std::size_t i = 0; i < e.rcpts.size(); ++i) {
        Recipient& r = e.rcpts[i];
        if (r.state != RcptState::Pending || r.local || r.domain != domain) continue;
        r.status = status;
        r.last_error = error;
        if (permanent) {
            r.state = RcptState::Bounced;
            trace::Event t = spool_event("bounced", e);
            t.set("to", r.address).set("status", status).set("error", error);
            host_.network().trace().emit(std::move(t));
            bounced.push_back(i);
        }
    }
    if (!bounced.empty()) bounce(e, bounced, false);
}

void Mta::attempt_done(const std::string& queue_id) {
    auto it = in_flight_.find(queue_id);
    if (it == in_flight_.end()) return;
    if (--it->second > 0) return;
    in_flight_.erase(it);
    SpoolEntry* e = spool_.find(queue_id);
    if (e == nullptr) return;
    if (e->done()) {
        trace_spool("removed", *e);
        auto t = timers_.find(queue_id);
        if (t != timers_.end()) {
            host_.network().scheduler().cancel(t->second);
            timers_.erase(t);
        }
        spool_.remove(queue_id);
        return;
    }
    const Time now = host_.network().now();
    // Delay warning (RFC 3464 Action: delayed), once, never for a bounce.
    const Duration warn = config_.profile.delay_warning;
    if (warn > Duration{} && !e->warned && !e->is_bounce && now - e->deposit >= warn) {
        e->warned = true;
        std::vector<std::size_t> pending;
        for (std::size_t i = 0; i < e->rcpts.size(); ++i) {
            if (e->rcpts[i].state == RcptState::Pending) pending.push_back(i);
        }
        trace_spool("warned", *e, e->recipients_text(true));
        bounce(*e, pending, true);
    }
    auto next = next_attempt(config_.profile, e->retry, e->deposit, now);
    if (!next) {
        // The lifetime is over: every pending recipient bounces with 4.4.7
        // (or its last permanent-looking reason).
        trace_spool("expired", *e, e->recipients_text(true));
        std::vector<std::size_t> expired;
        for (std::size_t i = 0; i < e->rcpts.size(); ++i) {
            Recipient& r = e->rcpts[i];
            if (r.state != RcptState::Pending) continue;
            r.state = RcptState::Bounced;
            const std::string why = r.last_error;
            r.last_error = "delivery time expired" + (why.empty() ? std::string() : "; last error: " + why);
            r.status = "4.4.7";
            trace::Event t = spool_event("bounced", *e);
            t.set("to", r.address).set("status", "4.4.7").set("error", r.last_error);
            host_.network().trace().emit(std::move(t));
            expired.push_back(i);
        }
        bounce(*e, expired, false);
        trace_spool("removed", *e);
        spool_.remove(queue_id);
        return;
    }
    trace::Event t = spool_event("deferred", *e);
    std::string err, status;
    for (const auto& r : e->rcpts) {
        if (r.state == RcptState::Pending) {
            err = r.last_error;
            status = r.status;
            break;
        }
    }
    t.set("to", e->recipients_text(true)).set("attempt", e->attempts).set("next", next->ns()).set("error", err);
    if (!status.empty()) t.set("status", status);
    host_.network().trace().emit(std::move(t));
    schedule(*e, *next);
}

// --- bounces -----------------------------------------------------------------

void Mta::bounce(SpoolEntry& e, const std::vector<std::size_t>& rcpts, bool delayed) {
    if (rcpts.empty()) return;
    if (e.is_bounce) {
        // Never bounce a bounce (RFC 5321 §6.1, §4.5.5): it goes to the postmaster.
        if (delayed) return;
        trace::Event t = spool_event("double-bounce", e);
        t.set("to", config_.postmaster + "@" + config_.hostname);
        host_.network().trace().emit(std::move(t));
        std::string account = lower(config_.postmaster);
        if (store_.find(account) == nullptr) store_.add_account(account);
        const auto res = store_.insert(account, e.message, host_.network().now());
        if (res.status == store::InsertStatus::Stored) {
            host_.network().trace().emit(trace::Event("mailbox", host_.name())
                                             .set("ev", "stored")
                                             .set("mailbox", account)
                                             .set("uid", static_cast<std::uint64_t>(res.uid))
                                             .set("address", config_.postmaster + "@" + config_.hostname)
                                             .set("queue_id", e.queue_id)
                                             .set("double_bounce", true));
        }
        return;
    }
    const Time now = host_.network().now();
    const mail::DsnDraft draft = bounce_draft(e, rcpts, delayed, config_.hostname, config_.profile.lifetime);
    auto built = mail::build_dsn(draft, dsn_rng_, config_.hostname, now);
    if (!built) {
        host_.network().trace().emit(trace::Event("note", host_.name())
                                         .set("text", "could not build a DSN: " + built.error().message()));
        return;
    }
    enqueue("", {e.sender}, built->bytes, true, e.queue_id);
}

// --- crash and restart -----------------------------------------------------

void Mta::on_host_down() {
    // Sessions and timers die with the host; the spool (its disk) survives.
    ++generation_;
    for (auto& [id, timer] : timers_) host_.network().scheduler().cancel(timer);
    timers_.clear();
    in_flight_.clear();
    links_.clear();
    deliveries_.clear();
}

void Mta::on_host_up() {
    // The queue manager resumes: everything in the spool is tried again now.
    for (auto& [id, e] : spool_.entries()) schedule(e, host_.network().now());
}

}  // namespace postino::agents
