// server_engine.cpp — the POP3 server state machine (RFC 1939 §3–7;
// RFC 2449 §5–6, §8; RFC 3206). Every handler checks its arguments first and
// changes state only after all checks passed.
#include "proto/pop3/server_engine.hpp"

#include <algorithm>

#include "core/md5.hpp"
#include "proto/pop3/limits.hpp"

namespace postino::pop3 {
namespace {

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f;
    });
}

bool lower_hex(std::string_view s) {
    return s.size() == kApopDigestHexDigits &&
           std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Which commands each state accepts (RFC 1939 §4–7, RFC 2449 §5).
bool valid_in(ServerState s, Verb v) {
    switch (v) {
        case Verb::Quit:
        case Verb::Capa:
            return true;
        case Verb::User:
        case Verb::Pass:
        case Verb::Apop:
        case Verb::Stls:  // RFC 2595 §4: only in AUTHORIZATION
            return s == ServerState::Authorization;
        default:
            return s == ServerState::Transaction;
    }
}

std::string octets_text(std::uint64_t n) { return std::to_string(n) + " octets"; }

}  // namespace

const char* to_string(ServerState s) {
    switch (s) {
        case ServerState::Start: return "start";
        case ServerState::Authorization: return "AUTHORIZATION";
        case ServerState::Transaction: return "TRANSACTION";
        case ServerState::Update: return "UPDATE";
        case ServerState::Closed: return "closed";
    }
    return "?";
}

ServerEngine::ServerEngine(ServerConfig config, ServerPolicy& policy) : config_(std::move(config)), policy_(policy) {
    if (config_.faults.split_long_commands) reader_.split_at(kRfc1939CommandOctets);
}

// --- inputs ---

void ServerEngine::start(Time now) {
    if (state_ != ServerState::Start) return;
    now_ = now;
    if (config_.autologout < kMinAutologout) {
        violation("autologout timer shorter than 10 minutes (" + format_duration(config_.autologout) + ")",
                  "RFC 1939 §3");
    }
    std::string text = config_.hostname + " " + config_.banner;
    if (config_.apop) {
        // §7: a timestamp unique to this session, in msg-id form.
        timestamp_ = "<" + config_.session_tag + "." + std::to_string(now.ns() / 1'000'000'000) + "@" +
                     config_.hostname + ">";
        text += " " + timestamp_;
    }
    state_ = ServerState::Authorization;
    send(ok(std::move(text)));
    deadline_ = now + config_.autologout;
}

void ServerEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (close_requested_ || state_ == ServerState::Closed || state_ == ServerState::Start || bytes.empty()) return;
    if (in_off_ == in_.size() && !paused()) {
        in_.clear();
        in_off_ = 0;
        const std::size_t used = process(bytes);
        if (used == bytes.size() || close_requested_) return;
        if (bytes.size() - used > kMaxBufferedInput) return overflow();
        in_.assign(bytes.substr(used));  // paused: keep the rest for later
        return;
    }
    if (in_.size() - in_off_ + bytes.size() > kMaxBufferedInput) return overflow();
    in_.append(bytes);
    drain_input();
}

// The host feeds input without draining the output: end the session
// (without UPDATE) rather than buffer without bound.
void ServerEngine::overflow() {
    violation("client sent more than " + std::to_string(kMaxBufferedInput) + " octets without reading responses",
              "RFC 2449 §6.6");
    send(err("too much pipelined input; closing"));
    end_session();
    request_close("input buffer overflow");
}

void ServerEngine::handle_closed(Time now) {
    now_ = now;
    if (state_ == ServerState::Closed) return;
    if (state_ == ServerState::Transaction) {
        violation("connection closed without QUIT: no UPDATE, no message removed", "RFC 1939 §3, §6");
        if (config_.faults.update_on_drop) {
            std::vector<std::string> deleted;
            for (const auto& m : messages_) {
                if (m.deleted) deleted.push_back(m.uidl);
            }
            if (!deleted.empty()) policy_.update(user_, deleted);
        }
    }
    end_session();
    state_ = ServerState::Closed;
    deadline_.reset();
    delay_until_.reset();
    delayed_.reset();
    in_.clear();
    in_off_ = 0;
    events_.emplace_back(CloseEvent{false, "peer closed the connection"});
}

void ServerEngine::handle_timeout(Time now) {
    now_ = now;
    if (close_requested_ || state_ == ServerState::Closed) return;
    if (delay_until_ && now >= *delay_until_) {
        delay_until_.reset();
        const Response r = std::move(*delayed_);
        delayed_.reset();
        send(r);
        if (close_after_delay_) {
            request_close("too many failed logins");
            return;
        }
        deadline_ = now + config_.autologout;
        drain_input();
        return;
    }
    if (!delay_until_ && deadline_ && now >= *deadline_) {
        // §3: the session does not enter UPDATE; the server closes without a response.
        end_session();
        request_close("autologout timer expired");
    }
}

void ServerEngine::handle_tls_started(Time now) {
    now_ = now;
    if (!tls_pending_ || close_requested_ || state_ == ServerState::Closed) return;
    tls_pending_ = false;
    tls_active_ = true;
    if (tls_discarded_ != 0) {
        violation(std::to_string(tls_discarded_) +
                      " octets sent after STLS, before the TLS handshake, were discarded (plaintext command "
                      "injection, CVE-2011-0411)",
                  "RFC 2595 §4");
        tls_discarded_ = 0;
    }
    deadline_ = now + config_.autologout;
    if (!tls_held_.empty()) {  // fault stls-injection-answered: the plaintext read as if TLS carried it
        std::string held = std::move(tls_held_);
        tls_held_.clear();
        handle_bytes(now, held);
    }
}

// --- outputs ---

std::string ServerEngine::poll_output() {
    std::string out = std::move(out_);
    out_.clear();
    if (in_off_ < in_.size() && !paused()) {
        drain_input();  // backpressure released
        out += out_;
        out_.clear();
    }
    return out;
}

std::optional<Event> ServerEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    if (in_off_ < in_.size() && !paused()) drain_input();
    return e;
}

std::optional<Time> ServerEngine::next_deadline() const {
    if (close_requested_ || state_ == ServerState::Closed) return std::nullopt;
    if (delay_until_) return delay_until_;
    return deadline_;
}

std::size_t ServerEngine::buffered_octets() const { return (in_.size() - in_off_) + out_.size() + reader_.buffered(); }

// --- input processing ---

bool ServerEngine::paused() const {
    return delay_until_.has_value() || out_.size() >= kOutputHighWater || events_.size() >= kEventHighWater;
}

void ServerEngine::drain_input() {
    const std::size_t used = process(std::string_view(in_).substr(in_off_));
    in_off_ += used;
    if (close_requested_ || in_off_ == in_.size()) {
        in_.clear();
        in_off_ = 0;
    } else if (in_off_ > kOutputHighWater) {
        in_.erase(0, in_off_);
        in_off_ = 0;
    }
}

std::size_t ServerEngine::process(std::string_view in) {
    std::size_t used = 0;
    while (used < in.size() && !close_requested_ && state_ != ServerState::Closed && !paused()) {
        if (tls_pending_) {
            // Only the TLS handshake may follow the +OK to STLS: plaintext
            // pipelined behind the command is never read inside TLS.
            tls_discarded_ += in.size() - used;
            if (config_.faults.stls_injection_answered && tls_held_.size() + in.size() - used <= kMaxBufferedInput) {
                tls_held_.append(in.substr(used));  // the fault keeps it (CVE-2011-0411)
            }
            return in.size();
        }
        const CommandReader::Step step = reader_.read(in.substr(used));
        used += step.consumed;
        switch (step.kind) {
            case CommandReader::Kind::NeedMore:
                break;
            case CommandReader::Kind::Line:
                on_line(step.line, step.raw, step.octets);
                break;
            case CommandReader::Kind::BareLineEnd:
                events_.emplace_back(CommandEvent{"", std::string(step.raw), step.octets});
                violation("command line not ended by CRLF, or holding a bare CR", "RFC 1939 §3");
                protocol_error("command lines end with CRLF");
                break;
            case CommandReader::Kind::TooLong:
                events_.emplace_back(CommandEvent{"", std::string(step.raw), step.octets});
                violation("command line longer than 255 octets", "RFC 2449 §4");
                protocol_error("command line too long (at most 255 octets with CRLF)");
                break;
        }
    }
    return used;
}

void ServerEngine::on_line(std::string_view line, std::string_view raw, std::size_t octets) {
    deadline_ = now_ + config_.autologout;  // §3: any command resets the autologout timer
    const CommandLine cmd = split_command(line);
    events_.emplace_back(CommandEvent{cmd.verb == Verb::Unknown ? cmd.keyword : std::string(verb_name(cmd.verb)),
                                      std::string(raw), octets});
    if (!printable_ascii(line)) return protocol_error("commands are printable ASCII");
    if (line.empty()) return protocol_error("empty command");
    if (cmd.verb == Verb::Unknown) {
        if (config_.faults.unknown_closes) {
            send(err("unknown command"));
            end_session();
            return request_close("unknown command");
        }
        return protocol_error("unknown command");
    }
    if (config_.faults.case_sensitive_commands &&
        std::any_of(cmd.keyword.begin(), cmd.keyword.end(), [](char c) { return c >= 'a' && c <= 'z'; })) {
        return protocol_error("unknown command");
    }
    dispatch(cmd);
}

void ServerEngine::dispatch(const CommandLine& cmd) {
    const Verb v = cmd.verb;
    const bool offered = (v != Verb::Top || config_.top) &&
                         (v != Verb::Uidl || (config_.uidl && !config_.faults.uidl_listed_not_offered)) &&
                         (v != Verb::Apop || config_.apop) &&
                         ((v != Verb::User && v != Verb::Pass) || config_.user_pass) &&
                         (v != Verb::Stls || config_.tls.offered);
    if (!offered) return protocol_error(std::string(verb_name(v)) + " is not supported here");
    if (config_.faults.user_after_login && state_ == ServerState::Transaction && (v == Verb::User || v == Verb::Pass)) {
        return send(ok());
    }
    if ((v == Verb::User || v == Verb::Pass) && !user_pass_now()) {
        return protocol_error(std::string(verb_name(v)) + " is available only after STLS (RFC 2595 §2.1)");
    }
    if (config_.faults.ok_before_login && state_ == ServerState::Authorization && !valid_in(state_, v)) {
        return send(ok());
    }
    if (!valid_in(state_, v)) {
        return protocol_error(std::string(verb_name(v)) + " is not valid in the " + to_string(state_) + " state");
    }
    if (cmd.empty_argument) return protocol_error("arguments are separated by a single space");
    auto args_between = [&](std::size_t lo, std::size_t hi, const char* usage) {
        if (cmd.args.size() < lo || cmd.args.size() > hi) {
            protocol_error(std::string("usage: ") + usage);
            return false;
        }
        return true;
    };
    switch (v) {
        case Verb::User:
            if (!args_between(1, 1, "USER name")) return;
            return on_user(cmd);
        case Verb::Pass:
            if (!args_between(1, 1, "PASS string")) return;
            return on_pass(cmd);
        case Verb::Apop:
            if (!args_between(2, 2, "APOP name digest")) return;
            return on_apop(cmd);
        case Verb::Stat:
            if (!args_between(0, 0, "STAT")) return;
            return on_stat();
        case Verb::List:
            if (!args_between(0, 1, "LIST [msg]")) return;
            return on_list(cmd, false);
        case Verb::Uidl:
            if (!args_between(0, 1, "UIDL [msg]")) return;
            return on_list(cmd, true);
        case Verb::Retr:
            if (!args_between(1, 1, "RETR msg")) return;
            return on_retr(cmd);
        case Verb::Top:
            if (!args_between(2, 2, "TOP msg n")) return;
            return on_top(cmd);
        case Verb::Dele:
            if (!args_between(1, 1, "DELE msg")) return;
            return on_dele(cmd);
        case Verb::Noop:
            if (!args_between(0, 0, "NOOP")) return;
            if (config_.faults.noop_err) return protocol_error("unknown command");
            return send(ok());
        case Verb::Rset:
            if (!args_between(0, 0, "RSET")) return;
            return on_rset();
        case Verb::Quit:
            if (!args_between(0, 0, "QUIT")) return;
            return on_quit();
        case Verb::Capa:
            if (!args_between(0, 0, "CAPA")) return;
            if (config_.faults.no_capa) return protocol_error("unknown command");
            return on_capa();
        case Verb::Stls:
            if (!args_between(0, 0, "STLS")) return;
            return on_stls();
        case Verb::Unknown:
            return protocol_error("unknown command");
    }
}

// --- AUTHORIZATION (§4, §7) ---

void ServerEngine::on_user(const CommandLine& cmd) {
    // §12: answering -ERR for unknown names would tell which names exist, so
    // every name gets +OK and the PASS decides.
    user_ = cmd.args[0];
    have_user_ = true;
    send(ok("send PASS"));
}

void ServerEngine::on_pass(const CommandLine& cmd) {
    if (!have_user_) return protocol_error("send USER first");
    const std::string user = user_;
    have_user_ = false;  // §4: after a failure the client starts again with USER
    if (!policy_.check_password(user, cmd.args[0])) {
        if (config_.faults.wrong_pass_closes) return request_close("wrong password");
        return auth_failed(user);
    }
    login(user, "USER/PASS");
}

void ServerEngine::on_apop(const CommandLine& cmd) {
    const std::string& digest = cmd.args[1];
    if (!lower_hex(digest)) return protocol_error("the APOP digest is 32 lower-case hex digits");
    have_user_ = false;
    const std::optional<std::string> secret = policy_.apop_secret(cmd.args[0]);
    // §7: digest = MD5(timestamp, secret), in lower-case hex.
    if (!secret || (Md5::hex(timestamp_ + *secret) != digest && !config_.faults.apop_any_digest)) {
        return auth_failed(cmd.args[0]);
    }
    login(cmd.args[0], "APOP");
}

void ServerEngine::login(const std::string& user, const char* method) {
    OpenResult opened = policy_.open(user);
    if (opened.status == OpenStatus::InUse) {
        events_.emplace_back(AuthFailureEvent{user, "in use", auth_failures_});
        return send(err(user + "'s maildrop is locked by another session", "IN-USE"));
    }
    if (opened.status == OpenStatus::Failed) {
        events_.emplace_back(AuthFailureEvent{user, "unavailable", auth_failures_});
        return send(err(user + "'s maildrop cannot be opened now", "SYS/TEMP"));
    }
    messages_.clear();
    for (auto& m : opened.messages) {
        if (!valid_uidl(m.uidl)) {
            violation("the host gave an invalid unique-id \"" + m.uidl + "\"", "RFC 1939 §7");
        }
        messages_.push_back(Message{std::move(m.uidl), normalize_message(m.content), false});
    }
    user_ = user;
    locked_ = true;
    state_ = ServerState::Transaction;
    events_.emplace_back(LoginEvent{user, method, messages_.size(), live_octets()});
    send(ok(user + "'s maildrop has " + maildrop_summary()));
}

void ServerEngine::auth_failed(const std::string& user) {
    ++auth_failures_;
    events_.emplace_back(AuthFailureEvent{user, "bad credentials", auth_failures_});
    Response r = err("invalid user name or password", "AUTH");
    close_after_delay_ = auth_failures_ >= config_.max_auth_failures;
    if (close_after_delay_) r.text = "invalid user name or password; too many failures, closing";
    if (config_.bad_password_delay > Duration{}) {
        delayed_ = std::move(r);
        delay_until_ = now_ + config_.bad_password_delay;
        return;
    }
    send(r);
    if (close_after_delay_) request_close("too many failed logins");
}

// --- TRANSACTION (§5, §7) ---

std::size_t ServerEngine::live_count() const {
    return static_cast<std::size_t>(std::count_if(messages_.begin(), messages_.end(), [](const Message& m) { return !m.deleted; }));
}

std::uint64_t ServerEngine::live_octets() const {
    std::uint64_t n = 0;
    for (const auto& m : messages_) {
        if (!m.deleted) n += m.content.size();
    }
    return n;
}

std::string ServerEngine::maildrop_summary() const {
    const std::size_t n = live_count();
    return std::to_string(n) + (n == 1 ? " message (" : " messages (") + octets_text(live_octets()) + ")";
}

std::optional<std::size_t> ServerEngine::message_arg(std::string_view arg, bool deleted_error) {
    const auto n = parse_message_number(arg);
    if (!n) {
        protocol_error("invalid message number: " + std::string(arg));
        return std::nullopt;
    }
    if (*n > messages_.size()) {
        send(err("no such message, only " + std::to_string(messages_.size()) + " messages in maildrop"));
        return std::nullopt;
    }
    const std::size_t i = *n - 1;
    if (deleted_error && messages_[i].deleted && !config_.faults.deleted_still_readable) {
        send(err("message " + std::to_string(*n) + " is deleted"));
        return std::nullopt;
    }
    return i;
}

void ServerEngine::on_stat() {
    // §5: deleted messages are not counted.
    if (config_.faults.stat_counts_deleted) {
        std::uint64_t all = 0;
        for (const auto& m : messages_) all += m.content.size();
        return send(ok(std::to_string(messages_.size()) + " " + std::to_string(all)));
    }
    if (config_.faults.stat_no_size) return send(ok(std::to_string(live_count())));
    send(ok(std::to_string(live_count()) + " " + std::to_string(live_octets())));
}

void ServerEngine::on_list(const CommandLine& cmd, bool uidl) {
    auto item = [&](std::size_t i) {
        if (uidl && config_.faults.uidl_too_long) return std::to_string(i + 1) + " " + messages_[i].uidl + std::string(80, 'u');
        if (uidl && config_.faults.uidl_per_session) return std::to_string(i + 1) + " " + messages_[i].uidl + "-" + config_.session_tag;
        std::size_t size = messages_[i].content.size();
        if (config_.faults.list_size_lf) size -= static_cast<std::size_t>(std::count(messages_[i].content.begin(), messages_[i].content.end(), '\n'));
        const char* sep = !uidl && config_.faults.scan_listing_two_spaces ? "  " : " ";
        return std::to_string(i + 1) + sep + (uidl ? messages_[i].uidl : std::to_string(size));
    };
    if (!cmd.args.empty()) {
        const auto n = parse_message_number(cmd.args[0]);
        if (!uidl && config_.faults.list_missing_ok && n && *n > messages_.size()) {
            return send(ok(std::to_string(*n) + " 0"));
        }
        const auto i = message_arg(cmd.args[0]);
        if (i) send(ok(item(*i)));
        return;
    }
    std::string body;
    for (std::size_t i = 0; i < messages_.size(); ++i) {
        if (!messages_[i].deleted) body += item(i) + "\r\n";
    }
    send_multiline(uidl ? ok("unique-id listing follows") : ok(maildrop_summary()), body);
}

void ServerEngine::on_retr(const CommandLine& cmd) {
    const auto i = message_arg(cmd.args[0]);
    if (!i) return;
    send_multiline(ok(octets_text(messages_[*i].content.size())), messages_[*i].content);
}

void ServerEngine::on_top(const CommandLine& cmd) {
    const auto lines = parse_count(cmd.args[1]);
    if (!lines) return protocol_error("invalid line count: " + cmd.args[1]);
    const auto i = message_arg(cmd.args[0]);
    if (!i) return;
    if (config_.faults.top_past_body_err && top_of(messages_[*i].content, *lines) == messages_[*i].content) {
        return send(err("the message has fewer body lines than that"));
    }
    send_multiline(ok("top of message follows"),
                   config_.faults.top_whole_message ? messages_[*i].content : top_of(messages_[*i].content, *lines));
}

void ServerEngine::on_dele(const CommandLine& cmd) {
    const auto n = parse_message_number(cmd.args[0]);
    if (n && *n <= messages_.size() && messages_[*n - 1].deleted) {
        return send(err("message " + cmd.args[0] + " already deleted"));
    }
    const auto i = message_arg(cmd.args[0]);
    if (!i) return;
    messages_[*i].deleted = true;
    send(ok("message " + std::to_string(*i + 1) + " deleted"));
}

void ServerEngine::on_rset() {
    for (auto& m : messages_) m.deleted = m.deleted && config_.faults.rset_keeps_marks;
    send(ok("maildrop has " + maildrop_summary()));
}

void ServerEngine::on_quit() {
    if (state_ == ServerState::Authorization) {
        // §4: QUIT before login ends the session; there is no UPDATE.
        send(ok(config_.hostname + " signing off"));
        if (config_.faults.auth_quit_keeps_open) return;
        return request_close("QUIT");
    }
    // §6: UPDATE removes exactly the messages marked as deleted.
    state_ = ServerState::Update;
    std::vector<std::string> deleted;
    for (const auto& m : messages_) {
        if (m.deleted && !config_.faults.quit_no_update) deleted.push_back(m.uidl);
    }
    const bool done = deleted.empty() || policy_.update(user_, deleted);
    events_.emplace_back(UpdateEvent{user_, deleted, done});
    const std::size_t left = live_count();
    end_session();
    if (done) {
        send(ok(config_.hostname + " signing off (" + std::to_string(left) + (left == 1 ? " message" : " messages") +
                " left)"));
    } else {
        send(err("some deleted messages were not removed", "SYS/TEMP"));
    }
    request_close("QUIT");
}

void ServerEngine::on_capa() {
    // RFC 2449 §5–6; after login USER is no longer listed (§6.8: it applies
    // to AUTHORIZATION), as Dovecot does.
    std::string body;
    if (config_.top) body += "TOP\r\n";
    if (config_.uidl) body += "UIDL\r\n";
    body += "RESP-CODES\r\nAUTH-RESP-CODE\r\nPIPELINING\r\n";
    if (user_pass_now() && state_ == ServerState::Authorization) body += "USER\r\n";
    // RFC 2595 §4: STLS only in AUTHORIZATION and not once TLS is up.
    if (config_.tls.offered && (!tls_active_ || config_.faults.stls_offered_again) && state_ == ServerState::Authorization) {
        body += "STLS\r\n";
    }
    body += "IMPLEMENTATION Postino\r\n";
    send_multiline(ok("Capability list follows"), body);
}

void ServerEngine::on_stls() {
    if (tls_active_) return protocol_error("command not permitted when TLS active");
    if (config_.faults.stls_refused) return send(err("TLS not available"));
    send(ok("Begin TLS negotiation"));
    // Forget a USER given in plaintext; the session stays in AUTHORIZATION.
    user_.clear();
    have_user_ = false;
    tls_pending_ = true;
    events_.emplace_back(StartTlsEvent{});
}

// --- responses and events ---

void ServerEngine::send(const Response& r) {
    ResponseEvent e;
    e.response = r;
    e.raw_status = r.line();
    if (config_.faults.lowercase_status && e.raw_status.starts_with("+OK")) e.raw_status.replace(0, 3, "+ok");
    if (config_.faults.resp_code_unclosed && !r.code.empty()) {
        e.raw_status.erase(e.raw_status.find(']'), 1);
    }
    out_ += e.raw_status;
    events_.emplace_back(std::move(e));
}

void ServerEngine::send_multiline(const Response& r, std::string_view content) {
    ResponseEvent e;
    e.response = r;
    e.raw_status = r.line();
    e.multiline = true;
    if (config_.faults.lowercase_status && e.raw_status.starts_with("+OK")) e.raw_status.replace(0, 3, "+ok");
    out_ += e.raw_status;
    const std::size_t start = out_.size();
    if (config_.faults.no_byte_stuffing) {
        out_ += content;
        out_ += ".\r\n";
    } else {
        append_stuffed_body(out_, content);
    }
    e.raw_body.assign(out_, start, std::string::npos);
    events_.emplace_back(std::move(e));
}

// A response to a protocol error; after max_errors of them the session ends.
void ServerEngine::protocol_error(std::string text) {
    if (++errors_ >= config_.max_errors) {
        violation("too many protocol errors (" + std::to_string(errors_) + ")", "RFC 1939 §3");
        send(err(text + "; too many errors, closing"));
        end_session();
        request_close("too many errors");
        return;
    }
    send(err(std::move(text)));
}

void ServerEngine::violation(std::string what, std::string rfc) {
    events_.emplace_back(ViolationEvent{std::move(what), std::move(rfc)});
}

void ServerEngine::end_session() {
    if (!locked_) return;
    locked_ = false;
    policy_.release(user_);
}

void ServerEngine::request_close(std::string reason) {
    state_ = ServerState::Closed;
    close_requested_ = true;
    deadline_.reset();
    delay_until_.reset();
    events_.emplace_back(CloseEvent{true, std::move(reason)});
}

}  // namespace postino::pop3
