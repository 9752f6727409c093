// runner.cpp — executes checks step by step (docs/conformance-format.md):
// connections opened on first use, lines and raw octets sent, replies read
// by the protocol's bounded reader and matched, variables bound and reused,
// capabilities probed once per protocol for `requires`.
#include "conformance/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cctype>
#include <memory>
#include <optional>
#include <regex>

#include "conformance/reader.hpp"

namespace postino::conformance {

std::size_t SuiteResult::count(Verdict v) const {
    return static_cast<std::size_t>(
        std::count_if(results.begin(), results.end(), [v](const CheckResult& r) { return r.verdict == v; }));
}

const char* to_string(TlsMode m) {
    switch (m) {
        case TlsMode::Never: return "never";
        case TlsMode::IfOffered: return "if-offered";
        case TlsMode::Required: return "required";
    }
    return "never";
}

bool selected(const Check& c, const std::vector<std::string>& only) {
    if (only.empty()) return true;
    return std::any_of(only.begin(), only.end(), [&](const std::string& o) {
        return c.id == o || (!c.item.empty() && c.item == o) || c.id.starts_with(o + ".");
    });
}

namespace {

std::string regex_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::string_view("\\^$.|?*+()[]{}/-").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// An IMAP quoted string (RFC 3501 §9): '"' and '\\' escaped.
std::string imap_quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string printable(std::string_view s, std::size_t max = 80) {
    std::string out;
    for (char c : s.substr(0, max)) {
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) out += '?';
        else out += c;
    }
    if (s.size() > max) out += "...";
    return out;
}

}  // namespace

Result<std::string> expand(std::string_view text, const std::map<std::string, std::string>& vars, bool for_regex) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto d = text.find("${", i);
        if (d == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, d - i));
        // The matching '}' (${repeat:N:TEXT} may nest).
        std::size_t close = d + 2;
        for (int depth = 1; close < text.size(); ++close) {
            if (text[close] == '{' && close > 0 && text[close - 1] == '$') ++depth;
            if (text[close] == '}' && --depth == 0) break;
        }
        if (close >= text.size()) return Error{"'${' without a closing '}'", std::string(text.substr(d, 20))};
        const std::string name(text.substr(d + 2, close - d - 2));
        std::string value;
        if (name.starts_with("repeat:")) {
            // ${repeat:N:TEXT}: TEXT N times (long lines for limit probes).
            const auto colon = name.find(':', 7);
            if (colon == std::string::npos) return Error{"write ${repeat:N:TEXT}", name};
            auto count = expand(name.substr(7, colon - 7), vars, false);
            if (!count) return count.error();
            const std::string& n = *count;
            if (n.empty() || n.size() > 7 || !std::all_of(n.begin(), n.end(), ::isdigit)) {
                return Error{"${repeat:N:TEXT} needs a number N below 10,000,000", name};
            }
            auto inner = expand(name.substr(colon + 1), vars, false);
            if (!inner) return inner.error();
            const std::string& unit = *inner;
            for (long k = std::stol(n); k > 0; --k) value += unit;
        } else {
            auto it = vars.find(name);
            if (it == vars.end()) return Error{"unknown variable ${" + name + "} (not given, and not bound by an earlier capture)", ""};
            value = it->second;
        }
        out += for_regex ? regex_escape(value) : value;
        i = close + 1;
    }
    return out;
}

namespace {

// How long the end of a check waits for the answer to its QUIT/LOGOUT (a bound of ours).
constexpr Duration kPoliteCloseWait = seconds(2);

constexpr auto kRegexFlags = std::regex::ECMAScript | std::regex::icase | std::regex::multiline;

struct Outcome {
    Verdict verdict = Verdict::Pass;  // Pass: go on
    std::string reason;
    std::string where;
};

// The keyword a server advertises when it can switch to TLS.
const char* tls_capability(Protocol p) { return p == Protocol::Pop3 ? "STLS" : "STARTTLS"; }

// Asks the server for TLS on `c` just after its greeting and runs the
// handshake: SMTP EHLO then STARTTLS (RFC 3207 §4), POP3 STLS (RFC 2595 §4),
// IMAP STARTTLS (RFC 3501 §6.2.1). `on_line` sees every line sent and read.
Result<TlsInfo> upgrade(Conn& c, Protocol p, Duration timeout, const TlsStart& how,
                        const std::function<void(const char*, std::string_view)>& on_line) {
    auto ask = [&](const std::string& line, const ReadSpec& spec) -> Result<Reply> {
        if (on_line) on_line("send", line);
        if (p == Protocol::Imap) c.note_sent(line);
        if (Status st = c.stream().send(line); !st) return st.error();
        return c.read_reply(spec, timeout, [&](std::string_view l) {
            if (on_line) on_line("recv", l);
        });
    };
    auto refused = [&](const char* what, const Reply& r) {
        return Error{std::string(what) + " was refused: '" + printable(r.lines.empty() ? "" : r.lines.back()) + "'",
                     c.stream().peer()};
    };
    if (p == Protocol::Smtp) {
        auto ehlo = ask("EHLO check.postino.test\r\n", {p, false, "", false});
        if (!ehlo) return ehlo.error();
        if (ehlo->code != 250) return refused("EHLO", *ehlo);
        auto go = ask("STARTTLS\r\n", {p, false, "", false});
        if (!go) return go.error();
        if (go->code != 220) return refused("STARTTLS", *go);
    } else if (p == Protocol::Pop3) {
        auto go = ask("STLS\r\n", {p, false, "", false});
        if (!go) return go.error();
        if (go->status != "+OK") return refused("STLS", *go);
    } else {
        auto go = ask("tls1 STARTTLS\r\n", {p, false, "tls1", false});
        if (!go) return go.error();
        if (go->status != "OK") return refused("STARTTLS", *go);
    }
    if (!c.unread().empty()) {
        return Error{"the server sent '" + printable(c.unread()) + "' in plaintext after its go-ahead to TLS",
                     c.stream().peer()};
    }
    return c.start_tls(how);
}

// What the server advertises, asked once per run (EHLO, CAPA, CAPABILITY).
// With --tls, capabilities are also asked inside TLS, where they may
// differ (RFC 3207 §4.2, RFC 2595 §4, RFC 3501 §6.2.1: the client must ask
// again): POP3 USER, SMTP AUTH, and no LOGINDISABLED once the session is private.
class Probe {
public:
    Probe(Transport& t, const RunOptions& o) : t_(t), o_(o) {}

    // The advertised capabilities (upper case), in plaintext or inside TLS,
    // or an Error when asking failed.
    Result<std::set<std::string>> caps(Protocol p, bool tls) {
        auto it = cache_.find({p, tls});
        if (it != cache_.end()) return it->second;
        auto r = ask(p, tls);
        cache_.emplace(std::make_pair(p, tls), r);
        return r;
    }

    // Whether the server advertises TLS before login (asking once).
    Result<bool> offers_tls(Protocol p) {
        auto c = caps(p, false);
        if (!c) return c.error();
        return c->count(tls_capability(p)) != 0;
    }

private:
    Result<std::set<std::string>> ask(Protocol p, bool tls) {
        auto s = t_.connect(p);
        if (!s) return s.error();
        Conn c(std::move(*s), 0, t_);
        std::set<std::string> caps;
        auto greet = c.read_reply({p, false, "", false}, o_.timeout, {});
        if (!greet) return greet.error();
        if (tls) {
            TlsStart how;
            how.protocol = p;
            if (auto up = upgrade(c, p, o_.timeout, how, {}); !up) return Error{"--tls: " + up.error().what, up.error().where};
        }
        auto words = [&](const std::string& line) {
            std::string w = line.substr(0, line.find(' '));
            if (!w.empty()) caps.insert(upper(w));
        };
        if (p == Protocol::Smtp) {
            (void)c.stream().send("EHLO check.postino.test\r\n");
            auto r = c.read_reply({p, false, "", false}, o_.timeout, {});
            if (!r) return r.error();
            for (std::size_t i = 1; i < r->lines.size(); ++i) words(r->lines[i].size() > 4 ? r->lines[i].substr(4) : "");
            (void)c.stream().send("QUIT\r\n");
        } else if (p == Protocol::Pop3) {
            if (greet->text().find('<') != std::string::npos) caps.insert("APOP");
            (void)c.stream().send("CAPA\r\n");
            auto r = c.read_reply({p, true, "", false}, o_.timeout, {});
            if (!r) return r.error();
            std::size_t from = 0;
            while (from < r->body.size()) {
                const auto end = r->body.find("\r\n", from);
                words(r->body.substr(from, end - from));
                from = end + 2;
            }
            (void)c.stream().send("QUIT\r\n");
        } else {
            auto capability = [&](const char* tag) -> Status {
                (void)c.stream().send(std::string(tag) + " CAPABILITY\r\n");
                auto r = c.read_reply({p, false, tag, false}, o_.timeout, {});
                if (!r) return r.error();
                for (const auto& u : r->untagged) {
                    if (!upper(u).starts_with("CAPABILITY ")) continue;
                    std::string rest = u.substr(11);
                    std::size_t from = 0;
                    while (from <= rest.size()) {
                        const auto sp = rest.find(' ', from);
                        const std::string w = rest.substr(from, sp == std::string::npos ? std::string::npos : sp - from);
                        if (!w.empty()) caps.insert(upper(w));
                        if (sp == std::string::npos) break;
                        from = sp + 1;
                    }
                }
                return {};
            };
            if (Status st = capability("p1"); !st) return st.error();
            // Many servers (Dovecot) list extensions such as MOVE or UIDPLUS
            // only after login (RFC 3501 §6.2.3 lets the list change): ask
            // again as the account of the URL, and take both lists.
            auto user = o_.vars.find("user"), pass = o_.vars.find("pass");
            const bool preauth = greet->status == "PREAUTH";
            if (preauth || (user != o_.vars.end() && pass != o_.vars.end() && !caps.count("LOGINDISABLED"))) {
                bool in = preauth;
                if (!in) {
                    (void)c.stream().send("p2 LOGIN " + imap_quoted(user->second) + " " + imap_quoted(pass->second) + "\r\n");
                    auto r = c.read_reply({p, false, "p2", false}, o_.timeout, {});
                    in = r && r->status == "OK";
                }
                if (in) {
                    if (Status st = capability("p3"); !st) return st.error();
                }
            }
            (void)c.stream().send("p4 LOGOUT\r\n");
        }
        c.stream().close();
        return caps;
    }

    Transport& t_;
    const RunOptions& o_;
    std::map<std::pair<Protocol, bool>, Result<std::set<std::string>>> cache_;
};


class CheckRun {
public:
    CheckRun(const Check& c, Transport& t, const RunOptions& o, trace::Recorder* trace, std::uint64_t& next_conn,
             std::map<std::string, std::string> vars, Probe& probe)
        : check_(c), transport_(t), options_(o), trace_(trace), next_conn_(next_conn), vars_(std::move(vars)),
          probe_(probe) {}

    ~CheckRun() {
        for (auto& [name, conn] : conns_) {
            if (!conn) continue;
            if (!conn->closed()) polite_close(*conn);
            conn->stream().close();
            emit_tcp(*conn, "closed");
        }
    }

    Outcome run() {
        for (const Step& s : check_.steps) {
            Outcome o = step(s);
            if (o.verdict != Verdict::Pass) return o;
        }
        if (!policy_notes_.empty()) {
            std::string all;
            for (const auto& n : policy_notes_) all += (all.empty() ? "" : "; ") + n;
            return {Verdict::Policy, all, policy_where_};
        }
        return {};
    }

private:
    // Ends a session the check left open the way a client would (QUIT,
    // LOGOUT) and waits briefly for the server's answer, so the next check
    // does not find a POP3 maildrop still locked (RFC 1939 §8: [IN-USE]).
    void polite_close(Conn& c) {
        const Protocol p = protos_[c.id()];
        const std::string bye = p == Protocol::Imap ? "zz LOGOUT\r\n" : "QUIT\r\n";
        emit_line(c, "send", bye);
        if (!c.stream().send(bye)) return;
        const Duration bound = std::min(options_.timeout, kPoliteCloseWait);
        const ReadSpec spec{p, false, p == Protocol::Imap ? "zz" : "", false};
        (void)c.read_reply(spec, bound, [&](std::string_view l) { emit_line(c, "recv", l); });
    }

    Outcome fail(const Step& s, std::optional<Level> level, std::string why) const {
        const Level l = level.value_or(check_.level);
        return {l == Level::Must ? Verdict::Fail : Verdict::Warn, std::move(why), s.where};
    }
    static Outcome error(const Step& s, std::string why) { return {Verdict::Error, std::move(why), s.where}; }

    Protocol protocol_of(const std::string& name) const {
        for (const auto& c : check_.connections) {
            if (c.name == name) return c.protocol;
        }
        return Protocol::Smtp;
    }

    // The connection `name`, opened on first use; nullptr and `out` set when it cannot be.
    Conn* conn(const Step& s, Outcome& out) {
        auto it = conns_.find(s.conn);
        if (it != conns_.end()) {
            if (!it->second) out = error(s, "connection '" + s.conn + "' could not be opened");
            return it->second.get();
        }
        const Protocol p = protocol_of(s.conn);
        if (!transport_.available(p)) {
            out = {Verdict::Skip, std::string("needs a ") + to_string(p) + " endpoint (give --" + to_string(p) + " URL)", s.where};
            conns_[s.conn] = nullptr;
            return nullptr;
        }
        auto stream = transport_.connect(p);
        if (!stream) {
            out = error(s, "cannot connect: " + stream.error().message());
            conns_[s.conn] = nullptr;
            return nullptr;
        }
        auto c = std::make_unique<Conn>(std::move(*stream), next_conn_++, transport_);
        protos_[c->id()] = p;
        emit_tcp(*c, "established");
        Conn* raw = c.get();
        conns_[s.conn] = std::move(c);
        return raw;
    }

    void emit_tcp(Conn& c, const char* ev) {
        if (!trace_) return;
        trace_->emit(trace::Event("tcp", "postino-check", c.stream().peer(), c.id()).set("ev", ev));
    }
    void emit_line(Conn& c, const char* dir, std::string_view bytes) {
        if (!trace_ || bytes.empty()) return;
        trace::Event e("line", "postino-check", c.stream().peer(), c.id());
        e.set("proto", to_string(protos_[c.id()])).set("dir", dir).set_bytes("bytes", bytes);
        if (c.tls()) e.set("tls", true);  // carried inside TLS (docs/trace-format.md)
        trace_->emit(std::move(e));
    }
    // The TLS switch, unless the stream traced it itself (the builtin's records).
    void emit_tls(Conn& c, const Result<TlsInfo>& r) {
        if (!trace_ || (r && r->traced)) return;
        trace::Event e("tls", "postino-check", c.stream().peer(), c.id());
        e.set("ev", r ? "established" : "failed").set("proto", to_string(protos_[c.id()]));
        if (r) {
            e.set("version", r->version).set("cipher", r->cipher);
        } else {
            e.set("reason", r.error().what);
        }
        trace_->emit(std::move(e));
    }
    TlsStart tls_start(Conn& c) {
        TlsStart how;
        how.protocol = protos_[c.id()];
        how.trace = trace_;
        how.conn = c.id();
        return how;
    }

    // The starttls step: the server has just said yes to STARTTLS/STLS.
    Outcome starttls(const Step& s, Conn& c) {
        if (c.tls()) return error(s, "the connection is already in TLS");
        if (!c.unread().empty()) {
            const std::string sent(c.unread());
            emit_line(c, "recv", sent);
            return fail(s, std::nullopt, "the server sent '" + printable(sent) +
                                             "' in plaintext after its go-ahead, where only the TLS handshake may follow");
        }
        if (c.closed()) return fail(s, std::nullopt, "the server closed the connection instead of starting TLS");
        auto r = c.start_tls(tls_start(c));
        emit_tls(c, r);
        if (!r) {
            emit_tcp(c, "closed");
            if (!s.tls_failure_policy.empty() && !is_certificate_failure(r.error())) {
                return {Verdict::Policy, s.tls_failure_policy + " (" + r.error().what + ")", s.where};
            }
            return error(s, r.error().what);
        }
        return {};
    }

    // --tls: switches a connection to TLS right after its greeting, when the
    // check does not test STARTTLS itself and the server offers it.
    Outcome auto_tls(const Step& s, Conn& c, const Reply& greeting) {
        const Protocol p = protos_[c.id()];
        const bool positive = p == Protocol::Smtp ? greeting.code == 220
                              : p == Protocol::Pop3 ? greeting.status == "+OK"
                                                    : greeting.status == "OK";
        if (!positive || c.tls() || c.closed()) return {};
        auto offered = probe_.offers_tls(p);
        if (!offered) return error(s, "--tls: cannot ask for the capabilities: " + offered.error().message());
        if (!*offered) {
            if (options_.tls == TlsMode::IfOffered) return {};
            return error(s, std::string("--tls required: the server does not advertise ") + tls_capability(p));
        }
        auto r = upgrade(c, p, options_.timeout, tls_start(c), [&](const char* dir, std::string_view l) { emit_line(c, dir, l); });
        emit_tls(c, r);
        if (!r) return error(s, "--tls: " + r.error().what);
        return {};
    }

    Outcome send(const Step& s, Conn& c, const std::string& bytes) {
        if (c.closed()) return fail(s, std::nullopt, "the server had closed the connection before this command");
        // One trace line per protocol line of the write.
        std::size_t from = 0;
        while (from < bytes.size()) {
            auto lf = bytes.find('\n', from);
            const std::size_t end = lf == std::string::npos ? bytes.size() : lf + 1;
            emit_line(c, "send", std::string_view(bytes).substr(from, end - from));
            from = end;
        }
        if (protos_[c.id()] == Protocol::Imap) c.note_sent(bytes);
        if (!greeted_.count(c.id())) sent_early_.insert(c.id());
        if (Status st = c.stream().send(bytes); !st) {
            // A server that closed may be right to (the expect step says); note it for the next read.
            return error(s, "send failed: " + st.error().message());
        }
        return {};
    }

    Outcome step(const Step& s) {
        if (s.kind == StepKind::Repeat) {
            for (int i = 1; i <= s.times; ++i) {
                vars_["i"] = std::to_string(i);
                for (const Step& sub : s.steps) {
                    Outcome o = step(sub);
                    if (o.verdict != Verdict::Pass) return o;
                }
            }
            return {};
        }
        Outcome out;
        Conn* c = conn(s, out);
        if (c == nullptr) return out;
        switch (s.kind) {
            case StepKind::Send: {
                std::string bytes;
                for (const auto& l : s.lines) {
                    auto x = expand(l, vars_, false);
                    if (!x) return error(s, x.error().message());
                    bytes += *x + "\r\n";
                }
                return send(s, *c, bytes);
            }
            case StepKind::Raw: {
                auto x = expand(s.bytes, vars_, false);
                if (!x) return error(s, x.error().message());
                return send(s, *c, *x);
            }
            case StepKind::Literal: return literal(s, *c);
            case StepKind::Expect: return expect(s, *c);
            case StepKind::Silence: {
                bool closed = false;
                const std::string got = c->read_for(s.duration, closed);
                for (std::size_t from = 0; from < got.size();) {
                    auto lf = got.find('\n', from);
                    const std::size_t end = lf == std::string::npos ? got.size() : lf + 1;
                    emit_line(*c, "recv", std::string_view(got).substr(from, end - from));
                    from = end;
                }
                if (!got.empty()) {
                    return fail(s, std::nullopt, "the server sent '" + printable(got) + "' where it must stay silent");
                }
                if (closed) return fail(s, std::nullopt, "the server closed the connection while the client was silent");
                return {};
            }
            case StepKind::Wait: c->stream().pause(s.delivery_wait ? options_.delivery_wait : s.duration); return {};
            case StepKind::Close:
                c->stream().close();
                emit_tcp(*c, "closed");
                return {};
            case StepKind::StartTls: return starttls(s, *c);
            case StepKind::Repeat: break;
        }
        return {};
    }

    Outcome literal(const Step& s, Conn& c) {
        auto prefix = expand(s.prefix, vars_, false);
        auto bytes = expand(s.bytes, vars_, false);
        auto suffix = expand(s.suffix, vars_, false);
        if (!prefix || !bytes || !suffix) return error(s, "bad variable in the literal");
        const std::string head = *prefix + " {" + std::to_string(bytes->size()) + (s.sync_literal ? "}" : "+}") + "\r\n";
        if (!s.sync_literal) return send(s, c, head + *bytes + *suffix + "\r\n");
        if (Outcome o = send(s, c, head); o.verdict != Verdict::Pass) return o;
        ReadSpec spec{Protocol::Imap, false, "", true};
        auto r = c.read_reply(spec, options_.timeout, [&](std::string_view l) { emit_line(c, "recv", l); });
        if (!r) return error(s, r.error().message());
        if (!r->continuation) {
            // A refusal (tagged NO/BAD) instead of "+": the suite's next expect sees it.
            last_refusal_ = *r;
            return {};
        }
        return send(s, c, *bytes + *suffix + "\r\n");
    }

    // Why `r` does not satisfy `m`; nullopt when it does.
    std::optional<std::string> mismatch(const Reply& r, const Match& m, Protocol p) {
        if (r.empty() && r.closed && !m.closed) return "the server closed the connection without a reply";
        if (!r.problems.empty()) return r.problems.front();
        if (!m.codes.empty()) {
            const std::string code = std::to_string(r.code);
            const bool ok = std::any_of(m.codes.begin(), m.codes.end(), [&](const std::string& want) {
                for (std::size_t i = 0; i < 3; ++i) {
                    if (want[i] != 'x' && want[i] != code[i]) return false;
                }
                return true;
            });
            if (!ok) {
                std::string want;
                for (const auto& w : m.codes) want += (want.empty() ? "" : " or ") + w;
                return "expected " + want + ", got '" + printable(r.lines.empty() ? "" : r.lines.front()) + "'";
            }
        }
        if (m.multiline && p == Protocol::Smtp && (r.lines.size() > 1) != *m.multiline) {
            return *m.multiline ? "expected a multi-line reply, got one line: '" + printable(r.lines.front()) + "'"
                                : "expected a one-line reply, got " + std::to_string(r.lines.size()) + " lines";
        }
        if (m.max_line) {
            for (std::size_t i = 0; i < r.octets.size(); ++i) {
                if (r.octets[i] > *m.max_line) {
                    return "line " + std::to_string(i + 1) + " is " + std::to_string(r.octets[i]) + " octets (at most " +
                           std::to_string(*m.max_line) + ")";
                }
            }
        }
        if (m.enhanced && *m.enhanced && p == Protocol::Smtp) {
            static const std::regex kEnh(R"(^[245]\.[0-9]{1,3}\.[0-9]{1,3}( |$))");
            for (std::size_t i = 0; i < r.lines.size(); ++i) {
                const std::string rest = r.lines[i].size() > 4 ? r.lines[i].substr(4) : "";
                if (!std::regex_search(rest, kEnh)) {
                    return "line " + std::to_string(i + 1) + " has no enhanced status code: '" + printable(r.lines[i]) + "'";
                }
                if (rest[0] != std::to_string(r.code)[0]) {
                    return "enhanced code class " + rest.substr(0, 1) + " differs from the reply's " + std::to_string(r.code / 100);
                }
            }
        }
        if (!m.status.empty() && std::find(m.status.begin(), m.status.end(), r.status) == m.status.end()) {
            std::string want;
            for (const auto& w : m.status) want += (want.empty() ? "" : " or ") + w;
            return "expected " + want + ", got '" + printable(r.tagged.empty() && !r.lines.empty() ? r.lines.back() : r.tagged) + "'";
        }
        if (m.continuation && !r.continuation) {
            return "expected a continuation request '+', got '" + printable(r.lines.empty() ? "" : r.lines.back()) + "'";
        }
        const std::string text = r.text();
        for (const auto& pat : m.text) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            if (!std::regex_search(text, *re)) return "reply '" + printable(text, 120) + "' does not match /" + pat.source + "/";
        }
        for (const auto& pat : m.not_text) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            if (std::regex_search(text, *re)) return "reply '" + printable(text, 120) + "' matches /" + pat.source + "/";
        }
        for (const auto& pat : m.body) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            if (!std::regex_search(r.body, *re)) return "body '" + printable(r.body, 120) + "' does not match /" + pat.source + "/";
        }
        for (const auto& pat : m.not_body) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            if (std::regex_search(r.body, *re)) return "body '" + printable(r.body, 120) + "' matches /" + pat.source + "/";
        }
        if (!m.body_octets.empty()) {
            auto want = expand(m.body_octets, vars_, false);
            if (!want) return want.error().message();
            if (std::to_string(r.body.size()) != *want) {
                return "the body has " + std::to_string(r.body.size()) + " octets, not " + *want;
            }
        }
        std::vector<bool> claimed(r.untagged.size(), false);
        for (const auto& pat : m.must) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            bool found = false;
            for (std::size_t i = 0; i < r.untagged.size(); ++i) {
                if (std::regex_search(r.untagged[i], *re)) found = claimed[i] = true;
            }
            if (!found) return "no untagged line matches /" + pat.source + "/";
        }
        for (const auto& pat : m.must_not) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            for (const auto& u : r.untagged) {
                if (std::regex_search(u, *re)) return "untagged line '* " + printable(u) + "' must not appear";
            }
        }
        for (const auto& pat : m.may) {
            auto re = regex(pat);
            if (!re) return re.error().message();
            for (std::size_t i = 0; i < r.untagged.size(); ++i) {
                if (std::regex_search(r.untagged[i], *re)) claimed[i] = true;
            }
        }
        if (m.no_extra) {
            for (std::size_t i = 0; i < r.untagged.size(); ++i) {
                if (!claimed[i]) return "unexpected untagged line '* " + printable(r.untagged[i]) + "'";
            }
        }
        return std::nullopt;
    }

    Result<std::regex> regex(const Pattern& p) {
        auto src = expand(p.source, vars_, true);
        if (!src) return Error{src.error().what, p.where};
        try {
            return std::regex(*src, kRegexFlags);
        } catch (const std::regex_error& e) {
            return Error{std::string("bad regular expression after expansion: ") + e.what(), p.where};
        }
    }

    Outcome expect(const Step& s, Conn& c) {
        const Expect& e = s.expect;
        const Match& m = e.match;
        const Protocol p = protos_[c.id()];
        Reply r;
        const bool wants_reply = !(m.closed && m.codes.empty() && m.status.empty() && m.text.empty());
        if (last_refusal_ && p == Protocol::Imap) {
            r = std::move(*last_refusal_);
            last_refusal_.reset();
        } else if (wants_reply) {
            ReadSpec spec{p, m.multiline.value_or(false), m.tag, m.continuation};
            if (p == Protocol::Imap && !m.tag.empty()) {
                auto t = expand(m.tag, vars_, false);
                if (!t) return error(s, t.error().message());
                spec.imap_tag = *t;
            }
            auto got = c.read_reply(spec, options_.timeout, [&](std::string_view l) { emit_line(c, "recv", l); });
            if (!got) {
                if (m.closed && c.closed()) {
                    r.closed = true;
                } else if (e.must_answer && got.error().what == kNoReplyInTime) {
                    r.problems.push_back("no reply within " + format_duration(options_.timeout) +
                                         " (the server must answer here)");
                } else {
                    return error(s, got.error().message());
                }
            } else {
                r = std::move(*got);
            }
        }
        if (m.closed && !r.closed) {
            auto rest = c.wait_close(options_.timeout);
            if (!rest) {
                r.problems.push_back(rest.error().what);
            } else if (!rest->empty()) {
                emit_line(c, "recv", *rest);
                r.problems.push_back("the server sent '" + printable(*rest) + "' instead of closing the connection");
            } else {
                r.closed = true;
            }
            if (r.closed) emit_tcp(c, "eof");
        }
        if (e.skip_unless) {
            auto re = regex(*e.skip_unless);
            if (!re) return error(s, re.error().message());
            if (!std::regex_search(r.text(), *re)) {
                return {Verdict::Skip, "not offered (reply does not match /" + e.skip_unless->source + "/)", s.where};
            }
        }
        auto why = mismatch(r, m, p);
        if (why) {
            for (const auto& alt : e.policy) {
                if (!mismatch(r, alt.match, p)) {
                    policy_notes_.push_back(alt.note);
                    if (policy_where_.empty()) policy_where_ = s.where;
                    why.reset();
                    break;
                }
            }
        }
        if (why) return fail(s, e.level, (e.note.empty() ? "" : e.note + ": ") + *why);
        for (const auto& cap : e.captures) {
            auto re = regex(cap.pattern);
            if (!re) return error(s, re.error().message());
            std::smatch sm;
            const std::string subject = cap.from_body ? r.body : r.text();
            if (!std::regex_search(subject, sm, *re)) {
                return fail(s, e.level, "cannot bind ${" + cap.var + "}: /" + cap.pattern.source + "/ does not match '" +
                                            printable(subject, 120) + "'");
            }
            vars_[cap.var] = sm.size() > 1 ? sm[1].str() : sm[0].str();
        }
        // A dialogue that wrote before reading the greeting (pipelining probes) stays as written.
        if (greeted_.insert(c.id()).second && options_.tls != TlsMode::Never && !check_.plaintext && !sent_early_.count(c.id())) {
            return auto_tls(s, c, r);
        }
        return {};
    }

    const Check& check_;
    Transport& transport_;
    const RunOptions& options_;
    trace::Recorder* trace_;
    std::uint64_t& next_conn_;
    std::map<std::string, std::string> vars_;
    std::map<std::string, std::unique_ptr<Conn>> conns_;
    std::map<std::uint64_t, Protocol> protos_;
    std::vector<std::string> policy_notes_;
    std::string policy_where_;
    std::optional<Reply> last_refusal_;
    Probe& probe_;
    std::set<std::uint64_t> greeted_;     // connections whose first reply (the greeting) was read
    std::set<std::uint64_t> sent_early_;  // connections written to before their greeting was read
};

}  // namespace

SuiteResult run_suite(const Suite& suite, Transport& transport, const RunOptions& options, trace::Recorder* trace) {
    SuiteResult out;
    out.suite = suite.name;
    out.title = suite.title;
    out.target = options.target;
    const Time start = transport.now();
    const auto wall0 = std::chrono::steady_clock::now();  // for people only; traces use transport time
    out.virtual_time = transport.virtual_time();
    Probe probe(transport, options);
    std::uint64_t next_conn = 1;
    for (const Check& c : suite.checks) {
        if (!selected(c, options.only)) continue;
        CheckResult res;
        res.check = &c;
        res.where = c.where;
        const Time t0 = transport.now();
        if (trace) trace->emit(trace::Event("note", "postino-check").set("text", "check " + c.id + ": " + c.title + " (" + c.ref + ")"));
        if (c.writes && !options.allow_writes) {
            res.verdict = Verdict::Skip;
            res.reason = "changes the server's mail (run with --allow-writes)";
        } else if (c.slow && !options.run_slow) {
            res.verdict = Verdict::Skip;
            res.reason = "waits minutes (run with --slow)";
        } else {
            std::string missing;
            // A check that will run inside TLS sees what the server advertises there.
            bool in_tls = false;
            if (options.tls != TlsMode::Never && !c.plaintext && !c.requires_caps.empty()) {
                auto offered = probe.offers_tls(suite.protocol);
                in_tls = offered && *offered;
            }
            for (const auto& cap : c.requires_caps) {
                // Inside TLS: advertised in plaintext (STARTTLS itself) or inside TLS (POP3 USER, SMTP AUTH).
                auto caps = probe.caps(suite.protocol, false);
                auto inside = in_tls ? probe.caps(suite.protocol, true) : caps;
                if (!caps || !inside) {
                    res.verdict = Verdict::Error;
                    res.reason = "cannot ask for the capabilities: " + (caps ? inside : caps).error().message();
                    break;
                }
                if (!caps->count(upper(cap)) && !inside->count(upper(cap))) missing += (missing.empty() ? "" : ", ") + cap;
            }
            if (res.verdict == Verdict::Error) {
            } else if (!missing.empty()) {
                res.verdict = Verdict::Skip;
                res.reason = "not advertised: " + missing;
            } else {
                Outcome o;
                {
                    CheckRun run(c, transport, options, trace, next_conn, options.vars, probe);
                    o = run.run();
                }
                res.verdict = o.verdict;
                res.reason = o.reason;
                if (!o.where.empty()) res.where = o.where;
            }
        }
        res.elapsed = transport.now() - t0;
        if (trace) {
            trace->emit(trace::Event("note", "postino-check")
                            .set("text", c.id + ": " + to_string(res.verdict) + (res.reason.empty() ? "" : " — " + res.reason)));
        }
        out.results.push_back(std::move(res));
    }
    out.elapsed = transport.now() - start;
    out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    return out;
}

}  // namespace postino::conformance
