// client_engine.cpp — the SMTP client state machine (RFC 5321 §3.3, §4.1.1,
// §4.2, §4.5.2, §4.5.3.2, §3.8; RFC 2920; RFC 1870; RFC 6152; RFC 6531).
// Replies are matched to commands in the order the commands were sent
// (RFC 2920 §3.2), through the pending_ queue.
#include "proto/smtp/client_engine.hpp"

#include <type_traits>

#include "proto/smtp/path.hpp"

namespace postino::smtp {
namespace {

bool valid_helo_name(std::string_view s) { return valid_domain(s) || valid_address_literal(s); }

// RCPT TO:<postmaster> without a domain is a valid forward-path (§4.1.1.3).
bool sendable_recipient(const mail::Mailbox& m, bool utf8) {
    if (m.domain.empty()) return mail::ascii_lower(m.local) == "postmaster";
    return valid_mailbox(m, utf8);
}

Reply local_reply(int code, const char* enhanced, std::string text) {
    return make_reply(code, enhanced, std::move(text));
}

// Transaction::verbatim: the octets go out as given (the smuggling lesson's
// hostile client). SIZE counts them all; 8-bit octets still need 8BITMIME.
PreparedData verbatim_data(const std::string& content) {
    PreparedData d;
    d.wire = content;
    d.size = content.size();
    for (const char c : content) d.eight_bit = d.eight_bit || static_cast<unsigned char>(c) >= 0x80;
    return d;
}

}  // namespace

ClientEngine::ClientEngine(ClientConfig config, std::vector<Transaction> transactions)
    : config_(std::move(config)), transactions_(std::move(transactions)) {
    for (const auto& t : transactions_) {
        TransactionResult r;
        for (const auto& m : t.recipients) {
            RecipientResult rr;
            rr.recipient = m;
            r.recipients.push_back(std::move(rr));
        }
        result_.transactions.push_back(std::move(r));
    }
}

// --- inputs ---

void ClientEngine::start(Time now) {
    if (started_) return;
    started_ = true;
    now_ = now;
    if (!valid_helo_name(config_.helo_name)) {
        fail_session(FailureKind::LocalError, Stage::Greeting, std::nullopt,
                     "the client's EHLO name is not a domain or address literal");
        finish(true, "invalid client configuration");
        return;
    }
    pending_.push_back({Stage::Greeting});
    arm(config_.timeouts.greeting);
}

void ClientEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (!started_ || result_.finished) return;
    while (!bytes.empty() && !result_.finished) {
        if (tls_pending_) {
            // Octets after the 220 to STARTTLS are not the server's inside TLS:
            // never read them (response injection, the client side of CVE-2011-0411).
            tls_discarded_ += bytes.size();
            return;
        }
        const ReplyParser::Step step = parser_.parse(bytes);
        bytes.remove_prefix(step.consumed);
        if (step.status == ReplyParser::Status::NeedMore) break;
        if (step.status == ReplyParser::Status::Error) {
            events_.emplace_back(ViolationEvent{describe(parser_.error()), rfc_section(parser_.error())});
            fail_session(FailureKind::ProtocolError, stage(), std::nullopt,
                         std::string("unreadable reply: ") + describe(parser_.error()));
            finish(true, "protocol error");
            return;
        }
        // The reply moves into its event, and on_reply() reads it there: a
        // deque keeps references to its elements while it grows, and only
        // poll_event() removes any.
        static_assert(std::is_same_v<decltype(events_), std::deque<Event>>);
        auto& ev = std::get<ReplyEvent>(events_.emplace_back(ReplyEvent{parser_.take_reply(), parser_.take_raw()}));
        parser_.next();
        on_reply(ev.reply);
    }
}

void ClientEngine::handle_closed(Time now) {
    now_ = now;
    if (!started_ || result_.finished) return;
    const Stage s = stage();
    if (s == Stage::Quit) {
        finish(false, "server closed after QUIT");
        return;
    }
    std::string detail = "connection lost";
    if (s == Stage::DataEnd) {
        detail += " after the message was sent; it may have been delivered (RFC 1047)";
    }
    fail_session(FailureKind::ConnectionLost, s, std::nullopt, detail);
    finish(false, "connection lost at " + std::string(to_string(s)));
}

void ClientEngine::handle_timeout(Time now) {
    now_ = now;
    if (!deadline_ || now < *deadline_ || result_.finished) return;
    const Stage s = stage();
    fail_session(FailureKind::Timeout, s, std::nullopt, "timeout waiting for the reply");
    finish(true, "timeout at " + std::string(to_string(s)));
}

void ClientEngine::handle_tls_started(Time now) {
    now_ = now;
    if (!tls_pending_ || result_.finished) return;
    tls_pending_ = false;
    tls_active_ = true;
    if (tls_discarded_ != 0) {
        events_.emplace_back(ViolationEvent{std::to_string(tls_discarded_) +
                                                " octets received after the 220 to STARTTLS, before the TLS "
                                                "handshake, were discarded (response injection)",
                                            "RFC 3207 §4.2"});
        tls_discarded_ = 0;
    }
    ext_ = Extensions{};  // §4.2: forget what the server said before TLS
    send_command(Stage::Ehlo, "EHLO", config_.helo_name);
}

// --- outputs ---

std::string ClientEngine::poll_output() {
    std::string out = std::move(out_);
    out_.clear();
    return out;
}

std::optional<Event> ClientEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::optional<Time> ClientEngine::next_deadline() const {
    if (result_.finished) return std::nullopt;
    return deadline_;
}

Stage ClientEngine::stage() const {
    if (result_.finished) return Stage::Done;
    if (pending_.empty()) return Stage::Greeting;
    return pending_.front().stage;
}

// --- replies ---

void ClientEngine::on_reply(const Reply& r) {
    if (pending_.empty()) {
        // Only a 421 may come unasked (§3.8); anything else is out of sequence.
        if (r.code == 421) {
            fail_session(FailureKind::ServiceClosing, Stage::Done, r, "");
            finish(true, "server closing (421)");
            return;
        }
        events_.emplace_back(ViolationEvent{"reply with no command outstanding", "RFC 5321 §4.3"});
        fail_session(FailureKind::ProtocolError, Stage::Done, r, "unexpected reply");
        finish(true, "protocol error");
        return;
    }
    const Pending p = pending_.front();
    pending_.pop_front();
    if (!pending_.empty()) arm(timeout_for(pending_.front().stage));
    if (r.code == 421 && p.stage != Stage::Quit) {
        // §3.8: the server is closing the channel; nothing more can be done now.
        fail_session(FailureKind::ServiceClosing, p.stage, r, "");
        finish(true, "server closing (421)");
        return;
    }
    switch (p.stage) {
        case Stage::Greeting:
            return on_greeting(r);
        case Stage::Ehlo:
            return on_ehlo(r, true);
        case Stage::Helo:
            return on_ehlo(r, false);
        case Stage::Mail:
            return on_mail(r);
        case Stage::Rcpt:
            return on_rcpt(r, p.rcpt);
        case Stage::Data:
            return on_data(r);
        case Stage::DataEnd:
            return on_data_end(r);
        case Stage::Rset:
            if (!r.positive()) {
                fail_session(FailureKind::SessionRefused, Stage::Rset, r, "");
                return send_quit();
            }
            return begin_transaction();
        case Stage::Starttls:
            return on_starttls(r);
        case Stage::Quit:
            return finish(true, "QUIT");
        case Stage::Done:
            return;
    }
}

void ClientEngine::on_greeting(const Reply& r) {
    if (r.code == 220) {
        if (config_.use_ehlo) return send_command(Stage::Ehlo, "EHLO", config_.helo_name);
        return send_command(Stage::Helo, "HELO", config_.helo_name);
    }
    if (r.transient() || r.permanent()) {
        // §3.1: after a 554 greeting the client should send QUIT.
        fail_session(FailureKind::SessionRefused, Stage::Greeting, r, "");
        return send_quit();
    }
    events_.emplace_back(ViolationEvent{"greeting is not 220, 421 or 554", "RFC 5321 §4.3.2"});
    fail_session(FailureKind::ProtocolError, Stage::Greeting, r, "unexpected greeting");
    finish(true, "protocol error");
}

void ClientEngine::on_ehlo(const Reply& r, bool ehlo) {
    if (r.code == 250) {
        ext_ = ehlo ? parse_ehlo_reply(r) : Extensions{};
        if (ext_.malformed != 0) {
            events_.emplace_back(ViolationEvent{"malformed EHLO keyword line ignored", "RFC 5321 §4.1.1.1"});
        }
        if (!tls_active_ && config_.starttls != StartTls::Off) {
            if (ext_.has("STARTTLS")) return send_command(Stage::Starttls, "STARTTLS", "");
            if (config_.starttls == StartTls::Required) {
                return tls_unavailable(std::nullopt, "the server does not offer STARTTLS");
            }
        }
        return begin_transaction();
    }
    if (ehlo && r.permanent()) return send_command(Stage::Helo, "HELO", config_.helo_name);  // §3.2 fallback
    fail_session(FailureKind::SessionRefused, ehlo ? Stage::Ehlo : Stage::Helo, r, "");
    send_quit();
}

void ClientEngine::on_starttls(const Reply& r) {
    if (r.code == 220) {
        tls_pending_ = true;
        arm(config_.timeouts.other);  // for the handshake, which the host runs
        events_.emplace_back(StartTlsEvent{});
        return;
    }
    if (config_.starttls == StartTls::Required) return tls_unavailable(r, "");
    begin_transaction();  // WhenOffered: go on in plaintext
}

// TLS was required and cannot be had: nothing is sent in plaintext (QUIT only).
void ClientEngine::tls_unavailable(const std::optional<Reply>& r, const std::string& detail) {
    fail_session(FailureKind::TlsUnavailable, Stage::Starttls, r, detail);
    send_quit();
}

void ClientEngine::on_mail(const Reply& r) {
    if (r.positive()) {
        mail_ok_ = true;
        if (pending_.empty()) {  // not pipelined: now the recipients
            const std::size_t i = sent_[rcpt_next_++];
            send_command(Stage::Rcpt, "RCPT", "TO:" + format_path(transactions_[txn_].recipients[i]), i);
        }
        return;
    }
    for (std::size_t i : sent_)
        decide_by_reply(i, Stage::Mail, r);
    // Pipelined RCPT and DATA replies may still come; they change nothing.
    if (pending_.empty()) end_transaction();
}

void ClientEngine::on_rcpt(const Reply& r, std::size_t i) {
    RecipientResult& rr = txn().recipients[i];
    if (rr.outcome == Outcome::Pending) {
        if (r.positive()) {
            ++rcpt_ok_;
            rr.stage = Stage::Rcpt;
            rr.reply = r;  // kept until the data is accepted
        } else {
            decide_by_reply(i, Stage::Rcpt, r);
        }
    }
    const bool pipelined = !pending_.empty();
    if (pipelined) return;
    if (rcpt_next_ < sent_.size()) {
        const std::size_t next = sent_[rcpt_next_++];
        return send_command(Stage::Rcpt, "RCPT", "TO:" + format_path(transactions_[txn_].recipients[next]), next);
    }
    after_rcpts();
}

// Not pipelined, every RCPT answered: DATA if anyone was accepted.
void ClientEngine::after_rcpts() {
    if (!mail_ok_) return end_transaction();
    if (rcpt_ok_ > 0) return send_command(Stage::Data, "DATA", "");
    send_rset_or_next();
}

void ClientEngine::on_data(const Reply& r) {
    if (r.code == 354) {
        TransactionResult& t = txn();
        if (rcpt_ok_ == 0) {
            // RFC 2920 §3.1: a 354 with no valid recipient; send an empty message
            // and ignore its fate.
            events_.emplace_back(ViolationEvent{"354 to DATA without a valid recipient", "RFC 2920 §3.1"});
            dummy_data_ = true;
            out_ += ".\r\n";
            events_.emplace_back(DataEvent{".\r\n"});
        } else {
            t.content_sent = true;
            out_ += data_.wire;
            events_.emplace_back(DataEvent{data_.wire});
        }
        pending_.push_back({Stage::DataEnd});
        arm(config_.timeouts.data_termination);
        return;
    }
    for (std::size_t i : sent_) {
        if (txn().recipients[i].outcome == Outcome::Pending) decide_by_reply(i, Stage::Data, r);
    }
    send_rset_or_next();
}

void ClientEngine::on_data_end(const Reply& r) {
    if (!dummy_data_) {
        txn().data_reply = r;
        for (std::size_t i : sent_) {
            if (txn().recipients[i].outcome != Outcome::Pending) continue;
            if (r.positive()) {
                decide(i, Outcome::Accepted, Stage::DataEnd, r, "", false);
            } else {
                decide_by_reply(i, Stage::DataEnd, r);
            }
        }
    }
    end_transaction();
}

// --- transactions ---

// Prepares the next transaction, refusing locally what cannot be sent, and
// sends MAIL (with RCPT and DATA when pipelining); QUIT when none is left.
void ClientEngine::begin_transaction() {
    while (txn_ < transactions_.size()) {
        const Transaction& t = transactions_[txn_];
        sent_.clear();
        rcpt_next_ = 0;
        rcpt_ok_ = 0;
        mail_ok_ = false;
        dummy_data_ = false;
        data_ = t.verbatim ? verbatim_data(t.content) : prepare_data(t.content);
        bool utf8 = has_non_ascii(t.sender.local) || has_non_ascii(t.sender.domain);
        for (const auto& m : t.recipients)
            utf8 = utf8 || has_non_ascii(m.local) || has_non_ascii(m.domain);

        std::optional<Reply> refuse_all;
        if (!t.sender.empty() && !valid_mailbox(t.sender, true)) {
            refuse_all = local_reply(553, "5.1.7", "Invalid sender address, not sent");
        } else if (utf8 && !ext_.smtputf8) {
            refuse_all = local_reply(553, "5.6.7", "Non-ASCII address and the server does not offer SMTPUTF8");
        } else if (data_.eight_bit && !ext_.eightbitmime) {
            refuse_all = local_reply(554, "5.6.3", "8-bit message and the server does not offer 8BITMIME");
        } else if (data_.long_line || data_.nul) {
            refuse_all = local_reply(554, "5.6.3", "Message needs conversion (long line or NUL), not supported");
        } else if (ext_.size && ext_.size_limit != 0 && data_.size > ext_.size_limit) {
            refuse_all = local_reply(552, "5.3.4", "Message exceeds the server's SIZE limit, not sent");
        }
        for (std::size_t i = 0; i < t.recipients.size(); ++i) {
            if (refuse_all) {
                decide(i, Outcome::PermFail, Stage::Mail, refuse_all, "", true);
            } else if (!sendable_recipient(t.recipients[i], true)) {
                decide(i, Outcome::PermFail, Stage::Rcpt, local_reply(553, "5.1.3", "Invalid recipient address"), "",
                       true);
            } else {
                sent_.push_back(i);
            }
        }
        if (sent_.empty()) {
            emit_transaction();
            continue;
        }
        std::string args = "FROM:" + format_path(t.sender);
        if (ext_.size) args += " SIZE=" + std::to_string(data_.size);
        if (data_.eight_bit) args += " BODY=8BITMIME";
        if (utf8) args += " SMTPUTF8";
        send_command(Stage::Mail, "MAIL", args);
        mail_sent_ = true;
        if (ext_.pipelining && config_.use_pipelining) {
            // RFC 2920 §3.1: MAIL, every RCPT and DATA in one group; DATA last.
            for (std::size_t i : sent_)
                send_command(Stage::Rcpt, "RCPT", "TO:" + format_path(t.recipients[i]), i);
            rcpt_next_ = sent_.size();
            send_command(Stage::Data, "DATA", "");
        }
        return;
    }
    send_quit();
}

// The transaction is decided: report it and move on to the next one.
void ClientEngine::emit_transaction() {
    mail_sent_ = false;
    TransactionEvent e;
    e.index = txn_;
    e.result = txn();
    events_.emplace_back(std::move(e));
    ++txn_;
}

void ClientEngine::end_transaction() {
    emit_transaction();
    begin_transaction();
}

void ClientEngine::send_rset_or_next() {
    if (mail_ok_ && !dummy_data_) {
        // The server still holds the transaction: clear it (§4.1.1.5).
        emit_transaction();
        return send_command(Stage::Rset, "RSET", "");
    }
    end_transaction();
}

void ClientEngine::send_quit() { send_command(Stage::Quit, "QUIT", ""); }

void ClientEngine::send_command(Stage stage, std::string verb, std::string args, std::size_t rcpt) {
    std::string raw;
    raw.reserve(verb.size() + 1 + args.size() + 2);
    raw += verb;
    if (!args.empty()) raw.append(" ").append(args);
    raw += "\r\n";
    out_ += raw;
    if (pending_.empty()) arm(timeout_for(stage));
    pending_.push_back({stage, rcpt});
    const std::size_t octets = raw.size();
    events_.emplace_back(CommandEvent{std::move(verb), std::move(args), std::move(raw), octets});
}

// --- results ---

void ClientEngine::decide(std::size_t i, Outcome o, Stage stage, std::optional<Reply> reply, std::string detail,
                          bool local) {
    RecipientResult& rr = result_.transactions[txn_].recipients[i];
    rr.outcome = o;
    rr.stage = stage;
    rr.reply = std::move(reply);
    rr.detail = std::move(detail);
    rr.local = local;
}

void ClientEngine::decide_by_reply(std::size_t i, Stage stage, const Reply& r) {
    if (txn().recipients[i].outcome != Outcome::Pending) return;
    const Outcome o = r.positive() ? Outcome::Accepted : r.transient() ? Outcome::TempFail : Outcome::PermFail;
    decide(i, o, stage, r, "", false);
}

// Every recipient not yet decided — in this transaction and the ones after —
// fails temporarily: the MTA keeps the message and retries.
void ClientEngine::fail_session(FailureKind kind, Stage stage, const std::optional<Reply>& reply,
                                const std::string& detail) {
    if (result_.failure.kind == FailureKind::None) {
        result_.failure.kind = kind;
        result_.failure.stage = stage;
        result_.failure.reply = reply;
        result_.failure.detail = detail;
    }
    const bool refused_for_good = kind == FailureKind::SessionRefused && reply && reply->permanent();
    for (std::size_t t = txn_; t < result_.transactions.size(); ++t) {
        for (auto& rr : result_.transactions[t].recipients) {
            if (rr.outcome != Outcome::Pending) continue;
            rr.outcome = refused_for_good ? Outcome::PermFail : Outcome::TempFail;
            rr.stage = stage;
            rr.reply = reply;
            rr.detail = t == txn_ && mail_sent_ ? detail : std::string("not attempted: ") + to_string(kind);
            rr.local = false;
        }
        TransactionEvent e;
        e.index = t;
        e.result = result_.transactions[t];
        events_.emplace_back(std::move(e));
    }
    txn_ = result_.transactions.size();
}

void ClientEngine::finish(bool by_engine, std::string reason) {
    if (result_.finished) return;
    result_.finished = true;
    close_requested_ = by_engine;
    pending_.clear();
    deadline_.reset();
    events_.emplace_back(CloseEvent{by_engine, std::move(reason)});
}

void ClientEngine::arm(Duration d) { deadline_ = now_ + d; }

Duration ClientEngine::timeout_for(Stage s) const {
    const ClientTimeouts& t = config_.timeouts;
    switch (s) {
        case Stage::Greeting:
            return t.greeting;
        case Stage::Mail:
            return t.mail;
        case Stage::Rcpt:
            return t.rcpt;
        case Stage::Data:
            return t.data_initiation;
        case Stage::DataEnd:
            return t.data_termination;
        default:
            return t.other;
    }
}

}  // namespace postino::smtp
