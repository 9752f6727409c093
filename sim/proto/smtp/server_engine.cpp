// server_engine.cpp — the SMTP server state machine (RFC 5321 §3, §4.1–4.3,
// §4.5.3; RFC 2920, 1870, 6152, 2034, 6531). Commands are handled in the
// order they arrive, one reply each, so pipelined input is answered in order
// (RFC 2920 §3.2). Every handler checks first and changes state only after
// all checks passed.
#include "proto/smtp/server_engine.hpp"

#include <algorithm>

#include "proto/smtp/limits.hpp"
#include "proto/smtp/params.hpp"
#include "proto/smtp/replies.hpp"

namespace postino::smtp {
namespace {

// The fault keep_dot_stuffing (faults.hpp): stuffs the content again, as if
// the leading "." of stuffed lines had never been removed (RFC 5321 §4.5.2).
std::string restuff(std::string_view content) {
    std::string out;
    out.reserve(content.size());
    bool line_start = true;
    for (char c : content) {
        if (line_start && c == '.') out += '.';
        out += c;
        line_start = c == '\n';
    }
    return out;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char c = s[i];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        if (c != prefix[i]) return false;
    }
    return true;
}

bool has_control(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

// The faults short-local-part, short-domain and short-path (faults.hpp): the
// 501 a server with limits below RFC 5321 §4.5.3.1.1–.3 would give.
std::optional<Reply> faulty_path_limits(const ServerFaults& f, const mail::Mailbox& m) {
    if (f.short_local_part && m.local.size() > kFaultLocalPartOctets) {
        return make_reply(501, "5.5.4", "Local part too long");
    }
    if (f.short_domain && m.domain.size() > kFaultDomainOctets) return make_reply(501, "5.5.4", "Domain too long");
    if (f.short_path && !m.local.empty() && m.local.size() + m.domain.size() + 3 > kFaultPathOctets) {
        return make_reply(501, "5.5.4", "Path too long");
    }
    return std::nullopt;
}

// The fault short-text-line: true when a line of `content` is longer than
// kFaultTextLineOctets, CRLF included (RFC 5321 §4.5.3.1.6 allows 1000).
bool has_line_over(std::string_view content, std::size_t limit) {
    std::size_t from = 0;
    while (from < content.size()) {
        const std::size_t lf = content.find('\n', from);
        const std::size_t end = lf == std::string_view::npos ? content.size() : lf + 1;
        if (end - from > limit) return true;
        from = end;
    }
    return false;
}

const char* step_name(int step) {
    static constexpr const char* kNames[] = {"MAIL", "RCPT", "end of data", "VRFY"};
    return kNames[step];
}

}  // namespace

ServerEngine::ServerEngine(ServerConfig config, ServerPolicy& policy)
    : config_(std::move(config)), policy_(policy), reader_(config_.leniency.line_ends != LineEndMode::Strict) {}

// --- inputs ---

void ServerEngine::start(Time now) {
    if (state_ != ServerState::Start) return;
    now_ = now;
    const Decision d = policy_.on_connect();
    const std::string& text = d.text;
    if (d.accepted()) {  // Decision::accept(): serve this client with a 220
        if (config_.faults.long_banner) {
            // One line over §4.5.3.1.5's 512 octets, written past append_reply (which cuts lines there).
            ReplyEvent e;
            e.reply = replies::greeting(config_.hostname, config_.banner);
            e.raw = std::to_string(e.reply.code) + " " + config_.hostname + " ESMTP " +
                    std::string(kFaultBannerOctets, '-') + "\r\n";
            out_ += e.raw;
            events_.emplace_back(std::move(e));
        } else {
            send(text.empty() ? replies::greeting(config_.hostname, config_.banner)
                              : replies::greeting_with_text(220, config_.hostname, text));
        }
        state_ = ServerState::Connected;
    } else if (d.code == 554) {
        // §3.1: refuse, but wait for QUIT and answer 503 to anything else.
        send(replies::greeting_with_text(554, config_.hostname, text.empty() ? "No SMTP service here" : text));
        state_ = ServerState::Refused;
    } else {
        if (d.code != 421) {
            violation("policy returned " + std::to_string(d.code) + " at connect (220, 421 or 554 expected)",
                      "RFC 5321 §3.1");
        }
        send(replies::greeting_with_text(421, config_.hostname,
                                         text.empty() || d.code != 421 ? "Service not available" : text));
        request_close("refused at connect (421)");
        return;
    }
    if (!config_.faults.no_idle_timeout) deadline_ = now + config_.timeout;
}

void ServerEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (close_requested_ || state_ == ServerState::Closed || state_ == ServerState::Start || bytes.empty()) return;
    if (config_.faults.early_input_lost && !greeting_out_) return;  // thrown away, no reply, no close
    if (!config_.faults.no_idle_timeout) deadline_ = now + config_.timeout;
    if (in_off_ == in_.size() && !paused()) {
        in_.clear();
        in_off_ = 0;
        const std::size_t used = process(bytes);
        if (used == bytes.size() || close_requested_) return;
        if (bytes.size() - used > kMaxBufferedInput) {
            send(replies::closing_overflow(config_.hostname));
            request_close("input buffer overflow");
            return;
        }
        in_.assign(bytes.substr(used));  // paused: keep the rest for later
        return;
    }
    if (in_.size() - in_off_ + bytes.size() > kMaxBufferedInput) {
        send(replies::closing_overflow(config_.hostname));
        request_close("input buffer overflow");
        return;
    }
    in_.append(bytes);
    drain_input();
}

void ServerEngine::handle_closed(Time now) {
    now_ = now;
    if (state_ == ServerState::Closed) return;  // already over (the host closed as asked)
    if (state_ == ServerState::Data) {
        violation("connection closed during DATA; the message is discarded", "RFC 5321 §4.1.1.4");
    } else if (state_ != ServerState::Start) {
        violation("client closed the connection without QUIT", "RFC 5321 §3.8");
    }
    state_ = ServerState::Closed;
    deadline_.reset();
    in_.clear();
    in_off_ = 0;
    events_.emplace_back(CloseEvent{false, "peer closed the connection"});
}

void ServerEngine::handle_timeout(Time now) {
    now_ = now;
    if (!deadline_ || now < *deadline_ || close_requested_ || state_ == ServerState::Closed) return;
    send(replies::closing_timeout(config_.hostname));
    request_close(state_ == ServerState::Data ? "timeout waiting for data" : "timeout waiting for a command");
}

void ServerEngine::handle_shutdown(Time now) {
    now_ = now;
    if (close_requested_ || state_ == ServerState::Closed || state_ == ServerState::Start) return;
    send(replies::closing_shutdown(config_.hostname));
    request_close("server shutting down");
}

void ServerEngine::handle_tls_started(Time now) {
    now_ = now;
    if (!tls_pending_ || close_requested_ || state_ == ServerState::Closed) return;
    tls_pending_ = false;
    session_.tls = true;
    if (tls_discarded_ != 0) {
        violation(std::to_string(tls_discarded_) +
                      " octets sent after STARTTLS, before the TLS handshake, were discarded (plaintext command "
                      "injection, CVE-2011-0411)",
                  "RFC 3207 §4.2");
        tls_discarded_ = 0;
    }
    if (!config_.faults.no_idle_timeout) deadline_ = now + config_.timeout;
    if (!tls_held_.empty()) {  // fault starttls-injection-answered: the plaintext read as if TLS carried it
        std::string held = std::move(tls_held_);
        tls_held_.clear();
        handle_bytes(now, held);
    }
}

// --- outputs ---

std::string ServerEngine::poll_output() {
    std::string out = std::move(out_);
    out_.clear();
    if (state_ != ServerState::Start) greeting_out_ = true;
    if (in_off_ < in_.size() && !paused()) {
        // Backpressure released: answer the input that waited.
        drain_input();
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
    return deadline_;
}

std::size_t ServerEngine::buffered_octets() const {
    return (in_.size() - in_off_) + out_.size() + reader_.buffered() + data_.content_size();
}

// --- input processing ---

bool ServerEngine::paused() const { return out_.size() >= kOutputHighWater || events_.size() >= kEventHighWater; }

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
    if (tls_pending_) {
        // After the 220 to STARTTLS only the TLS handshake may follow; plaintext
        // pipelined behind the command must never be read inside TLS.
        discard_before_tls(in);
        return in.size();
    }
    std::size_t used = 0;
    while (used < in.size() && !close_requested_ && state_ != ServerState::Closed && !paused()) {
        if (tls_pending_) {  // STARTTLS was the last command read before the switch
            discard_before_tls(in.substr(used));
            return in.size();
        }
        const std::string_view rest = in.substr(used);
        if (state_ == ServerState::Data) {
            const DataReader::Step step = data_.read(rest);
            if (config_.report_data) events_.emplace_back(DataEvent{std::string(rest.substr(0, step.consumed))});
            used += step.consumed;
            if (step.done) finish_data();
            continue;
        }
        const CommandReader::Step step = reader_.read(rest);
        used += step.consumed;
        switch (step.kind) {
            case CommandReader::Kind::NeedMore:
                break;
            case CommandReader::Kind::Line:
                if (auth_pending_) {
                    on_auth_response(step.line);
                } else {
                    on_command_line(step.line, step.raw, step.octets);
                }
                // The fault pipelining-drops-input: the rest of this read is lost.
                if (config_.faults.pipelining_drops_input && config_.extensions.pipelining &&
                    state_ != ServerState::Data) {
                    return in.size();
                }
                break;
            case CommandReader::Kind::BareLineEnd:
                auth_pending_ = false;  // the exchange is over (RFC 4954 §4: 501)
                events_.emplace_back(CommandEvent{"", "", std::string(step.raw), step.octets});
                violation("bare CR or LF in a command line", "RFC 5321 §2.3.8");
                protocol_error(replies::bare_line_end());
                break;
            case CommandReader::Kind::TooLong:
                auth_pending_ = false;
                events_.emplace_back(CommandEvent{"", "", std::string(step.raw), step.octets});
                violation("command line longer than 512 octets", "RFC 5321 §4.5.3.1.4");
                protocol_error(replies::line_too_long());
                break;
        }
    }
    return used;
}

void ServerEngine::on_command_line(std::string_view line, std::string_view raw, std::size_t octets) {
    CommandLine cmd = split_command(line);
    if (cmd.verb == Verb::Auth && cmd.args.find(' ') != std::string_view::npos) {
        // An initial response carries credentials: the trace keeps the mechanism only.
        const std::string mech(cmd.args.substr(0, cmd.args.find(' ')));
        events_.emplace_back(CommandEvent{"AUTH", mech + " (authentication data)",
                                          "AUTH " + mech + " (authentication data)\r\n", octets});
    } else {
        events_.emplace_back(CommandEvent{cmd.verb == Verb::Unknown ? cmd.token : std::string(verb_name(cmd.verb)),
                                          std::string(cmd.args), std::string(raw), octets});
    }
    if (has_control(line)) {
        protocol_error(replies::bad_characters());
        return;
    }
    if (config_.faults.short_command_line && octets > kFaultCommandLineOctets) {
        protocol_error(replies::line_too_long());
        return;
    }
    const std::string_view verb_text = line.substr(0, line.find(' '));
    const bool lower = config_.faults.case_sensitive_verbs &&
                       std::any_of(verb_text.begin(), verb_text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
    if (line.empty() || cmd.verb == Verb::Unknown || lower) {
        protocol_error(replies::unknown_command());
        return;
    }
    const bool offered = implemented(cmd.verb) || (cmd.verb == Verb::Auth && config_.auth.plain) ||
                         (cmd.verb == Verb::Starttls && config_.tls.offered);
    if (!offered || (cmd.verb == Verb::Help && !config_.extensions.help)) {
        protocol_error(replies::not_implemented());
        return;
    }
    dispatch(cmd);
}

void ServerEngine::dispatch(const CommandLine& cmd) {
    // §4.1.4: sequence first, so a command in the wrong state gets 503 whatever its arguments.
    const std::string_view seq = sequence_error(state_, cmd.verb);
    if (!seq.empty() && !config_.faults.no_503) {
        if (cmd.verb == Verb::Data && state_ == ServerState::Mail && rcpt_attempts_ > 0) {
            send(replies::no_valid_recipients());  // every RCPT was refused (Postfix's 554 5.5.1)
            return;
        }
        protocol_error(replies::bad_sequence(seq));
        return;
    }
    switch (cmd.verb) {
        case Verb::Ehlo:
        case Verb::Helo:
            if (auto bad = check_helo(cmd)) return refuse(std::move(*bad));
            return proceed_helo(cmd);
        case Verb::Starttls:
            return on_starttls(cmd);
        case Verb::Mail: {
            if (config_.tls.required && !session_.tls) return send(replies::tls_required());
            MailCheck m;
            if (auto bad = check_mail(cmd, m)) return refuse(std::move(*bad));
            return proceed_mail(std::move(m));
        }
        case Verb::Rcpt: {
            RcptCheck r;
            if (auto bad = check_rcpt(cmd, r)) return refuse(std::move(*bad));
            return proceed_rcpt(std::move(r));
        }
        case Verb::Data:
            if (auto bad = check_data(cmd)) return refuse(std::move(*bad));
            return proceed_data();
        case Verb::Auth:
            return on_auth(cmd);
        default:
            return on_simple(cmd);
    }
}

// --- EHLO / HELO (§4.1.1.1) ---

std::optional<Reply> ServerEngine::check_helo(const CommandLine& cmd) const {
    if (cmd.args.empty()) return replies::syntax(replies::usage(cmd.verb));
    if (config_.faults.short_domain && cmd.args.size() > kFaultDomainOctets) {
        return make_reply(501, "5.5.4", "Domain too long");
    }
    const bool ok = valid_domain(cmd.args) || (cmd.verb == Verb::Ehlo && valid_address_literal(cmd.args));
    if (!ok) return replies::bad_domain(verb_name(cmd.verb));
    return std::nullopt;
}

void ServerEngine::proceed_helo(const CommandLine& cmd) {
    if (config_.faults.ehlo_keeps_transaction && (state_ == ServerState::Mail || state_ == ServerState::Rcpt)) {
        return send(cmd.verb == Verb::Ehlo ? ehlo_reply(cmd.args) : replies::helo(config_.hostname));
    }
    reset_transaction();  // §4.1.4: a repeated EHLO/HELO resets like RSET
    session_.helo_name = std::string(cmd.args);
    session_.esmtp = cmd.verb == Verb::Ehlo;
    state_ = ServerState::Ready;
    const bool ehlo_reply_wanted = cmd.verb == Verb::Ehlo || config_.faults.helo_multiline;
    send(ehlo_reply_wanted ? ehlo_reply(cmd.args) : replies::helo(config_.hostname));
}

Reply ServerEngine::ehlo_reply(std::string_view client) const {
    Reply r;
    r.code = 250;
    r.lines.push_back(config_.hostname + " Hello " + std::string(client));
    const ServerExtensions& x = config_.extensions;
    if (x.pipelining) r.lines.emplace_back("PIPELINING");
    if (x.size) r.lines.push_back("SIZE " + std::to_string(config_.max_message_octets));
    if (x.eightbitmime) r.lines.emplace_back("8BITMIME");
    if (x.enhanced_status_codes) r.lines.emplace_back("ENHANCEDSTATUSCODES");
    if (x.smtputf8) r.lines.emplace_back("SMTPUTF8");
    if (x.help) r.lines.emplace_back("HELP");
    if (config_.auth.plain && (config_.auth.allow_plaintext || session_.tls)) r.lines.emplace_back("AUTH PLAIN");
    // RFC 3207 §4.2: not after TLS.
    if (config_.tls.offered && (!session_.tls || config_.faults.starttls_offered_again)) r.lines.emplace_back("STARTTLS");
    return r;
}

// --- MAIL (§4.1.1.2, RFC 1870 §6, RFC 6152, RFC 6531) ---

std::string_view ServerEngine::strip_colon_space(std::string_view s) const {
    if (!config_.leniency.space_after_colon) return s;
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    return s;
}

std::optional<Reply> ServerEngine::check_mail(const CommandLine& cmd, MailCheck& out) const {
    // RFC 4954 §6, RFC 6409 §4.3: a submission server takes mail only from authenticated users.
    if (config_.auth.required && session_.auth_user.empty()) {
        return make_reply(530, "5.7.0", "Authentication required");
    }
    if (!starts_with_ci(cmd.args, "FROM:")) return replies::syntax(replies::usage(Verb::Mail));
    const std::string_view rest = strip_colon_space(cmd.args.substr(5));
    PathOptions opt;
    opt.allow_utf8 = config_.extensions.smtputf8;
    opt.allow_missing_brackets = config_.leniency.missing_brackets;
    PathParse p = parse_reverse_path(rest, opt);
    if (p.error == PathError::NonAscii) return replies::non_ascii_address();
    if (p.error != PathError::None) return replies::bad_sender(describe(p.error));
    if (config_.faults.refuse_null_sender && p.path.mailbox.empty()) return replies::bad_sender("null sender");
    if (auto bad = faulty_path_limits(config_.faults, p.path.mailbox)) return bad;
    std::vector<EsmtpParam> params;
    if (!parse_esmtp_params(rest.substr(p.consumed), params, config_.extensions.smtputf8)) {
        return replies::param_syntax();
    }
    OfferedMailParams offered;
    offered.size = config_.extensions.size;
    offered.eightbitmime = config_.extensions.eightbitmime;
    offered.smtputf8 = config_.extensions.smtputf8;
    MailParamsParse mp = interpret_mail_params(params, offered);
    switch (mp.error) {
        case ParamError::None:
            break;
        case ParamError::Syntax:
            return replies::param_syntax();
        case ParamError::BadValue:
            return replies::param_bad_value(mp.keyword);
        case ParamError::Unknown:
            if (config_.faults.ignore_unknown_params) break;
            return replies::param_unknown(mp.keyword);
        case ParamError::NotImplemented:
            return replies::param_not_implemented(mp.keyword);
    }
    if (p.path.non_ascii && !mp.params.smtputf8) return replies::non_ascii_address();
    if (config_.faults.refuse_8bitmime && mp.params.body == BodyType::EightBitMime) return replies::param_bad_value("BODY");
    if (config_.faults.refuse_body_7bit && mp.params.body_given && mp.params.body == BodyType::SevenBit) {
        return replies::param_bad_value("BODY");
    }
    if (config_.faults.refuse_size_param && mp.params.size) return replies::param_unknown("SIZE");
    if (mp.params.size && *mp.params.size > config_.max_message_octets && !config_.faults.ignore_size) return replies::size_exceeded();
    out.path = std::move(p.path);
    out.params = mp.params;
    return std::nullopt;
}

void ServerEngine::proceed_mail(MailCheck&& m) {
    if (!m.path.route.empty()) violation("source route in MAIL FROM ignored", "RFC 5321 §4.1.2, Appendix F.2");
    if (!m.path.bracketed) violation("path without angle brackets accepted (leniency)", "RFC 5321 §4.1.2");
    const Reply r = finalize(policy_.on_mail(session_, m.path.mailbox, m.params), PolicyStep::Mail);
    if (r.positive()) {
        envelope_.sender = std::move(m.path.mailbox);
        envelope_.params = m.params;
        envelope_.recipients.clear();
        rcpt_attempts_ = 0;
        state_ = ServerState::Mail;
    }
    send(r);
}

// --- RCPT (§4.1.1.3, §4.5.3.1.8, §4.5.3.1.10) ---

std::optional<Reply> ServerEngine::check_rcpt(const CommandLine& cmd, RcptCheck& out) const {
    if (!starts_with_ci(cmd.args, "TO:")) return replies::syntax(replies::usage(Verb::Rcpt));
    const std::string_view rest = strip_colon_space(cmd.args.substr(3));
    PathOptions opt;
    opt.allow_utf8 = config_.extensions.smtputf8 && envelope_.params.smtputf8;
    opt.allow_missing_brackets = config_.leniency.missing_brackets;
    PathParse p = parse_forward_path(rest, opt);
    if (p.error == PathError::NonAscii) return replies::non_ascii_address();
    if (p.error != PathError::None) return replies::bad_recipient(describe(p.error));
    if (auto bad = faulty_path_limits(config_.faults, p.path.mailbox)) return bad;
    std::vector<EsmtpParam> params;
    if (!parse_esmtp_params(rest.substr(p.consumed), params)) return replies::param_syntax();
    if (!params.empty() && !config_.faults.ignore_unknown_params) {
        return replies::param_unknown(params.front().keyword);  // no RCPT parameters offered
    }
    if (envelope_.recipients.size() >= config_.max_recipients) {
        return config_.faults.too_many_is_552 ? make_reply(552, "5.5.3", "Too many recipients") : replies::too_many_recipients();
    }
    out.postmaster = p.path.mailbox.domain.empty();
    out.path = std::move(p.path);
    return std::nullopt;
}

void ServerEngine::proceed_rcpt(RcptCheck&& rc) {
    if (!rc.path.route.empty()) violation("source route in RCPT TO ignored", "RFC 5321 §4.1.2, Appendix F.2");
    if (!rc.path.bracketed) violation("path without angle brackets accepted (leniency)", "RFC 5321 §4.1.2");
    ++rcpt_attempts_;
    // §4.5.1: <postmaster> without a domain is always accepted; the host routes it.
    const Reply r = rc.postmaster ? make_reply(250, "2.1.5", "Ok")
                                  : finalize(policy_.on_rcpt(session_, envelope_, rc.path.mailbox), PolicyStep::Rcpt);
    if (r.positive()) {
        envelope_.recipients.push_back(std::move(rc.path.mailbox));
        state_ = ServerState::Rcpt;
    } else if (config_.faults.rcpt_refusal_aborts && r.code >= 500) {
        reset_transaction();  // the fault: the whole transaction goes with the one recipient
        state_ = ServerState::Ready;
    }
    send(r);
}

// --- DATA (§4.1.1.4) ---

std::optional<Reply> ServerEngine::check_data(const CommandLine& cmd) const {
    if (cmd.has_space) return replies::syntax(replies::usage(Verb::Data));
    return std::nullopt;
}

void ServerEngine::proceed_data() {
    DataReader::Options opt;
    opt.mode = config_.leniency.line_ends;
    opt.max_octets = config_.max_message_octets;
    opt.accept_long_lines = config_.leniency.long_data_lines;
    opt.seven_bit = envelope_.params.body == BodyType::SevenBit;
    opt.fault_dot_line_ends = config_.faults.dot_line_ends_data;
    opt.fault_cr_ends_line = config_.faults.cr_ends_line;
    opt.fault_drop_nul = config_.faults.drop_nul;
    opt.fault_keep_bare_lf = config_.faults.store_bare_lf;
    data_.begin(opt);
    state_ = ServerState::Data;
    send(config_.faults.data_250 ? make_reply(250, "2.0.0", "Ok") : replies::data_go());
}

void ServerEngine::finish_data() {
    const DataProblems& p = data_.problems();
    if (p.eight_bit) violation("8-bit data in a message not sent with BODY=8BITMIME", "RFC 6152 §3");
    MessageEvent m;
    m.session = session_;
    m.wire_octets = data_.wire_octets();
    if (p.too_big) {
        m.reply = replies::size_exceeded();
    } else if (p.bare_cr || p.bare_lf) {
        violation("bare CR or LF in message data", "RFC 5321 §2.3.8");
        m.reply = replies::data_bare_line_end();
    } else if (p.nul) {
        violation("NUL octet in message data", "RFC 5321 §4.5.2");
        m.reply = replies::data_nul();
    } else if (p.long_line) {
        violation("message line longer than 1000 octets", "RFC 5321 §4.5.3.1.6");
        m.reply = replies::data_line_too_long();
    } else {
        std::string content = data_.take_content();
        if (config_.faults.keep_dot_stuffing) content = restuff(content);
        if (config_.faults.small_message_limit && content.size() > kFaultMessageOctets) {
            m.reply = replies::size_exceeded();
        } else if (config_.faults.short_text_line && has_line_over(content, kFaultTextLineOctets)) {
            m.reply = replies::data_line_too_long();
        } else {
            const Decision d = policy_.on_message(session_, envelope_, content);
            m.reply = finalize(d, PolicyStep::Message);
            m.accepted = m.reply.positive();
            if (m.accepted) {
                m.queue_id = d.queue_id;
                m.content = std::move(content);
            }
        }
    }
    m.envelope = std::move(envelope_);
    send(m.reply);
    events_.emplace_back(std::move(m));
    reset_transaction();
    state_ = ServerState::Ready;
    data_.take_content();  // free what a refused message left behind
}

// --- RSET NOOP VRFY HELP QUIT (§4.1.1.5–.10) ---

void ServerEngine::on_simple(const CommandLine& cmd) {
    switch (cmd.verb) {
        case Verb::Rset:
            if (cmd.has_space) return protocol_error(replies::syntax(replies::usage(Verb::Rset)));
            reset_transaction();
            if (state_ != ServerState::Connected) state_ = ServerState::Ready;
            return send(replies::ok());
        case Verb::Noop:  // §4.1.1.9: any argument is ignored
            if (config_.faults.noop_argument_501 && cmd.has_space) {
                return protocol_error(replies::syntax(replies::usage(Verb::Noop)));
            }
            return send(replies::ok());
        case Verb::Vrfy:
            if (config_.faults.vrfy_500) return protocol_error(replies::unknown_command());
            if (cmd.args.empty()) return protocol_error(replies::syntax(replies::usage(Verb::Vrfy)));
            if (config_.faults.vrfy_verifies_all) return send(make_reply(250, "2.1.5", std::string(cmd.args)));
            return send(finalize(policy_.on_vrfy(cmd.args), PolicyStep::Vrfy));
        case Verb::Help: {
            if (config_.faults.help_250) return send(make_reply(250, "2.0.0", "Commands: EHLO MAIL RCPT DATA QUIT"));
            if (!cmd.has_space) return send(replies::help());
            const Verb topic = lookup_verb(cmd.args);
            if (topic == Verb::Unknown || !implemented(topic)) return protocol_error(replies::help_topic_unknown());
            return send(replies::help_topic(topic));
        }
        case Verb::Quit:
            if (cmd.has_space) return protocol_error(replies::syntax(replies::usage(Verb::Quit)));
            send(replies::bye());
            if (config_.faults.quit_keeps_open) return;
            return request_close("QUIT");
        default:
            return protocol_error(replies::not_implemented());
    }
}

// --- STARTTLS (RFC 3207 §4, §4.2) ---

void ServerEngine::discard_before_tls(std::string_view in) {
    tls_discarded_ += in.size();
    // The fault keeps it, bounded, to read once TLS is up (CVE-2011-0411).
    if (config_.faults.starttls_injection_answered && tls_held_.size() + in.size() <= kMaxBufferedInput) tls_held_.append(in);
}

void ServerEngine::on_starttls(const CommandLine& cmd) {
    if (cmd.has_space && !config_.faults.starttls_ignores_argument) return protocol_error(replies::syntax("STARTTLS"));
    if (session_.tls) return protocol_error(replies::tls_active());
    if (config_.faults.starttls_refused) return send(replies::tls_unavailable());
    send(replies::starttls_ready());
    // §4.2: discard all knowledge from the client; it must send EHLO again.
    reset_transaction();
    if (!config_.faults.starttls_keeps_session) {
        session_ = SessionInfo{};
        state_ = ServerState::Connected;
    }
    tls_pending_ = true;
    events_.emplace_back(StartTlsEvent{});
}

// --- replies and events ---

void ServerEngine::send(Reply r) {
    if (!config_.extensions.enhanced_status_codes || config_.faults.no_enhanced_codes) r.enhanced.clear();
    ReplyEvent e;
    const std::size_t start = out_.size();
    append_reply(out_, r);
    if (config_.faults.multiline_space) {
        for (std::size_t i = start; i < out_.size();) {
            if (i + 3 < out_.size() && out_[i + 3] == '-') out_[i + 3] = ' ';
            const std::size_t lf = out_.find('\n', i);
            if (lf == std::string::npos) break;
            i = lf + 1;
        }
    }
    e.raw.assign(out_, start, std::string::npos);
    e.reply = std::move(r);
    events_.emplace_back(std::move(e));
}

// A refusal from a check: protocol errors (500–504, 555) count towards the
// error limit, refusals of what was asked (452, 552, 553, 554) do not.
void ServerEngine::refuse(Reply r) {
    const bool protocol = (r.code >= 500 && r.code <= 504) || r.code == 555;
    if (protocol) return protocol_error(std::move(r));
    send(std::move(r));
}

// A reply to a protocol error; after max_errors of them the session ends
// with 421 instead (Postfix's smtpd_hard_error_limit).
void ServerEngine::protocol_error(Reply r) {
    if (++errors_ >= config_.max_errors || config_.faults.close_on_error) {
        violation("too many protocol errors (" + std::to_string(errors_) + ")", "RFC 5321 §4.2.4");
        send(replies::closing_errors(config_.hostname));
        request_close("too many errors");
        return;
    }
    send(std::move(r));
}

void ServerEngine::violation(std::string what, std::string rfc) {
    events_.emplace_back(ViolationEvent{std::move(what), std::move(rfc)});
}

void ServerEngine::request_close(std::string reason) {
    state_ = ServerState::Closed;
    close_requested_ = true;
    deadline_.reset();
    events_.emplace_back(CloseEvent{true, std::move(reason)});
}

void ServerEngine::reset_transaction() {
    envelope_ = Envelope{};
    rcpt_attempts_ = 0;
}

// Checks a policy decision against what the step allows (policy.hpp) and
// fills in the defaults.
Reply ServerEngine::finalize(const Decision& d, PolicyStep step) {
    const int cls = d.code / 100;
    bool valid = valid_reply_code(d.code) && (cls == 4 || cls == 5);
    if (d.code == 250) valid = true;
    if (d.code == 251 && (step == PolicyStep::Rcpt || step == PolicyStep::Vrfy)) valid = true;
    if (d.code == 252 && step == PolicyStep::Vrfy) valid = true;
    if (!valid) {
        violation("policy returned " + std::to_string(d.code) + " at " + step_name(static_cast<int>(step)),
                  "RFC 5321 §4.3.2");
        return replies::local_error();
    }
    Reply r;
    r.code = d.code;
    r.enhanced = d.enhanced;
    if (!r.enhanced.empty() && !enhanced_matches(r.code, r.enhanced)) {
        violation("policy enhanced code " + r.enhanced + " does not match reply " + std::to_string(r.code),
                  "RFC 3463 §2");
        r.enhanced.clear();
    }
    if (r.enhanced.empty()) {
        if (cls != 2) {
            r.enhanced = std::to_string(cls) + ".0.0";
        } else {
            r.enhanced = step == PolicyStep::Mail ? "2.1.0" : step == PolicyStep::Rcpt ? "2.1.5" : "2.0.0";
        }
    }
    std::string text = d.text;
    if (text.empty()) {
        if (cls != 2) {
            text = "Error: requested action not taken";
        } else if (step == PolicyStep::Message && !d.queue_id.empty()) {
            text = "Ok: queued as " + d.queue_id;
        } else {
            text = "Ok";
        }
    }
    r.lines.push_back(std::move(text));
    return r;
}

}  // namespace postino::smtp
