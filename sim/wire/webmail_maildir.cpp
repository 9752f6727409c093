// webmail_maildir.cpp — the serve webmail's Maildir backend (RFC 5321 §4.1.1.3
// recipient checks and §6.1 spool-before-accept via LocalDelivery; RFC 5322
// messages composed by sim/mail). See webmail_maildir.hpp.
#include "wire/webmail_maildir.hpp"

#include <algorithm>
#include <random>

#include "mail/address.hpp"
#include "mail/composer.hpp"
#include "mail/header.hpp"
#include "wire/clock.hpp"

namespace postino::wire {
namespace {
using agents::webmail::Credentials;

// Compares without stopping at the first difference (no timing hint about the password).
bool same_secret(const std::string& a, const std::string& b) {
    unsigned diff = a.size() == b.size() ? 0u : 1u;
    for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(i < b.size() ? b[i] : 0);
    return diff == 0;
}

std::uint64_t os_seed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

std::string decision_text(const smtp::Decision& d) {
    std::string t = std::to_string(d.code);
    if (!d.enhanced.empty()) t += " " + d.enhanced;
    if (!d.text.empty()) t += " " + d.text;
    return t;
}
}  // namespace

MaildirWebmail::MaildirWebmail(const ServeConfig& config, MaildirStore& store, LocalDelivery& delivery)
    : config_(config), store_(store), delivery_(delivery), rng_(os_seed()) {}

std::string MaildirWebmail::new_token() {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string t;
    for (int i = 0; i < 4; ++i) {
        std::uint32_t v = rd();
        for (int k = 0; k < 8; ++k, v >>= 4) t += hex[v & 15];
    }
    return t;
}

Result<std::string> MaildirWebmail::account_of(const Credentials& c) const {
    std::string user = mail::ascii_lower(c.user);
    if (const auto at = user.rfind('@'); at != std::string::npos) {
        if (!delivery_.is_local_domain(user.substr(at + 1))) return Error{"no such account", ""};
        user = user.substr(0, at);
    }
    const MaildirAccount* a = store_.find(user);
    // The same answer for an unknown user and a wrong password (no account probing).
    if (a == nullptr || a->password.empty() || !same_secret(c.password, a->password)) return Error{"wrong user name or password", ""};
    return user;
}

void MaildirWebmail::login(const Credentials& c, std::function<void(Result<std::string>)> done) {
    auto acct = account_of(c);
    if (!acct) return done(acct.error());
    const std::string domain = config_.domains.empty() ? config_.hostname : config_.domains.front();
    done(*acct + "@" + domain);
}

void MaildirWebmail::list(const Credentials& c, std::function<void(Result<std::vector<agents::webmail::Summary>>)> done) {
    auto acct = account_of(c);
    if (!acct) return done(acct.error());
    std::vector<MaildirMessage> msgs = store_.list(*acct);
    // Names start with the arrival time (docs/serve.md): newest first.
    std::sort(msgs.begin(), msgs.end(), [](const auto& a, const auto& b) { return a.uid > b.uid; });
    std::vector<agents::webmail::Summary> out;
    for (const auto& m : msgs) {
        if (!agents::webmail::valid_message_id(m.uid)) continue;
        auto bytes = store_.read(m);
        if (!bytes) continue;  // removed meanwhile
        auto s = agents::webmail::summarize(m.uid, *bytes, m.octets);
        s.seen = m.path.find("/cur/") != std::string::npos;
        out.push_back(std::move(s));
    }
    done(std::move(out));
}

void MaildirWebmail::message(const Credentials& c, const std::string& id, std::function<void(Result<std::string>)> done) {
    auto acct = account_of(c);
    if (!acct) return done(acct.error());
    for (const auto& m : store_.list(*acct)) {
        if (m.uid != id) continue;
        auto bytes = store_.read(m);
        if (!bytes) return done(bytes.error());
        return done(std::move(*bytes));
    }
    done(Error{"no such message", ""});
}

void MaildirWebmail::send(const Credentials& c, const agents::webmail::Outgoing& m,
                          std::function<void(Result<std::string>)> done) {
    auto acct = account_of(c);
    if (!acct) return done(acct.error());
    smtp::Envelope env;
    auto from = mail::parse_addr_spec(m.from);
    if (!from) return done(Error{"the sender address is not valid: " + from.error().message(), ""});
    env.sender = *from;
    mail::Draft draft;
    draft.from = mail::NamedMailbox{"", *from};
    for (const auto& t : m.to) {
        auto r = mail::parse_addr_spec(t);
        if (!r) return done(Error{"'" + t + "' is not an address", ""});
        // As at RCPT TO (RFC 5321 §4.1.1.3): the same checks an SMTP client meets.
        const smtp::Decision d = delivery_.check_recipient(*r);
        if (!d.accepted()) return done(Error{t + ": " + decision_text(d), ""});
        env.recipients.push_back(*r);
        draft.to.emplace_back(mail::NamedMailbox{"", *r});
    }
    draft.subject = m.subject;
    draft.text = m.body;
    if (!m.in_reply_to.empty()) {
        for (const char* name : {"In-Reply-To", "References"}) {
            if (auto f = mail::HeaderField::make(name, m.in_reply_to)) draft.extra_fields.push_back(std::move(*f));
        }
    }
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    mail::DateContext date;
    date.epoch_unix_seconds = sec;  // Time zero is now: the Date field says when it was sent
    Result<mail::Composed> composed = Error{"", ""};
    {
        const std::lock_guard<std::mutex> lock(rng_mutex_);
        composed = mail::compose(draft, rng_, config_.hostname, Time{}, date);
    }
    if (!composed) return done(Error{"cannot compose the message: " + composed.error().message(), ""});
    std::vector<SpoolEntry> pending;
    const smtp::Decision d = delivery_.accept(smtp::SessionInfo{"webmail", true, {}}, env, composed->bytes, "webmail", pending);
    if (!d.accepted()) return done(Error{decision_text(d), ""});
    delivery_.deliver_pending(pending);
    done("Ok: queued as " + d.queue_id);
}

}  // namespace postino::wire
