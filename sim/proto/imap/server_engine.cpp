// server_engine.cpp — the IMAP server engine's input, output, states and
// the commands of any and of the not-authenticated state (RFC 3501 §3,
// §6.1, §6.2; RFC 4959; RFC 4616; RFC 2177 DONE). The authenticated and
// selected commands are in server_mailboxes.cpp and server_selected.cpp.
#include "proto/imap/server_engine.hpp"

#include <algorithm>
#include <cctype>

#include "mail/base64.hpp"

namespace postino::imap {

const char* to_string(ServerState s) {
    switch (s) {
        case ServerState::Start: return "start";
        case ServerState::NotAuthenticated: return "not authenticated";
        case ServerState::Authenticated: return "authenticated";
        case ServerState::Selected: return "selected";
        case ServerState::Logout: return "logout";
    }
    return "?";
}

ServerEngine::ServerEngine(ServerConfig config, MailStorePolicy& store) : config_(std::move(config)), store_(store) {
    config_.autologout = std::max(config_.autologout, kMinAutologout);  // RFC 3501 §5.4
    if (config_.faults.short_autologout) config_.autologout = minutes(10);
}

std::string ServerEngine::capabilities() const {
    std::string caps = config_.faults.capability_no_rev1 ? "IMAP4" : "IMAP4rev1";
    if (config_.literal_plus) caps += " LITERAL+";
    if (state_ == ServerState::NotAuthenticated || state_ == ServerState::Start) {
        // §6.2.1: not once TLS is up.
        if (config_.starttls && (!tls_active_ || config_.faults.starttls_offered_again) &&
            !config_.faults.starttls_not_offered_ok)
            caps += " STARTTLS";
        caps += " SASL-IR";
        if (login_allowed() && !config_.faults.login_despite_logindisabled) caps += " AUTH=PLAIN";
        else caps += " LOGINDISABLED";
    }
    if (config_.idle) caps += " IDLE";
    caps += " NAMESPACE UNSELECT CHILDREN MOVE";
    return caps;
}

// --- output ---

namespace {
// resp-text is 7-bit (RFC 3501 §9 TEXT-CHAR): the section sign of the
// parser's messages is written out.
std::string ascii_text(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.compare(i, 2, "\xC2\xA7") == 0) {
            out += "section ";
            ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}
}  // namespace

void ServerEngine::send_raw(std::string bytes) {
    out_ += bytes;
    events_.emplace_back(ResponseEvent{std::move(bytes)});
}

void ServerEngine::untagged(std::string_view text) { send_raw("* " + std::string(text) + "\r\n"); }

void ServerEngine::tagged(const std::string& tag, std::string_view text) {
    send_raw(tag + " " + ascii_text(text) + "\r\n");
}

void ServerEngine::bad(const std::string& tag, std::string_view text) {
    send_raw((tag.empty() ? std::string("*") : tag) + " BAD " + ascii_text(text) + "\r\n");
    if (++errors_ >= config_.max_errors) bye("Too many invalid commands");
}

void ServerEngine::bye(std::string_view text) {
    if (state_ == ServerState::Logout) return;
    untagged("BYE " + std::string(text));
    request_close(std::string(text));
}

void ServerEngine::request_close(std::string reason) {
    if (close_requested_) return;
    state_ = ServerState::Logout;
    close_requested_ = true;
    deadline_.reset();
    events_.emplace_back(CloseEvent{true, std::move(reason)});
}

std::string ServerEngine::poll_output() {
    std::string out = std::exchange(out_, {});
    // Input held while the output was over the high-water mark is read now;
    // what it produces waits for the next call.
    if (in_off_ < in_.size() && state_ != ServerState::Logout && !out.empty()) drain_input();
    return out;
}

std::optional<Event> ServerEngine::poll_event() {
    if (events_.empty()) return std::nullopt;
    Event e = std::move(events_.front());
    events_.pop_front();
    return e;
}

std::optional<Time> ServerEngine::next_deadline() const { return deadline_; }

// --- input ---

void ServerEngine::start(Time now) {
    now_ = now;
    state_ = ServerState::NotAuthenticated;
    const std::string greeting = "OK [CAPABILITY " + capabilities() + "] " + config_.hostname + " Postino IMAP4rev1 server ready";
    if (config_.faults.greeting_no_star) {
        send_raw(greeting + "\r\n");
    } else {
        untagged(greeting);
    }
    deadline_ = now + config_.autologout;
}

void ServerEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (state_ == ServerState::Logout || state_ == ServerState::Start) return;
    if (tls_pending_) {
        // Only the TLS handshake may follow the OK to STARTTLS: plaintext sent
        // behind the command is never read inside TLS (CVE-2011-0411).
        discard_before_tls(bytes);
        return;
    }
    deadline_ = now + config_.autologout;
    in_.append(bytes);
    if (in_.size() - in_off_ > kMaxBufferedInput) {
        bye("Too much input without reading the responses");
        return;
    }
    drain_input();
}

void ServerEngine::handle_closed(Time now) {
    now_ = now;
    if (close_requested_) return;
    state_ = ServerState::Logout;
    deadline_.reset();
    events_.emplace_back(CloseEvent{false, "the client closed the connection"});
}

void ServerEngine::handle_timeout(Time now) {
    now_ = now;
    if (deadline_ && now >= *deadline_) bye("Autologout; idle for too long");  // RFC 3501 §5.4
}

void ServerEngine::handle_shutdown(Time now) {
    now_ = now;
    if (state_ == ServerState::Start) state_ = ServerState::NotAuthenticated;
    bye("Server shutting down");  // RFC 3501 §7.1.5: BYE before the server closes
}

void ServerEngine::handle_tls_started(Time now) {
    now_ = now;
    if (!tls_pending_ || state_ == ServerState::Logout) return;
    tls_pending_ = false;
    tls_active_ = true;
    if (tls_discarded_ != 0) {
        events_.emplace_back(ViolationEvent{std::to_string(tls_discarded_) +
                                             " octets sent after STARTTLS, before the TLS handshake, were discarded "
                                             "(plaintext command injection, CVE-2011-0411)",
                                         "RFC 3501 §6.2.1"});
        tls_discarded_ = 0;
    }
    deadline_ = now + config_.autologout;
    if (!tls_held_.empty()) {  // fault imap-starttls-injection-answered: the plaintext read as if TLS carried it
        std::string held = std::move(tls_held_);
        tls_held_.clear();
        handle_bytes(now, held);
    }
}

void ServerEngine::discard_before_tls(std::string_view in) {
    tls_discarded_ += in.size();
    // The fault keeps it, bounded, to read once TLS is up (CVE-2011-0411).
    if (config_.faults.starttls_injection_answered && tls_held_.size() + in.size() <= kMaxBufferedInput) tls_held_.append(in);
}

void ServerEngine::handle_mailbox_changed(Time now) {
    now_ = now;
    // RFC 2177 §3: while idling the server sends updates as they happen.
    if (mode_ == Mode::Idle && state_ == ServerState::Selected && !config_.faults.idle_no_push) refresh(true);
    // The fault unsolicited_expunge sends them with no command in progress too (§7.4.1, §5.2).
    if (config_.faults.unsolicited_expunge && mode_ == Mode::Command && !in_input_ && state_ == ServerState::Selected)
        refresh(true);
}

void ServerEngine::drain_input() {
    const bool was_in_input = std::exchange(in_input_, true);
    while (in_off_ < in_.size() && state_ != ServerState::Logout) {
        if (out_.size() > kOutputHighWater) break;  // resumes when the host drains and feeds again
        auto s = framer_.read(std::string_view(in_).substr(in_off_));
        in_off_ += s.consumed;
        if (s.kind == CommandFramer::Kind::NeedMore) break;
        if (s.kind == CommandFramer::Kind::Literal) {
            // RFC 3501 §7.5: "+" invites the literal. A refusal would be sent
            // here instead; the framer already refused the oversized ones.
            framer_.accept_literal();
            send_raw("+ Ready for literal data\r\n");
            continue;
        }
        if (s.kind == CommandFramer::Kind::Error) {
            on_frame_error(s);
            continue;
        }
        const std::string framed(s.command);
        if (mode_ == Mode::AuthResponse) on_auth_response(framed);
        else if (mode_ == Mode::Idle) on_idle_line(framed);
        else on_command(framed);
        if (tls_pending_) {  // STARTTLS was accepted: what follows it is never read
            discard_before_tls(std::string_view(in_).substr(in_off_));
            in_off_ = in_.size();
            framer_ = CommandFramer{};
        }
    }
    if (in_off_ == in_.size()) {
        in_.clear();
        in_off_ = 0;
    } else if (in_off_ > std::size_t{64} * 1024) {
        in_.erase(0, in_off_);
        in_off_ = 0;
    }
    in_input_ = was_in_input;
}

void ServerEngine::on_frame_error(const CommandFramer::Step& s) {
    const std::string what = to_string(s.error);
    events_.emplace_back(CommandEvent{s.tag, "", "", 0});
    if (s.fatal) {
        bye(what);
        return;
    }
    auto parsed = parse_command(s.tag + " X");  // is the first word a usable tag?
    const std::string tag = parsed.error.kind == ParseError::Kind::BadTag ? "" : s.tag;
    if (mode_ != Mode::Command) {  // a broken line ends AUTHENTICATE or IDLE
        const std::string t = std::exchange(pending_tag_, {});
        mode_ = Mode::Command;
        bad(t, what);
        return;
    }
    if (s.error == FrameError::LiteralTooLarge) {
        tagged(tag.empty() ? "*" : tag, "NO [TOOBIG] Literal too large");  // RFC 9051 §7.1
        return;
    }
    bad(tag, "Error in IMAP command: " + what);
}

void ServerEngine::on_command(std::string_view framed) {
    auto r = parse_command(framed, &config_.faults);
    CommandEvent ev;
    ev.tag = r.command ? r.command->tag : r.error.tag;
    ev.name = r.command ? (r.command->uid ? "UID " : "") + r.command->name : r.error.name;
    ev.raw = std::string(framed.substr(0, kMaxTraceOctets));
    ev.octets = framed.size() + 2;
    events_.emplace_back(std::move(ev));
    if (!r.command) {
        const auto& e = r.error;
        if (e.kind == ParseError::Kind::BadTag) return bad("", "Error in IMAP command: " + e.what);
        if (e.kind == ParseError::Kind::UnknownCommand) {
            if (config_.faults.garbage_ok) return tagged(e.tag, "OK Completed");
            return bad(e.tag, "Error in IMAP command: " + e.what);
        }
        const std::string what = "Error in IMAP command " + e.name + ": " + e.what + " (at octet " + std::to_string(e.offset) + ")";
        if (config_.faults.syntax_error_no) return tagged(e.tag, "NO " + what);
        return bad(e.tag, what);
    }
    dispatch(*r.command);
}

void ServerEngine::dispatch(const Command& c) {
    const std::string& n = c.name;
    in_uid_command_ = c.uid;
    if (config_.faults.strict_tags &&
        !std::all_of(c.tag.begin(), c.tag.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0; })) {
        return bad(c.tag, "Error in IMAP command: invalid tag");
    }
    // Any state (§6.1).
    if (n == "CAPABILITY") {
        untagged("CAPABILITY " + capabilities());
        return tagged(c.tag, "OK Capability completed");
    }
    if (n == "NOOP") {
        if (state_ == ServerState::Selected) refresh(true);
        if (config_.faults.no_tagged_noop) return;
        if (config_.faults.noop_no) return tagged(c.tag, "NO NOOP failed");
        if (config_.faults.double_tagged_noop) tagged(c.tag, "OK NOOP completed");
        return tagged(c.tag, "OK NOOP completed");
    }
    if (n == "LOGOUT") {
        if (!config_.faults.logout_no_bye) untagged("BYE Logging out");
        tagged(c.tag, "OK Logout completed");
        return request_close("LOGOUT");
    }
    if (n == "STARTTLS") return on_starttls(c);
    if (state_ == ServerState::NotAuthenticated) {
        if (n == "LOGIN") return on_login(c);
        if (n == "AUTHENTICATE") return on_authenticate(c);
        if (config_.faults.ok_before_auth) return tagged(c.tag, "OK Completed");
        return bad(c.tag, "Please log in first");
    }
    if (n == "LOGIN" && config_.faults.relogin_ok) return tagged(c.tag, "OK Logged in");
    if (n == "LOGIN" || n == "AUTHENTICATE") return bad(c.tag, "Already logged in");
    // Authenticated and selected (§6.3).
    if (n == "SELECT" || n == "EXAMINE") return on_select(c, n == "EXAMINE");
    if (n == "CREATE") return on_create(c);
    if (n == "DELETE") return on_delete(c);
    if (n == "RENAME") return on_rename(c);
    if (n == "SUBSCRIBE" || n == "UNSUBSCRIBE") return on_subscribe(c, n == "SUBSCRIBE");
    if (n == "LIST" || n == "LSUB") return on_list(c, n == "LSUB");
    if (n == "STATUS") return on_status(c);
    if (n == "APPEND") return on_append(c);
    if (n == "NAMESPACE") {
        untagged("NAMESPACE ((\"\" \"/\")) NIL NIL");  // RFC 2342 §5: one personal namespace
        return tagged(c.tag, "OK Namespace completed");
    }
    if (n == "IDLE") {
        if (!config_.idle) return bad(c.tag, "Error in IMAP command: unknown command IDLE");
        return on_idle(c);
    }
    if (state_ != ServerState::Selected) {
        if (config_.faults.ok_without_select) return tagged(c.tag, "OK Completed");
        return bad(c.tag, "No mailbox selected");
    }
    // Selected (§6.4).
    if (n == "CHECK") {
        refresh(true);
        return tagged(c.tag, "OK Check completed");
    }
    if (n == "CLOSE") return on_close(c, true);
    if (n == "UNSELECT") return on_close(c, false);
    if (n == "EXPUNGE") return on_expunge(c);
    if (n == "SEARCH") return on_search(c);
    if (n == "FETCH") return on_fetch(c);
    if (n == "STORE") return on_store(c);
    if (n == "COPY" || n == "MOVE") return on_copy(c, n == "MOVE");
    bad(c.tag, "Error in IMAP command: unknown command " + n);
}

// --- not authenticated (§6.2) ---

// RFC 3501 §6.2.1 / RFC 9051 §6.2.1: only before login; OK, then the TLS
// negotiation begins after the CRLF; the capabilities change (the client
// must ask again, they are not sent unasked).
void ServerEngine::on_starttls(const Command& c) {
    if (!config_.starttls && !config_.faults.starttls_not_offered_ok)
        return bad(c.tag, "STARTTLS is not offered on this connection");
    if (state_ != ServerState::NotAuthenticated && !config_.faults.starttls_after_login) {
        return bad(c.tag, "STARTTLS is valid only before login");
    }
    if (tls_active_) return bad(c.tag, "TLS is already active");
    tagged(c.tag, "OK Begin TLS negotiation now");
    tls_pending_ = true;
    events_.emplace_back(StartTlsEvent{});
}

void ServerEngine::on_login(const Command& c) {
    if ((!login_allowed() && !config_.faults.login_despite_logindisabled) ||
        config_.faults.logindisabled_unadvertised)  // RFC 3501 §6.2.3, RFC 5530 §3
        return tagged(c.tag, "NO [PRIVACYREQUIRED] Plaintext login is disabled on this connection");
    if (store_.check_password(c.args[0], c.args[1]) || config_.faults.any_password)
        return logged_in(c.tag, c.args[0], "LOGIN");
    auth_failed(c.tag, c.args[0]);
}

void ServerEngine::on_authenticate(const Command& c) {
    if (c.args[0] != "PLAIN") return tagged(c.tag, "NO Unsupported authentication mechanism");
    if (!login_allowed())
        return tagged(c.tag, "NO [PRIVACYREQUIRED] Plaintext authentication is disabled on this connection");
    if (c.initial_response) return finish_plain(c.tag, *c.initial_response == "=" ? "" : *c.initial_response);
    pending_tag_ = c.tag;
    mode_ = Mode::AuthResponse;
    send_raw("+ \r\n");  // RFC 3501 §6.2.2: an empty challenge for PLAIN
}

void ServerEngine::on_auth_response(std::string_view line) {
    const std::string tag = std::exchange(pending_tag_, {});
    mode_ = Mode::Command;
    events_.emplace_back(CommandEvent{"", "", "(authentication data)", line.size() + 2});
    if (line == "*") return bad(tag, "Authentication cancelled");  // §6.2.2
    finish_plain(tag, line);
}

void ServerEngine::finish_plain(const std::string& tag, std::string_view b64) {
    auto decoded = mail::base64_decode_strict(b64);
    if (!decoded.ok()) return bad(tag, "Invalid base64 in the authentication data");
    // RFC 4616 §2: [authzid] NUL authcid NUL passwd
    const std::string& d = *decoded;
    const auto a = d.find('\0');
    const auto b = a == std::string::npos ? a : d.find('\0', a + 1);
    if (b == std::string::npos) return bad(tag, "Malformed PLAIN authentication data (RFC 4616 §2)");
    const std::string authz = d.substr(0, a), user = d.substr(a + 1, b - a - 1), pass = d.substr(b + 1);
    if (!authz.empty() && authz != user) return auth_failed(tag, user);
    if (store_.check_password(user, pass)) return logged_in(tag, user, "AUTHENTICATE PLAIN");
    auth_failed(tag, user);
}

void ServerEngine::logged_in(const std::string& tag, const std::string& user, const char* method) {
    user_ = user;
    state_ = ServerState::Authenticated;
    events_.emplace_back(LoginEvent{user, method});
    tagged(tag, "OK [CAPABILITY " + capabilities() + "] Logged in");
}

void ServerEngine::auth_failed(const std::string& tag, const std::string& user) {
    ++auth_failures_;
    events_.emplace_back(AuthFailureEvent{user, auth_failures_});
    tagged(tag, "NO [AUTHENTICATIONFAILED] Authentication failed");  // RFC 5530 §3
    if (auth_failures_ >= config_.max_auth_failures) bye("Too many authentication failures");
}

// --- IDLE (RFC 2177) ---

void ServerEngine::on_idle(const Command& c) {
    if (state_ == ServerState::Selected) refresh(true);
    pending_tag_ = c.tag;
    mode_ = Mode::Idle;
    send_raw("+ idling\r\n");
}

void ServerEngine::on_idle_line(std::string_view line) {
    const std::string tag = std::exchange(pending_tag_, {});
    mode_ = Mode::Command;
    events_.emplace_back(CommandEvent{"", "DONE", std::string(line.substr(0, kMaxTraceOctets)), line.size() + 2});
    std::string up(line);
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (up != "DONE" || config_.faults.done_not_recognized) return bad(tag, "Expected DONE to end IDLE (RFC 2177 §3)");
    if (state_ == ServerState::Selected) refresh(true);
    tagged(tag, "OK Idle completed");
}

}  // namespace postino::imap
