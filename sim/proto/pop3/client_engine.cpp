// client_engine.cpp — the POP3 client state machine (RFC 1939 §3–7;
// RFC 2449 §5, §8; RFC 3206 §4).
#include "proto/pop3/client_engine.hpp"

#include <algorithm>

#include "core/md5.hpp"
#include "proto/pop3/command.hpp"
#include "proto/pop3/limits.hpp"
#include "proto/pop3/maildrop.hpp"

namespace postino::pop3 {
namespace {

// "<...>" in the greeting text (RFC 1939 §7: the APOP timestamp).
std::string find_timestamp(std::string_view text) {
    const std::size_t open = text.find('<');
    if (open == std::string_view::npos) return {};
    const std::size_t close = text.find('>', open);
    if (close == std::string_view::npos) return {};
    return std::string(text.substr(open, close - open + 1));
}

bool safe_argument(std::string_view s) {
    return !s.empty() && s.size() <= kMaxCommandOctets - 8 && std::all_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u < 0x7f;
    });
}

}  // namespace

ClientEngine::ClientEngine(ClientConfig config) : config_(std::move(config)) {}

void ClientEngine::start(Time now) {
    if (started_) return;
    started_ = true;
    now_ = now;
    waiting_ = ClientStep::Greeting;
    deadline_ = now + config_.timeout;
}

void ClientEngine::handle_bytes(Time now, std::string_view bytes) {
    now_ = now;
    if (!started_ || result_.finished) return;
    while (!bytes.empty() && !result_.finished) {
        if (tls_pending_) {
            // Octets after the +OK to STLS are not the server's inside TLS
            // (response injection): never read them.
            tls_discarded_ += bytes.size();
            return;
        }
        const ResponseParser::Step s = parser_.parse(bytes);
        bytes.remove_prefix(s.consumed);
        if (s.status == ResponseParser::Status::NeedMore) break;
        if (s.status == ResponseParser::Status::Error) {
            events_.emplace_back(ViolationEvent{describe(parser_.error()), rfc_section(parser_.error())});
            fail(ClientFailure::ProtocolError, std::string("unreadable response: ") + describe(parser_.error()));
            finish(true, "protocol error");
            return;
        }
        on_response();
        parser_.next();
    }
}

void ClientEngine::handle_closed(Time now) {
    now_ = now;
    if (!started_ || result_.finished) return;
    fail(ClientFailure::ConnectionLost, "connection lost");
    finish(false, std::string("connection lost at ") + to_string(waiting_));
}

void ClientEngine::handle_timeout(Time now) {
    now_ = now;
    if (!deadline_ || now < *deadline_ || result_.finished) return;
    fail(ClientFailure::Timeout, "no response within " + format_duration(config_.timeout));
    finish(true, std::string("timeout at ") + to_string(waiting_));
}

void ClientEngine::handle_tls_started(Time now) {
    now_ = now;
    if (!tls_pending_ || result_.finished) return;
    tls_pending_ = false;
    tls_active_ = true;
    if (tls_discarded_ != 0) {
        events_.emplace_back(ViolationEvent{std::to_string(tls_discarded_) +
                                                " octets received after the +OK to STLS, before the TLS handshake, "
                                                "were discarded (response injection)",
                                            "RFC 2595 §4"});
        tls_discarded_ = 0;
    }
    server_uidl_ = true;
    send(ClientStep::Capa, "CAPA", true);
}

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

// --- responses ---

void ClientEngine::on_response() {
    const Response r = parser_.response();
    ResponseEvent ev{r, parser_.raw_status(), parser_.raw_body(), parser_.has_body()};
    events_.emplace_back(std::move(ev));
    result_.steps.push_back(StepResult{waiting_, waiting_message_, r});
    switch (waiting_) {
        case ClientStep::Greeting:
            return on_greeting(r);
        case ClientStep::Capa: {
            bool stls = false;
            if (r.ok) {
                // RFC 2449 §5: one capability per line; UIDL is optional (§6.5 of RFC 1939 §7).
                const std::string& b = parser_.body();
                auto listed = [&](const std::string& cap) {
                    return b.find(cap + "\r\n") == 0 || b.find("\r\n" + cap + "\r\n") != std::string::npos;
                };
                server_uidl_ = listed("UIDL");
                stls = listed("STLS");
            }
            return after_capa(stls);
        }
        case ClientStep::Stls:
            if (r.ok) {
                // RFC 2595 §4: the handshake starts after the CRLF of this +OK.
                tls_pending_ = true;
                events_.emplace_back(StartTlsEvent{});
                return;
            }
            if (config_.stls == StartTls::Required) {
                fail(ClientFailure::TlsUnavailable, "STLS refused: " + r.text);
                return quit();
            }
            return login();
        case ClientStep::User:
            if (!r.ok) {
                fail(ClientFailure::LoginFailed, "USER refused: " + r.text);
                return quit();
            }
            return send(ClientStep::Pass, "PASS " + config_.password, false);
        case ClientStep::Pass:
        case ClientStep::Apop:
            if (!r.ok) {
                fail(r.code == "IN-USE" ? ClientFailure::InUse : ClientFailure::LoginFailed, r.text);
                return quit();
            }
            return send(ClientStep::Stat, "STAT", false);
        case ClientStep::Stat:
            return on_stat(r);
        case ClientStep::Uidl:
            return on_listing(r, true);
        case ClientStep::List:
            return on_listing(r, false);
        case ClientStep::Retr: {
            Listed& l = listed_[next_fetch_];
            if (!r.ok) {
                ++next_fetch_;
                return fetch_next();
            }
            FetchedMessage m;
            m.number = l.number;
            m.uidl = l.uidl;
            m.listed_octets = l.octets;
            m.content = parser_.body();
            if (m.content.size() != l.octets) {
                events_.emplace_back(ViolationEvent{"LIST said " + std::to_string(l.octets) + " octets, RETR sent " +
                                                        std::to_string(m.content.size()),
                                                    "RFC 1939 §5 (LIST), §10"});
            }
            events_.emplace_back(FetchedEvent{m.number, m.uidl, m.content});
            result_.messages.push_back(std::move(m));
            if (config_.mode == FetchMode::DownloadAndDelete) {
                return send(ClientStep::Dele, "DELE " + std::to_string(l.number), false, l.number);
            }
            ++next_fetch_;
            return fetch_next();
        }
        case ClientStep::Dele:
            if (r.ok && !result_.messages.empty()) result_.messages.back().deleted = true;
            ++next_fetch_;
            return fetch_next();
        case ClientStep::Quit:
            if (!r.ok && result_.failure == ClientFailure::None) fail(ClientFailure::UpdateFailed, r.text);
            return finish(true, "QUIT");
        case ClientStep::Done:
            return;
    }
}

void ClientEngine::on_greeting(const Response& r) {
    if (!r.ok) {
        fail(ClientFailure::ServerRefused, r.text);
        return finish(true, "server refused the session");
    }
    timestamp_ = find_timestamp(r.text);
    if (config_.use_capa) return send(ClientStep::Capa, "CAPA", true);
    // Without CAPA the client cannot know; a client that requires TLS tries STLS anyway.
    after_capa(config_.stls == StartTls::Required);
}

void ClientEngine::after_capa(bool stls_listed) {
    if (!tls_active_ && config_.stls != StartTls::Off) {
        if (stls_listed) return send(ClientStep::Stls, "STLS", false);
        if (config_.stls == StartTls::Required) {
            fail(ClientFailure::TlsUnavailable, "the server does not offer STLS");
            return quit();
        }
    }
    login();
}

void ClientEngine::login() {
    if (!safe_argument(config_.user) || config_.user.find(' ') != std::string::npos ||
        (!config_.use_apop && !safe_argument(config_.password))) {
        fail(ClientFailure::LocalError, "the user name or password cannot be sent in a POP3 command");
        return quit();
    }
    if (config_.use_apop) {
        if (timestamp_.empty()) {
            fail(ClientFailure::LocalError, "APOP asked for, but the greeting has no timestamp (RFC 1939 §7)");
            return quit();
        }
        return send(ClientStep::Apop, "APOP " + config_.user + " " + Md5::hex(timestamp_ + config_.password), false);
    }
    send(ClientStep::User, "USER " + config_.user, false);
}

void ClientEngine::on_stat(const Response& r) {
    if (!r.ok) {
        fail(ClientFailure::ProtocolError, "STAT refused: " + r.text);
        return quit();
    }
    const std::size_t sp = r.text.find(' ');
    const auto n = parse_count(r.text.substr(0, sp));
    const auto o = sp == std::string::npos ? std::nullopt : parse_count(r.text.substr(sp + 1, r.text.find(' ', sp + 1) - sp - 1));
    if (!n || !o) {
        events_.emplace_back(ViolationEvent{"STAT response is not \"+OK nn mm\"", "RFC 1939 §5"});
        fail(ClientFailure::ProtocolError, "unreadable STAT response");
        return quit();
    }
    result_.maildrop_count = static_cast<std::size_t>(*n);
    result_.maildrop_octets = *o;
    if (*n == 0) return quit();
    if (server_uidl_) return send(ClientStep::Uidl, "UIDL", true);
    send(ClientStep::List, "LIST", true);
}

void ClientEngine::on_listing(const Response& r, bool uidl) {
    if (uidl && !r.ok) {
        server_uidl_ = false;  // optional command (§7): fetch by number only
        return send(ClientStep::List, "LIST", true);
    }
    if (!r.ok) {
        fail(ClientFailure::ProtocolError, "LIST refused: " + r.text);
        return quit();
    }
    std::string_view body = parser_.body();
    std::vector<Listed> lines;
    while (!body.empty() && lines.size() < kMaxListLines) {
        const std::size_t eol = body.find("\r\n");
        const std::string_view line = body.substr(0, eol);
        body.remove_prefix(eol == std::string_view::npos ? body.size() : eol + 2);
        const std::size_t sp = line.find(' ');
        const auto n = parse_message_number(line.substr(0, sp));
        const std::string_view value = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
        Listed l;
        bool good = n.has_value();
        if (good) l.number = *n;
        if (uidl) {
            good = good && valid_uidl(value);
            l.uidl = std::string(value);
        } else {
            const auto o = parse_count(value);
            good = good && o.has_value();
            if (o) l.octets = *o;
        }
        if (!good) {
            events_.emplace_back(ViolationEvent{"malformed " + std::string(uidl ? "UIDL" : "LIST") + " line \"" +
                                                    std::string(line) + "\"",
                                                uidl ? "RFC 1939 §7" : "RFC 1939 §5"});
            continue;
        }
        lines.push_back(std::move(l));
    }
    if (uidl) {
        listed_ = std::move(lines);
        for (const auto& l : listed_) result_.server_uidls.push_back(l.uidl);
        return send(ClientStep::List, "LIST", true);
    }
    if (!server_uidl_) {
        listed_ = std::move(lines);
    } else {
        // Sizes from LIST, unique-ids from UIDL, joined by message number.
        for (auto& l : listed_) {
            auto it = std::find_if(lines.begin(), lines.end(), [&](const Listed& x) { return x.number == l.number; });
            if (it != lines.end()) l.octets = it->octets;
        }
    }
    if (config_.mode == FetchMode::LeaveOnServer) {
        std::erase_if(listed_, [&](const Listed& l) { return !l.uidl.empty() && config_.known_uidls.count(l.uidl) != 0; });
    }
    next_fetch_ = 0;
    fetch_next();
}

void ClientEngine::fetch_next() {
    if (next_fetch_ < listed_.size()) {
        const std::uint32_t n = listed_[next_fetch_].number;
        return send(ClientStep::Retr, "RETR " + std::to_string(n), true, n);
    }
    if (!config_.send_quit) {
        fail(ClientFailure::Dropped, "the client dropped the connection before QUIT");
        return finish(true, "dropped before QUIT");
    }
    quit();
}

void ClientEngine::send(ClientStep step, std::string line, bool multiline, std::uint32_t message) {
    waiting_ = step;
    waiting_message_ = message;
    parser_.expect_multiline(multiline);
    line += "\r\n";
    out_ += line;
    const auto sp = line.find(' ');
    std::string verb = line.substr(0, std::min(sp, line.size() - 2));
    events_.emplace_back(CommandEvent{std::move(verb), line, line.size()});
    deadline_ = now_ + config_.timeout;
}

void ClientEngine::quit() { send(ClientStep::Quit, "QUIT", false); }

void ClientEngine::fail(ClientFailure f, std::string detail) {
    if (result_.failure != ClientFailure::None) return;  // the first failure is the one that counts
    result_.failure = f;
    result_.failure_step = waiting_;
    result_.detail = std::move(detail);
}

void ClientEngine::finish(bool by_engine, std::string reason) {
    result_.finished = true;
    waiting_ = ClientStep::Done;
    deadline_.reset();
    if (by_engine) close_requested_ = true;
    events_.emplace_back(CloseEvent{by_engine, std::move(reason)});
}

}  // namespace postino::pop3
