// local_delivery.cpp — RCPT checks, the durable spool write before the 250
// (RFC 5321 §6.1), Maildir delivery with Return-Path:/Received: (§4.4).
#include "wire/local_delivery.hpp"

#include "wire/outbound.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "mail/date.hpp"
#include "wire/clock.hpp"

namespace postino::wire {
namespace {

std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
    return s;
}

std::string account_of(const std::string& address) {
    return mail::ascii_lower(address.substr(0, address.rfind('@')));
}

}  // namespace

LocalDelivery::LocalDelivery(const ServeConfig& config, MaildirStore& store, SpoolDir& spool, TraceLog& trace,
                             std::ostream& log)
    : config_(config), store_(store), spool_(spool), trace_(trace), log_(log) {
    for (const auto& [alias, targets] : config_.aliases) aliases_.add(alias, targets);
}

bool LocalDelivery::is_local_domain(const std::string& domain) const {
    const std::string d = mail::ascii_lower(domain);
    return d == mail::ascii_lower(config_.hostname) ||
           std::find(config_.domains.begin(), config_.domains.end(), d) != config_.domains.end();
}

LocalDelivery::Finals LocalDelivery::expand(const mail::Mailbox& rcpt) const {
    Finals f;
    // <postmaster> without a domain (RFC 5321 §4.1.1.3) is the local postmaster.
    const std::string domain = rcpt.domain.empty() ? (config_.domains.empty() ? config_.hostname : config_.domains.front())
                                                   : mail::ascii_lower(rcpt.domain);
    const std::string address = mail::ascii_lower(rcpt.local) + "@" + domain;
    if (aliases_.is_alias(address)) {
        const agents::Expansion x = aliases_.expand(address);
        if (x.loop) {
            f.loop = true;
            return f;
        }
        for (const auto& t : x.recipients) f.accounts.push_back(account_of(t));
    } else {
        f.accounts.push_back(account_of(address));
    }
    return f;
}

smtp::Decision LocalDelivery::check_recipient(const mail::Mailbox& rcpt, bool may_relay) const {
    if (!rcpt.domain.empty() && !is_local_domain(rcpt.domain)) {
        if (!may_relay || outbound_ == nullptr) return smtp::Decision::relay_denied();
        if (outbound_->has_route(rcpt.domain)) return smtp::Decision::accept();
        // RFC 3463 §3.2: X.1.2, bad destination system address.
        return smtp::Decision::reject(550, "5.1.2", "No route to " + rcpt.domain + " (routes: in the config)");
    }
    const Finals f = expand(rcpt);
    if (f.loop) return smtp::Decision::reject(550, "5.4.6", "Alias expansion loop");
    for (const auto& a : f.accounts) {
        switch (store_.can_accept(a, 0)) {
            case store::InsertStatus::Stored: break;
            case store::InsertStatus::NoSuchAccount: return smtp::Decision::unknown_user();
            case store::InsertStatus::OverQuota: {
                const MaildirAccount* acct = store_.find(a);
                return acct != nullptr && acct->quota_is_temporary ? smtp::Decision::mailbox_full_temporary()
                                                                   : smtp::Decision::mailbox_full();
            }
            case store::InsertStatus::Failed: return smtp::Decision::reject(451, "4.3.0", "Mailbox unavailable");
        }
    }
    return smtp::Decision::accept();
}

std::string LocalDelivery::next_queue_id() {
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%010lld.M%06lldP%dQ%06llu", static_cast<long long>(sec),
                  static_cast<long long>(usec), static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(counter_.fetch_add(1)) + 1);
    return buf;
}

smtp::Decision LocalDelivery::accept(const smtp::SessionInfo& session, const smtp::Envelope& envelope,
                                     std::string_view content, const std::string& peer,
                                     std::vector<SpoolEntry>& pending) {
    SpoolEntry e;
    std::vector<std::string> remote;  // accepted at RCPT only for authenticated submitters with a route
    for (const auto& r : envelope.recipients) {
        if (!r.domain.empty() && !is_local_domain(r.domain)) {
            const std::string a = r.str();
            if (std::find(remote.begin(), remote.end(), a) == remote.end()) remote.push_back(a);
            continue;
        }
        const Finals f = expand(r);
        for (const auto& a : f.accounts) {
            if (std::find(e.recipients.begin(), e.recipients.end(), a) == e.recipients.end()) e.recipients.push_back(a);
        }
    }
    for (const auto& a : e.recipients) {
        if (store_.can_accept(a, content.size()) == store::InsertStatus::OverQuota) {
            const MaildirAccount* acct = store_.find(a);
            return acct != nullptr && acct->quota_is_temporary ? smtp::Decision::mailbox_full_temporary()
                                                               : smtp::Decision::mailbox_full();
        }
    }
    if (e.recipients.empty() && remote.empty()) return smtp::Decision::reject(554, "5.5.1", "No valid recipients");
    e.id = next_queue_id();
    e.sender = envelope.sender.str();
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    // RFC 5321 §4.4: the final delivery adds Return-Path:, every hop a Received: line.
    std::string received = "Received: from " + (session.helo_name.empty() ? std::string("unknown") : session.helo_name) + " ([" +
                 peer + "])\r\n\tby " + config_.hostname + " (Postino) with " + (session.esmtp ? "ESMTP" : "SMTP") +
                 " id " + e.id + ";\r\n\t" + mail::format_date_time(mail::DateTime{sec, 0}) + "\r\n";
    if (!remote.empty()) {
        // The relayed copy: no Return-Path (only the final delivery adds it).
        agents::SpoolEntry out;
        out.queue_id = e.id;
        out.sender = e.sender;
        for (const auto& a : remote) {
            agents::Recipient r;
            r.address = a;
            r.domain = mail::ascii_lower(a.substr(a.rfind('@') + 1));
            out.rcpts.push_back(std::move(r));
        }
        out.message = received + std::string(content);
        if (Status st = outbound_->put(std::move(out)); !st) {
            {
                const std::lock_guard<std::mutex> lock(log_mutex_);
                log_ << "postino serve: " << st.error().message() << "\n";
            }
            return smtp::Decision::reject(451, "4.3.0", "Local error: cannot write the spool, try again later");
        }
        if (e.recipients.empty()) return smtp::Decision::queued(e.id);
    }
    e.content = "Return-Path: <" + e.sender + ">\r\n" + received;
    e.content.append(content);
    if (Status st = spool_.put(e); !st) {
        if (!remote.empty()) outbound_->drop(e.id);
        {
            const std::lock_guard<std::mutex> lock(log_mutex_);
            log_ << "postino serve: " << st.error().message() << "\n";
        }
        return smtp::Decision::reject(451, "4.3.0", "Local error: cannot write the spool, try again later");
    }
    trace_.emit(trace::Event("spool", config_.hostname)
                    .set("ev", "enqueued")
                    .set("queue_id", e.id)
                    .set("from", e.sender)
                    .set("to", join(e.recipients))
                    .set("dest", "local")
                    .set("size", static_cast<std::uint64_t>(e.content.size())));
    pending.push_back(e);
    return smtp::Decision::queued(e.id);
}

void LocalDelivery::deliver_pending(std::vector<SpoolEntry>& pending) {
    std::vector<SpoolEntry> todo;
    todo.swap(pending);
    for (const auto& e : todo) deliver(e, false);
}

std::size_t LocalDelivery::recover() {
    std::vector<Error> bad;
    const std::vector<SpoolEntry> entries = spool_.recover(bad);
    for (const auto& b : bad) log_ << "postino serve: spool: " << b.message() << " (left in place)\n";
    for (const auto& e : entries) {
        trace_.emit(trace::Event("spool", config_.hostname).set("ev", "recovered").set("queue_id", e.id));
        deliver(e, true);
    }
    return entries.size();
}

void LocalDelivery::deliver(const SpoolEntry& e, bool recovering) {
    bool all = true;
    for (const auto& a : e.recipients) {
        auto r = store_.insert(a, e.id, e.content, recovering);
        if (!r) {
            all = false;
            const std::lock_guard<std::mutex> lock(log_mutex_);
            log_ << "postino serve: delivery of " << e.id << " to " << a << " failed: " << r.error().message()
                 << " (kept in the spool; delivered at the next start)\n";
            trace_.emit(trace::Event("spool", config_.hostname)
                            .set("ev", "deferred")
                            .set("queue_id", e.id)
                            .set("to", a)
                            .set("error", r.error().message()));
            continue;
        }
        if (*r) {
            // With IMAP served the message's IMAP UID; without, a count of deliveries.
            const std::uint64_t uid = store_.imap_uid ? store_.imap_uid_of(a, e.id).value_or(0) : stored_.fetch_add(1) + 1;
            trace_.emit(trace::Event("mailbox", config_.hostname)
                            .set("ev", "stored")
                            .set("mailbox", a)
                            .set("uid", uid)
                            .set("file", e.id)
                            .set("queue_id", e.id)
                            .set("size", static_cast<std::uint64_t>(e.content.size())));
        }
        trace_.emit(trace::Event("spool", config_.hostname).set("ev", "delivered").set("queue_id", e.id).set("to", a));
    }
    if (!all) return;
    if (Status st = spool_.remove(e.id); !st) {
        const std::lock_guard<std::mutex> lock(log_mutex_);
        log_ << "postino serve: " << st.error().message() << "\n";
        return;
    }
    trace_.emit(trace::Event("spool", config_.hostname).set("ev", "removed").set("queue_id", e.id));
}

}  // namespace postino::wire
