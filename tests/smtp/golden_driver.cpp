// golden_driver.cpp — the transcript runner behind golden_test.cpp.
#include "smtp/golden_driver.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <type_traits>

#include "core/rng.hpp"
#include "core/trace_schema.hpp"
#include "proto/smtp/client_engine.hpp"
#include "proto/smtp/path.hpp"
#include "proto/smtp/reply_parser.hpp"
#include "proto/smtp/server_engine.hpp"
#include "proto/smtp/trace_line.hpp"
#include "smtp/scripted_policy.hpp"

namespace postino::smtp::testing {
namespace {

using Kind = TranscriptStep::Kind;

// The bound every engine's buffered_octets() must respect in these runs.
constexpr std::size_t kBufferBound = 2 * 1024 * 1024;

bool on_off(const std::string& v) { return v == "on" || v == "yes" || v == "true"; }

Result<std::uint64_t> number(const std::string& v) {
    if (v.empty() || v.find_first_not_of("0123456789") != std::string::npos) return Error{"not a number: " + v, ""};
    return static_cast<std::uint64_t>(std::stoull(v));
}

Status apply_server_setting(ServerConfig& c, const std::string& k, const std::string& v) {
    auto num = [&](auto& field) -> Status {
        Result<std::uint64_t> n = number(v);
        if (!n) return n.error();
        field = static_cast<std::remove_reference_t<decltype(field)>>(*n);
        return {};
    };
    if (k == "hostname")
        c.hostname = v;
    else if (k == "banner")
        c.banner = v;
    else if (k == "max-message-size")
        return num(c.max_message_octets);
    else if (k == "max-recipients")
        return num(c.max_recipients);
    else if (k == "max-errors")
        return num(c.max_errors);
    else if (k == "timeout") {
        Result<Duration> d = parse_duration(v);
        if (!d) return d.error();
        c.timeout = *d;
    } else if (k == "pipelining")
        c.extensions.pipelining = on_off(v);
    else if (k == "size")
        c.extensions.size = on_off(v);
    else if (k == "8bitmime")
        c.extensions.eightbitmime = on_off(v);
    else if (k == "enhanced-status-codes")
        c.extensions.enhanced_status_codes = on_off(v);
    else if (k == "smtputf8")
        c.extensions.smtputf8 = on_off(v);
    else if (k == "auth")  // "plain" or "off"
        c.auth.plain = v == "plain";
    else if (k == "auth-required")
        c.auth.required = on_off(v);
    else if (k == "auth-plaintext")
        c.auth.allow_plaintext = on_off(v);
    else if (k == "help")
        c.extensions.help = on_off(v);
    else if (k == "line-ends") {
        if (v == "strict")
            c.leniency.line_ends = LineEndMode::Strict;
        else if (v == "normalize")
            c.leniency.line_ends = LineEndMode::Normalize;
        else if (v == "lf-ends-line")
            c.leniency.line_ends = LineEndMode::LfEndsLine;
        else
            return Error{"line-ends is strict, normalize or lf-ends-line", ""};
    } else if (k == "space-after-colon")
        c.leniency.space_after_colon = on_off(v);
    else if (k == "missing-brackets")
        c.leniency.missing_brackets = on_off(v);
    else if (k == "long-data-lines")
        c.leniency.long_data_lines = on_off(v);
    else if (k == "starttls")
        c.tls.offered = on_off(v);
    else if (k == "require-tls")
        c.tls.required = on_off(v);
    else
        return Error{"unknown server setting " + k, ""};
    return {};
}

Status apply_client_setting(ClientConfig& c, const std::string& k, const std::string& v) {
    if (k == "helo-name") {
        c.helo_name = v;
        return {};
    }
    if (k == "use-ehlo") {
        c.use_ehlo = on_off(v);
        return {};
    }
    if (k == "use-pipelining") {
        c.use_pipelining = on_off(v);
        return {};
    }
    if (k == "starttls") {
        if (v == "off")
            c.starttls = StartTls::Off;
        else if (v == "when-offered")
            c.starttls = StartTls::WhenOffered;
        else if (v == "required")
            c.starttls = StartTls::Required;
        else
            return Error{"starttls is off, when-offered or required", ""};
        return {};
    }
    Result<Duration> d = parse_duration(v);
    if (!d) return d.error();
    if (k == "timeout-greeting")
        c.timeouts.greeting = *d;
    else if (k == "timeout-mail")
        c.timeouts.mail = *d;
    else if (k == "timeout-rcpt")
        c.timeouts.rcpt = *d;
    else if (k == "timeout-data")
        c.timeouts.data_initiation = *d;
    else if (k == "timeout-data-end")
        c.timeouts.data_termination = *d;
    else if (k == "timeout-other")
        c.timeouts.other = *d;
    else
        return Error{"unknown client setting " + k, ""};
    return {};
}

// "from=<a@b> to=<c@d>,<e@f>" → a Transaction.
Result<Transaction> parse_txn(const TranscriptTxn& spec) {
    Transaction t;
    std::string_view s = spec.spec;
    if (s.substr(0, 5) != "from=") return Error{"@txn must start with from=<...>", std::to_string(spec.line)};
    s.remove_prefix(5);
    PathOptions opt;
    opt.allow_utf8 = true;
    PathParse from = parse_reverse_path(s, opt);
    // Invalid addresses are allowed on purpose (the client must refuse them):
    // take the text between the brackets as it is.
    const std::size_t close = s.find('>');
    if (close == std::string_view::npos) return Error{"@txn from=<...> is not closed", std::to_string(spec.line)};
    if (from.error == PathError::None) {
        t.sender = from.path.mailbox;
    } else {
        const std::string_view inner = s.substr(1, close - 1);
        const std::size_t at = inner.rfind('@');
        t.sender.local = std::string(inner.substr(0, at));
        if (at != std::string_view::npos) t.sender.domain = std::string(inner.substr(at + 1));
    }
    s.remove_prefix(close + 1);
    if (s.substr(0, 4) != " to=") return Error{"@txn needs to=<...>", std::to_string(spec.line)};
    s.remove_prefix(4);
    while (!s.empty()) {
        const std::size_t end = s.find('>');
        if (s.front() != '<' || end == std::string_view::npos) return Error{"bad to= list", std::to_string(spec.line)};
        const std::string_view inner = s.substr(1, end - 1);
        const std::size_t at = inner.rfind('@');
        mail::Mailbox m;
        m.local = std::string(inner.substr(0, at));
        if (at != std::string_view::npos) m.domain = std::string(inner.substr(at + 1));
        t.recipients.push_back(std::move(m));
        s.remove_prefix(end + 1);
        if (!s.empty() && s.front() == ',') s.remove_prefix(1);
    }
    t.content = spec.content;
    return t;
}

std::string envelope_text(const Envelope& e) {
    std::string s = "from=" + format_path(e.sender) + " to=";
    for (std::size_t i = 0; i < e.recipients.size(); ++i) {
        if (i != 0) s += ",";
        s += format_path(e.recipients[i]);
    }
    return s;
}

// One engine of either role behind one interface.
class Harness {
public:
    virtual ~Harness() = default;
    virtual void start(Time now) = 0;
    virtual void feed(Time now, std::string_view bytes) = 0;
    virtual void closed(Time now) = 0;
    virtual void timeout(Time now) = 0;
    virtual void tls_started(Time now) = 0;
    virtual std::optional<Time> deadline() const = 0;
    virtual bool close_requested() const = 0;
    virtual std::size_t buffered() const = 0;
    virtual void collect(RunResult& r) = 0;  // drain output and events
    virtual void finish(RunResult& r) = 0;   // end-of-run results
    // StartTlsEvents seen and not yet matched by an @tls step.
    int tls_requests = 0;
};

// Checks shared by both roles on every event.
class EventChecks {
public:
    explicit EventChecks(Role role) : role_(role) {}
    void check(const Event& ev, RunResult& r, int& tls_requests) {
        if (std::holds_alternative<StartTlsEvent>(ev)) ++tls_requests;
        for (const auto& te : trace_events(ev, role_, "engine", "peer", 1)) {
            const std::string why = trace::validate(te);
            if (!why.empty()) r.problems.push_back("trace event invalid: " + why);
        }
    }

private:
    Role role_;
};

class ServerHarness : public Harness {
public:
    ServerHarness(ServerConfig cfg, std::unique_ptr<ScriptedPolicy> policy)
        : policy_(std::move(policy)), engine_(std::move(cfg), *policy_), checks_(Role::Server) {}
    void start(Time now) override { engine_.start(now); }
    void feed(Time now, std::string_view b) override { engine_.handle_bytes(now, b); }
    void closed(Time now) override { engine_.handle_closed(now); }
    void timeout(Time now) override { engine_.handle_timeout(now); }
    void tls_started(Time now) override { engine_.handle_tls_started(now); }
    std::optional<Time> deadline() const override { return engine_.next_deadline(); }
    bool close_requested() const override { return engine_.close_requested(); }
    std::size_t buffered() const override { return engine_.buffered_octets(); }

    void collect(RunResult& r) override {
        // Events first: poll_event() may release paused input, whose replies
        // then show up in poll_output().
        while (true) {
            bool any = false;
            while (auto ev = engine_.poll_event()) {
                any = true;
                on_event(*ev, r);
            }
            std::string out = engine_.poll_output();
            if (!out.empty()) any = true;
            r.output += out;
            if (!any) break;
        }
    }
    void finish(RunResult& r) override {
        // The whole output must read as replies, and (S25) every 2xx/4xx/5xx
        // but the greeting and the EHLO/HELO replies must carry an enhanced code.
        ReplyParser p;
        std::string_view out = r.output;
        while (!out.empty()) {
            const auto step = p.parse(out);
            out.remove_prefix(step.consumed);
            if (step.status == ReplyParser::Status::Error) {
                r.problems.push_back(std::string("server output is not a reply: ") + describe(p.error()));
                break;
            }
            if (step.status == ReplyParser::Status::NeedMore) {
                r.problems.push_back("server output ends inside a reply");
                break;
            }
            p.next();
        }
    }

private:
    void on_event(const Event& ev, RunResult& r) {
        checks_.check(ev, r, tls_requests);
        if (const auto* c = std::get_if<CommandEvent>(&ev)) last_verb_ = c->verb;
        if (const auto* rep = std::get_if<ReplyEvent>(&ev)) {
            const int cls = rep->reply.code / 100;
            const bool exempt = replies_ == 0 || last_verb_ == "EHLO" || last_verb_ == "HELO" || cls == 3 ||
                                !engine_.config().extensions.enhanced_status_codes;
            if (!exempt && !enhanced_matches(rep->reply.code, rep->reply.enhanced)) {
                r.problems.push_back("reply without a matching enhanced code (S25): " + rep->raw);
            }
            ++replies_;
        }
        if (const auto* m = std::get_if<MessageEvent>(&ev)) {
            if (m->accepted) r.messages.push_back(envelope_text(m->envelope) + "\n" + m->content);
        }
    }

    std::unique_ptr<ScriptedPolicy> policy_;
    ServerEngine engine_;
    EventChecks checks_;
    std::string last_verb_;
    int replies_ = 0;
};

class ClientHarness : public Harness {
public:
    ClientHarness(ClientConfig cfg, std::vector<Transaction> txns)
        : engine_(std::move(cfg), std::move(txns)), checks_(Role::Client) {}
    void start(Time now) override { engine_.start(now); }
    void feed(Time now, std::string_view b) override { engine_.handle_bytes(now, b); }
    void closed(Time now) override { engine_.handle_closed(now); }
    void timeout(Time now) override { engine_.handle_timeout(now); }
    void tls_started(Time now) override { engine_.handle_tls_started(now); }
    std::optional<Time> deadline() const override { return engine_.next_deadline(); }
    bool close_requested() const override { return engine_.close_requested(); }
    std::size_t buffered() const override { return engine_.buffered_octets(); }
    void collect(RunResult& r) override {
        while (auto ev = engine_.poll_event())
            checks_.check(*ev, r, tls_requests);
        r.output += engine_.poll_output();
    }
    void finish(RunResult& r) override { r.summary = engine_.result().summary(); }

private:
    ClientEngine engine_;
    EventChecks checks_;
};

Result<std::unique_ptr<Harness>> make_harness(const Transcript& t) {
    if (t.role == "server") {
        ServerConfig cfg;
        for (const auto& [k, v] : t.settings) {
            if (Status s = apply_server_setting(cfg, k, v); !s) return s.error();
        }
        auto policy = std::make_unique<ScriptedPolicy>();
        for (const auto& [k, v] : t.policy) {
            if (Status s = policy->configure(k, v); !s) return s.error();
        }
        return std::unique_ptr<Harness>(std::make_unique<ServerHarness>(std::move(cfg), std::move(policy)));
    }
    ClientConfig cfg;
    for (const auto& [k, v] : t.settings) {
        if (Status s = apply_client_setting(cfg, k, v); !s) return s.error();
    }
    std::vector<Transaction> txns;
    for (const auto& spec : t.txns) {
        Result<Transaction> tx = parse_txn(spec);
        if (!tx) return tx.error();
        txns.push_back(std::move(*tx));
    }
    return std::unique_ptr<Harness>(std::make_unique<ClientHarness>(std::move(cfg), std::move(txns)));
}

}  // namespace

const char* to_string(FeedMode m) {
    switch (m) {
        case FeedMode::Whole:
            return "whole";
        case FeedMode::ByteByByte:
            return "byte-by-byte";
        case FeedMode::RandomSplit:
            return "random-split";
        case FeedMode::Dialogue:
            return "dialogue";
    }
    return "?";
}

Result<RunResult> run_transcript(const Transcript& t, FeedMode mode, std::uint64_t seed) {
    Result<std::unique_ptr<Harness>> made = make_harness(t);
    if (!made) return made.error();
    Harness& h = **made;
    const Kind input = t.role == "server" ? Kind::Client : Kind::Server;
    const Kind output = t.role == "server" ? Kind::Server : Kind::Client;
    RunResult r;
    for (const auto& m : t.messages)
        r.expected_messages.push_back(m.envelope + "\n" + m.content);
    Rng rng = Rng::stream(seed, "golden-split");
    Time now{};
    std::string expected_so_far;
    std::string pending;  // input not yet fed (whole / split modes feed it at the next non-input step)

    auto collect = [&] {
        h.collect(r);
        if (h.buffered() > kBufferBound) r.problems.push_back("engine buffers exceed the bound");
    };
    auto feed_pending = [&] {
        if (pending.empty()) return;
        std::string_view rest = pending;
        switch (mode) {
            case FeedMode::Whole:
            case FeedMode::Dialogue:
                h.feed(now, rest);
                collect();
                break;
            case FeedMode::ByteByByte:
                for (char c : rest) {
                    h.feed(now, std::string_view(&c, 1));
                    collect();
                }
                break;
            case FeedMode::RandomSplit: {
                const std::int64_t max_piece = std::array<std::int64_t, 3>{3, 17, 300}[rng.uniform_int(0, 2)];
                while (!rest.empty()) {
                    const auto n = static_cast<std::size_t>(
                        rng.uniform_int(1, std::min<std::int64_t>(max_piece, static_cast<std::int64_t>(rest.size()))));
                    h.feed(now, rest.substr(0, n));
                    collect();
                    rest.remove_prefix(n);
                }
                break;
            }
        }
        pending.clear();
    };
    auto check_dialogue = [&](const TranscriptStep& at) {
        if (mode == FeedMode::Dialogue && r.output != expected_so_far) {
            r.problems.push_back("line " + std::to_string(at.line) + ": output so far differs from the transcript");
        }
    };

    h.start(now);
    collect();
    for (const auto& step : t.steps) {
        if (step.kind == input) {
            if (mode == FeedMode::Dialogue && pending.empty()) check_dialogue(step);
            pending += step.bytes;
            continue;
        }
        if (mode == FeedMode::Dialogue || step.kind != output) feed_pending();
        switch (step.kind) {
            case Kind::Client:
            case Kind::Server:
                expected_so_far += step.bytes;
                break;
            case Kind::Eof:
                check_dialogue(step);
                h.closed(now);
                collect();
                break;
            case Kind::Timeout:
                check_dialogue(step);
                if (auto d = h.deadline()) {
                    now = *d;
                    h.timeout(now);
                } else {
                    r.problems.push_back("line " + std::to_string(step.line) + ": @timeout but no deadline");
                }
                collect();
                break;
            case Kind::Wait: {
                check_dialogue(step);
                const Time until = now + step.wait;
                if (auto d = h.deadline(); d && *d <= until) {
                    now = *d;
                    h.timeout(now);
                    collect();
                }
                now = until;
                break;
            }
            case Kind::Tls:
                // The handshake happens here: the engine must have asked for it.
                check_dialogue(step);
                if (h.tls_requests == 0) {
                    r.problems.push_back("line " + std::to_string(step.line) + ": @tls but the engine did not ask");
                } else {
                    --h.tls_requests;
                }
                h.tls_started(now);
                collect();
                break;
            case Kind::Close:
                check_dialogue(step);
                if (mode == FeedMode::Dialogue && !h.close_requested()) {
                    r.problems.push_back("line " + std::to_string(step.line) + ": the engine did not ask to close");
                }
                r.close_requested = true;  // expected
                break;
        }
    }
    feed_pending();
    if (h.tls_requests != 0) r.problems.push_back("the engine asked to start TLS and no @tls follows");
    r.expected_output = expected_so_far;
    const bool expected_close = r.close_requested;
    r.close_requested = h.close_requested();
    if (expected_close != r.close_requested) {
        r.problems.push_back(expected_close ? "the engine did not ask to close" : "the engine asked to close");
    }
    h.finish(r);
    return r;
}

std::vector<std::string> golden_files() {
    std::vector<std::string> out;
    const std::filesystem::path dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests" / "smtp" / "golden";
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        if (e.path().extension() == ".txt") out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

Result<Transcript> load_transcript(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open", path};
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_transcript(ss.str(), std::filesystem::path(path).filename().string());
}

}  // namespace postino::smtp::testing
