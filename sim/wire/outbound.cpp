// outbound.cpp — the queue runner, the SMTP client attempts, retries and
// bounces of `postino serve`'s relay (RFC 5321 §4.5.4.1, §6.1; RFC 3464).
// See outbound.hpp.
#include "wire/outbound.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <sstream>

#include "agents/delivery_outcome.hpp"
#include "agents/mta.hpp"  // kMaxMessagesPerSession
#include "agents/retry_profile.hpp"
#include "mail/dsn.hpp"
#include "proto/smtp/client_engine.hpp"
#include "proto/smtp/trace_line.hpp"
#include "wire/durable_file.hpp"

namespace postino::wire {
namespace {

constexpr std::string_view kMagic = "postino-outbound 1";

std::string one_line(std::string s) {
    for (char& c : s) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return s.empty() ? "-" : s;
}

bool parse_i64(std::string_view s, std::int64_t& out) {
    const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string domain_of(const std::string& address) {
    const auto at = address.rfind('@');
    return at == std::string::npos ? std::string{} : mail::ascii_lower(address.substr(at + 1));
}

}  // namespace

std::string encode_outbound(const agents::SpoolEntry& e) {
    std::string out(kMagic);
    out += "\nfrom " + e.sender + "\ndeposit " + std::to_string(e.deposit.ns()) + "\nattempts " +
           std::to_string(e.attempts) + "\nnext " + std::to_string(e.next_attempt.ns()) + "\nretry " +
           std::to_string(e.retry.failures) + " " + std::to_string(e.retry.rule) + " " +
           std::to_string(e.retry.last_interval.ns()) + "\n";
    for (const auto& r : e.rcpts) {
        if (r.state != agents::RcptState::Pending) continue;
        out += "rcpt " + r.address + " " + one_line(r.status) + " " + one_line(r.last_error) + "\n";
    }
    out += "\n";
    out += e.message;
    return out;
}

Result<agents::SpoolEntry> decode_outbound(const std::string& id, const std::string& bytes) {
    agents::SpoolEntry e;
    e.queue_id = id;
    std::size_t pos = 0;
    int line_no = 0;
    auto bad = [&](const std::string& what) { return Error{what, id + ":" + std::to_string(line_no)}; };
    for (;;) {
        const auto nl = bytes.find('\n', pos);
        if (nl == std::string::npos) return bad("the header does not end with an empty line");
        const std::string line = bytes.substr(pos, nl - pos);
        pos = nl + 1;
        ++line_no;
        if (line_no == 1) {
            if (line != kMagic) return bad("not an outbound spool entry (expected 'postino-outbound 1')");
            continue;
        }
        if (line.empty()) break;
        const auto sp = line.find(' ');
        const std::string key = line.substr(0, sp), value = sp == std::string::npos ? "" : line.substr(sp + 1);
        std::int64_t n = 0;
        if (key == "from") {
            e.sender = value;
        } else if (key == "deposit" || key == "next" || key == "attempts") {
            if (!parse_i64(value, n)) return bad("'" + key + "' needs a number");
            if (key == "deposit") e.deposit = Duration::from_ns(n);
            if (key == "next") e.next_attempt = Duration::from_ns(n);
            if (key == "attempts") e.attempts = static_cast<int>(n);
        } else if (key == "retry") {
            std::istringstream in(value);
            long long f = 0, rule = 0, iv = 0;
            if (!(in >> f >> rule >> iv) || f < 0 || rule < 0) return bad("'retry' needs <failures> <rule> <interval>");
            e.retry.failures = static_cast<int>(f);
            e.retry.rule = static_cast<std::size_t>(rule);
            e.retry.last_interval = Duration::from_ns(iv);
        } else if (key == "rcpt") {
            const auto a = value.find(' ');
            const auto b = a == std::string::npos ? a : value.find(' ', a + 1);
            if (b == std::string::npos) return bad("'rcpt' needs <address> <status> <error>");
            agents::Recipient r;
            r.address = value.substr(0, a);
            r.domain = domain_of(r.address);
            r.status = value.substr(a + 1, b - a - 1);
            r.last_error = value.substr(b + 1);
            if (r.status == "-") r.status.clear();
            if (r.last_error == "-") r.last_error.clear();
            if (r.domain.empty()) return bad("a recipient needs a domain");
            e.rcpts.push_back(std::move(r));
        } else {
            return bad("unknown key '" + key + "'");
        }
    }
    e.message = bytes.substr(pos);
    if (e.rcpts.empty()) return bad("no recipient");
    return e;
}

Outbound::Outbound(const ServeConfig& config, MaildirStore& store, TraceLog& trace,
                   std::function<void(std::string)> log, asio::io_context& io, const WallClock& clock)
    : config_(config),
      store_(store),
      trace_(trace),
      log_(std::move(log)),
      io_(io),
      clock_(clock),
      strand_(asio::make_strand(io)),
      timer_(strand_),
      rng_(static_cast<std::uint64_t>(unix_time_now().ns())) {}

Time Outbound::unix_time_now() {
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    return Duration::from_ns(sec * 1'000'000'000 + usec * 1000);
}

bool Outbound::has_route(const std::string& domain) const { return config_.routes.count(mail::ascii_lower(domain)) != 0; }

Status Outbound::open() {
    dir_ = config_.data_dir + "/spool/outbound";
    tmp_ = config_.data_dir + "/spool/tmp";
    if (Status st = make_dirs(dir_); !st) return st;
    if (Status st = make_dirs(tmp_); !st) return st;
    auto files = list_files(dir_);
    if (!files) return files.error();
    for (const auto& id : *files) {
        auto bytes = read_file(dir_ + "/" + id);
        if (!bytes) continue;
        auto e = decode_outbound(id, *bytes);
        if (!e) {
            log_("damaged outbound spool entry left in place: " + e.error().message());
            continue;
        }
        entries_[id] = std::move(*e);
        ++recovered_;
    }
    return {};
}

Status Outbound::save(const agents::SpoolEntry& e) {
    const std::string tmp = tmp_ + "/" + e.queue_id + ".out";
    remove_file(tmp);
    return write_durably(tmp, dir_ + "/" + e.queue_id, encode_outbound(e));
}

Status Outbound::put(agents::SpoolEntry e) {
    e.deposit = unix_time_now();
    e.next_attempt = e.deposit;
    if (Status st = save(e); !st) return st;
    trace_spool("enqueued", e, e.recipients_text());
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        entries_[e.queue_id] = std::move(e);
    }
    wake();
    return {};
}

void Outbound::drop(const std::string& id) {
    remove_entry(id);
}

void Outbound::remove_entry(const std::string& id) {
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        entries_.erase(id);
    }
    remove_file(dir_ + "/" + id);
    (void)sync_dir(dir_);
}

void Outbound::trace_spool(const char* ev, const agents::SpoolEntry& e, const std::string& to) {
    trace::Event t("spool", config_.hostname);
    t.set("ev", ev).set("queue_id", e.queue_id).set("from", e.sender);
    if (!to.empty()) t.set("to", to);
    t.set("attempts", static_cast<std::int64_t>(e.attempts));
    trace_.emit(std::move(t));
}

void Outbound::wake() {
    asio::post(strand_, [this] { timer_.cancel(); });
}

void Outbound::start() {
    asio::co_spawn(strand_, run_queue(), [this](const std::exception_ptr& ex) {
        if (!ex) return;
        try {
            std::rethrow_exception(ex);
        } catch (const std::exception& x) {
            log_(std::string("outbound queue stopped by an internal error: ") + x.what());
        }
    });
}

void Outbound::stop() {
    stopping_ = true;
    std::vector<std::shared_ptr<Stoppable>> live;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        for (auto& [id, w] : sessions_) {
            if (auto s = w.lock()) live.push_back(std::move(s));
        }
    }
    for (auto& s : live) s->request_stop();
    wake();
}

// On strand_: starts every attempt that is due, then sleeps until the next
// one is due or put()/an attempt's end wakes it.
asio::awaitable<void> Outbound::run_queue() {
    while (!stopping_) {
        const Time now = unix_time_now();
        std::optional<Time> earliest;
        std::map<std::string, std::vector<std::string>> due;  // domain -> queue ids, the due ones first
        {
            const std::lock_guard<std::mutex> lock(mutex_);
            std::vector<std::pair<std::string, std::string>> waiting;  // (id, domain) pending but not due
            for (auto& [id, e] : entries_) {
                std::set<std::string> domains;
                for (const auto& r : e.rcpts) {
                    if (r.state == agents::RcptState::Pending) domains.insert(r.domain);
                }
                for (const auto& d : domains) {
                    if (in_flight_.count({id, d}) != 0) continue;
                    if (e.next_attempt <= now) {
                        in_flight_.insert({id, d});
                        due[d].push_back(id);
                    } else {
                        waiting.emplace_back(id, d);
                        if (!earliest || e.next_attempt < *earliest) earliest = e.next_attempt;
                    }
                }
            }
            // Mail waiting for a domain that is tried now joins the session
            // (the simulated MTA's join_waiting): when the site answers again,
            // its deferred mail goes at once instead of at scattered retry times.
            // A waiting message only fills free places of the domain's last
            // session (size % max != 0); it never opens a session of its own.
            for (const auto& [id, d] : waiting) {
                auto it = due.find(d);
                if (it == due.end() || it->second.size() % agents::kMaxMessagesPerSession == 0) continue;
                in_flight_.insert({id, d});
                it->second.push_back(id);
            }
        }
        for (auto& [d, ids] : due) {
            for (std::size_t first = 0; first < ids.size(); first += agents::kMaxMessagesPerSession) {
                const std::size_t last = std::min(ids.size(), first + agents::kMaxMessagesPerSession);
                std::vector<std::string> batch(ids.begin() + static_cast<std::ptrdiff_t>(first),
                                               ids.begin() + static_cast<std::ptrdiff_t>(last));
                asio::co_spawn(asio::make_strand(io_), attempt(std::move(batch), d), [this](const std::exception_ptr& ex) {
                    if (!ex) return;
                    try {
                        std::rethrow_exception(ex);
                    } catch (const std::exception& x) {
                        log_(std::string("delivery attempt ended by an internal error: ") + x.what());
                    }
                });
            }
        }
        if (earliest) {
            timer_.expires_after(std::chrono::nanoseconds((*earliest - now).ns()));
        } else {
            timer_.expires_at(std::chrono::steady_clock::time_point::max());
        }
        boost::system::error_code ec;
        co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> Outbound::attempt(std::vector<std::string> ids, std::string domain) {
    std::vector<std::string> queued;  // the ids still in the queue, in the order of their transactions
    std::vector<smtp::Transaction> txns;
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& id : ids) {
            auto it = entries_.find(id);
            if (it == entries_.end()) {
                in_flight_.erase({id, domain});
                continue;
            }
            const agents::SpoolEntry& e = it->second;
            smtp::Transaction txn;
            txn.sender = e.sender.empty() ? mail::Mailbox{} : agents::to_mailbox(e.sender);
            for (const auto& r : e.rcpts) {
                if (r.state == agents::RcptState::Pending && r.domain == domain) txn.recipients.push_back(agents::to_mailbox(r.address));
            }
            txn.content = e.message;
            trace::Event t("spool", config_.hostname);
            t.set("ev", "attempt").set("queue_id", e.queue_id).set("from", e.sender).set("to", domain);
            t.set("attempts", static_cast<std::int64_t>(e.attempts));
            if (!queued.empty()) t.set("joined", queued.front());
            trace_.emit(std::move(t));
            queued.push_back(id);
            txns.push_back(std::move(txn));
        }
    }
    if (queued.empty()) co_return;
    const Route route = config_.routes.at(domain);
    const std::string host = route.host + ":" + std::to_string(route.port);

    auto ex = co_await asio::this_coro::executor;
    tcp::socket socket(ex);
    boost::system::error_code ec;
    const auto addr = asio::ip::make_address(route.host, ec);
    smtp::SessionResult res;
    if (!ec) {
        asio::steady_timer guard(ex, kConnectTimeout);
        guard.async_wait([&socket](const boost::system::error_code& e) {
            if (e) return;
            boost::system::error_code ignored;
            socket.cancel(ignored);
        });
        co_await socket.async_connect(tcp::endpoint(addr, route.port), asio::redirect_error(asio::use_awaitable, ec));
        guard.cancel();
    }
    if (ec || stopping_) {
        // A connection that could not be made: a temporary failure of every recipient (RFC 5321 §4.5.4.1).
        res.failure.kind = smtp::FailureKind::ConnectionLost;
        res.failure.stage = smtp::Stage::Greeting;
        res.failure.detail = ec ? "cannot connect: " + ec.message() : "server stopping";
        for (const auto& id : queued) finish(id, domain, res, nullptr, host);
        co_return;
    }
    smtp::ClientConfig cc;
    cc.helo_name = config_.hostname;
    using S = Session<smtp::ClientEngine>;
    S::Hooks hooks;
    const std::uint64_t conn = next_conn_++;
    hooks.on_event = [this, conn, host](const smtp::Event& e) {
        for (auto& t : smtp::trace_events(e, smtp::Role::Client, config_.hostname, host, conn)) trace_.emit(std::move(t));
    };
    hooks.on_stop = [](smtp::ClientEngine& e, Time now) { e.handle_closed(now); };
    auto session = std::make_shared<S>(std::move(socket), nullptr,
                                       std::make_unique<smtp::ClientEngine>(cc, std::move(txns)),
                                       clock_, std::move(hooks));
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        sessions_[conn] = session;
    }
    co_await session->run();
    {
        const std::lock_guard<std::mutex> lock(mutex_);
        sessions_.erase(conn);
    }
    res = session->engine().result();
    for (std::size_t k = 0; k < queued.size(); ++k) {
        finish(queued[k], domain, res, k < res.transactions.size() ? &res.transactions[k] : nullptr, host);
    }
}

// After an attempt: the shared per-recipient decisions, then retry, expire or remove.
void Outbound::finish(const std::string& id, const std::string& domain, const smtp::SessionResult& res,
                      const smtp::TransactionResult* txn, const std::string& host) {
    std::unique_lock<std::mutex> lock(mutex_);
    in_flight_.erase({id, domain});
    auto it = entries_.find(id);
    if (it == entries_.end()) return;
    agents::SpoolEntry& e = it->second;
    std::vector<std::size_t> bounced;
    for (std::size_t i = 0; i < e.rcpts.size(); ++i) {
        agents::Recipient& r = e.rcpts[i];
        if (r.state != agents::RcptState::Pending || r.domain != domain) continue;
        const agents::RecipientOutcome o = agents::recipient_outcome(r.address, res, txn, host);
        agents::apply_outcome(r, o, host);
        if (r.state == agents::RcptState::Sent) {
            trace_.emit(trace::Event("spool", config_.hostname)
                            .set("ev", "sent")
                            .set("queue_id", e.queue_id)
                            .set("to", r.address)
                            .set("remote", host));
        } else if (r.state == agents::RcptState::Bounced) {
            trace_.emit(trace::Event("spool", config_.hostname)
                            .set("ev", "bounced")
                            .set("queue_id", e.queue_id)
                            .set("to", r.address)
                            .set("status", r.status)
                            .set("error", r.last_error));
            bounced.push_back(i);
        }
    }
    ++e.attempts;
    bounce(e, bounced);
    const bool in_flight_elsewhere = std::any_of(in_flight_.begin(), in_flight_.end(),
                                                 [&](const auto& k) { return k.first == id; });
    if (e.done()) {
        if (in_flight_elsewhere) {
            (void)save(e);
            return;
        }
        trace_spool("removed", e);
        const std::string qid = e.queue_id;
        entries_.erase(it);
        lock.unlock();
        remove_file(dir_ + "/" + qid);
        (void)sync_dir(dir_);
        wake();
        return;
    }
    const Time now = unix_time_now();
    auto next = agents::next_attempt(config_.profile, e.retry, e.deposit, now);
    if (!next) {
        // The lifetime is over: every pending recipient bounces with 4.4.7 (RFC 3463 §3.5), as in the MTA.
        trace_spool("expired", e, e.recipients_text(true));
        std::vector<std::size_t> expired;
        for (std::size_t i = 0; i < e.rcpts.size(); ++i) {
            agents::Recipient& r = e.rcpts[i];
            if (r.state != agents::RcptState::Pending) continue;
            const std::string why = r.last_error;
            r.state = agents::RcptState::Bounced;
            r.last_error = "delivery time expired" + (why.empty() ? std::string() : "; last error: " + why);
            r.status = "4.4.7";
            expired.push_back(i);
        }
        bounce(e, expired);
        if (!in_flight_elsewhere) {
            const std::string qid = e.queue_id;
            entries_.erase(it);
            lock.unlock();
            remove_file(dir_ + "/" + qid);
            (void)sync_dir(dir_);
            wake();
        }
        return;
    }
    e.next_attempt = *next;
    trace::Event t("spool", config_.hostname);
    t.set("ev", "deferred").set("queue_id", e.queue_id).set("attempts", static_cast<std::int64_t>(e.attempts));
    t.set("retry_in_ms", static_cast<std::int64_t>((*next - now).ns() / 1'000'000));
    trace_.emit(std::move(t));
    if (Status st = save(e); !st) log_("cannot update the outbound spool: " + st.error().message());
    lock.unlock();
    wake();
}

// Under mutex_: a DSN for `rcpts` into the sender's Maildir (RFC 3464), when
// the sender is a local account; a bounce is never bounced (RFC 5321 §6.1).
void Outbound::bounce(agents::SpoolEntry& e, const std::vector<std::size_t>& rcpts) {
    if (rcpts.empty()) return;
    if (e.sender.empty()) {
        log_("a bounce could not be delivered either (double bounce), dropped: " + e.queue_id);
        return;
    }
    const auto draft = agents::bounce_draft(e, rcpts, false, config_.hostname, config_.profile.lifetime);
    mail::DateContext dates;
    dates.epoch_unix_seconds = 0;  // the spool's Time is Unix time
    auto built = mail::build_dsn(draft, rng_, config_.hostname, unix_time_now(), dates);
    if (!built) {
        log_("could not build a DSN for " + e.queue_id + ": " + built.error().message());
        return;
    }
    const auto at = e.sender.rfind('@');
    const std::string local = mail::ascii_lower(e.sender.substr(0, at));
    const std::string dom = at == std::string::npos ? std::string{} : mail::ascii_lower(e.sender.substr(at + 1));
    const bool is_local = std::find(config_.domains.begin(), config_.domains.end(), dom) != config_.domains.end();
    if (!is_local || store_.find(local) == nullptr) {
        log_("the sender of " + e.queue_id + " (" + e.sender + ") is not a local account; its DSN is dropped");
        return;
    }
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    char name[96];
    std::snprintf(name, sizeof name, "%010lld.M%06lldP%dB%06llu", static_cast<long long>(sec),
                  static_cast<long long>(usec), static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(++dsn_counter_));
    // Final delivery adds Return-Path: (RFC 5321 §4.4); a DSN's reverse-path is null (RFC 3464 §2).
    const std::string bytes = "Return-Path: <>\r\n" + built->bytes;
    auto r = store_.insert(local, name, bytes, false);
    if (!r) {
        log_("cannot deliver the DSN for " + e.queue_id + ": " + r.error().message());
        return;
    }
    trace::Event stored("mailbox", config_.hostname);
    stored.set("ev", "stored").set("mailbox", local);
    if (auto uid = store_.imap_uid_of(local, name)) stored.set("uid", static_cast<std::uint64_t>(*uid));
    stored.set("file", std::string(name)).set("queue_id", e.queue_id).set("dsn", true);
    trace_.emit(std::move(stored));
}

}  // namespace postino::wire
