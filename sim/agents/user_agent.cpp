// user_agent.cpp — compose, submit, and tell the user what happened.
#include "agents/user_agent.hpp"

#include "mail/composer.hpp"
#include "net/network.hpp"

namespace postino::agents {
namespace {
mail::Mailbox to_mailbox(const std::string& address) {
    const auto at = address.rfind('@');
    if (at == std::string::npos) return mail::Mailbox{address, ""};
    return mail::Mailbox{address.substr(0, at), address.substr(at + 1)};
}

// The Message-ID of a hand-written message (first match in the header
// section, unfolded lines only), for the trace; "" when it has none.
std::string raw_message_id(const std::string& raw) {
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t eol = raw.find('\n', pos);
        if (eol == std::string::npos) eol = raw.size();
        std::string line = raw.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) break;  // end of the header section
        if (line.size() > 11 && mail::ascii_lower(line.substr(0, 11)) == "message-id:") {
            const auto b = line.find_first_not_of(" \t", 11);
            const auto e = line.find_last_not_of(" \t");
            return b == std::string::npos ? std::string() : line.substr(b, e - b + 1);
        }
        pos = eol + 1;
    }
    return {};
}
}  // namespace

UserAgent::UserAgent(net::Host& host, UserAgentConfig config)
    : host_(host), config_(std::move(config)), rng_(Rng::stream(host.network().seed(), "ua:" + host.name())) {}

void UserAgent::report(const char* ev, const std::string& text, const std::string& to) {
    trace::Event e("ua", host_.name());
    e.set("ev", ev).set("text", text);
    if (!to.empty()) e.set("to", to);
    host_.network().trace().emit(std::move(e));
}

void UserAgent::send(const OutgoingMail& m, const SubmitDone& done) {
    const std::string from = m.from.empty() ? config_.user : m.from;
    mail::Draft draft;
    draft.from = mail::NamedMailbox{config_.display_name, to_mailbox(from)};
    std::string to_text;
    for (const auto& t : m.to) {
        draft.to.emplace_back(mail::NamedMailbox{"", to_mailbox(t)});
        to_text += (to_text.empty() ? "" : ",") + t;
    }
    draft.subject = m.subject;
    draft.text = m.body;
    draft.attachments = m.attachments;
    if (!m.in_reply_to.empty()) {
        for (const char* name : {"In-Reply-To", "References"}) {
            auto f = mail::HeaderField::make(name, m.in_reply_to);
            if (f) draft.extra_fields.push_back(std::move(*f));
        }
    }
    std::string content, message_id;
    if (m.raw) {
        content = *m.raw;
        message_id = raw_message_id(content);
        report("compose", std::string(m.verbatim ? "raw DATA octets, sent verbatim," : "a message written by hand") +
                              " to " + to_text, to_text);
    } else {
        auto composed = mail::compose(draft, rng_, host_.name(), host_.network().now());
        if (!composed) {
            ++errors_;
            report("error", "cannot compose the message: " + composed.error().message(), to_text);
            if (done) done(false, "cannot compose the message: " + composed.error().message());
            return;
        }
        report("compose", "\"" + m.subject + "\" to " + to_text, to_text);
        content = std::move(composed->bytes);
        message_id = std::move(composed->message_id);
    }
    host_.network().trace().emit(trace::Event("message", host_.name())
                                     .set("id", message_id)
                                     .set_bytes("bytes", content)
                                     .set("role", m.raw ? "raw" : "composed")
                                     .set("from", from)
                                     .set("to", to_text)
                                     .set("subject", m.subject));
    smtp::Transaction txn;
    txn.sender = to_mailbox(from);
    for (const auto& t : m.to) txn.recipients.push_back(to_mailbox(t));
    txn.content = std::move(content);
    txn.verbatim = m.raw && m.verbatim;
    smtp::ClientConfig cc;
    cc.helo_name = host_.name();
    cc.starttls = config_.starttls;
    auto conn = host_.connect(config_.server, config_.port);
    auto engine = std::make_unique<smtp::ClientEngine>(cc, std::vector<smtp::Transaction>{std::move(txn)});
    auto link = std::make_shared<SmtpLink<smtp::ClientEngine>>(host_.network(), conn, std::move(engine), false);
    if (!config_.starttls_inject.empty()) link->inject_after_starttls(config_.starttls_inject);
    links_.push_back(link);
    std::weak_ptr<SmtpLink<smtp::ClientEngine>> weak = link;
    conn->on_connected = [weak] {
        if (auto l = weak.lock()) l->start();
    };
    link->attach(nullptr, [this, weak, to_text, done](net::CloseReason reason) {
        if (auto l = weak.lock()) finished(l, reason, to_text, done);
    });
}

void UserAgent::finished(const std::shared_ptr<SmtpLink<smtp::ClientEngine>>& link, net::CloseReason reason,
                         const std::string& to, const SubmitDone& done) {
    const smtp::SessionResult& res = link->engine().result();
    bool all_ok = !res.transactions.empty();
    std::string problems;
    for (const auto& t : res.transactions) {
        for (const auto& r : t.recipients) {
            if (r.outcome == smtp::Outcome::Accepted) continue;
            all_ok = false;
            std::string why = r.reply ? std::to_string(r.reply->code) + " " + r.reply->text() : r.detail;
            problems += (problems.empty() ? "" : "; ") + r.recipient.str() + ": " + why;
        }
    }
    if (res.transactions.empty() || (reason != net::CloseReason::Normal && !all_ok)) {
        ++errors_;
        std::string why = reason == net::CloseReason::Normal ? std::string(smtp::to_string(res.failure.kind))
                                                             : net::to_string(reason);
        if (res.failure.reply) why = std::to_string(res.failure.reply->code) + " " + res.failure.reply->text();
        const std::string text = "cannot send: your mail server " + config_.server_name +
                                 " is unreachable or refused (" + why + ")" + (problems.empty() ? "" : " — " + problems);
        report("error", text, to);
        if (done) done(false, text);
    } else if (!all_ok) {
        ++errors_;
        report("error", "your mail server " + config_.server_name + " refused: " + problems, to);
        if (done) done(false, "your mail server " + config_.server_name + " refused: " + problems);
    } else {
        ++submitted_;
        std::string queued;
        if (!res.transactions.empty() && res.transactions[0].data_reply) queued = res.transactions[0].data_reply->text();
        report("submitted", "handed to " + config_.server_name + (queued.empty() ? "" : ": " + queued), to);
        if (done) done(true, "handed to " + config_.server_name + (queued.empty() ? "" : ": " + queued));
    }
    // Drop the session one event later; we are inside its callback.
    auto& sched = host_.network().scheduler();
    auto* self = this;
    sched.schedule_in(Duration{}, [self, raw = link.get()] {
        std::erase_if(self->links_, [raw](const auto& l) { return l.get() == raw; });
    });
}

}  // namespace postino::agents
