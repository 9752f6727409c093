// golden_driver.cpp — the POP3 transcript runner behind golden_test.cpp.
#include "pop3/golden_driver.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/rng.hpp"
#include "core/trace_schema.hpp"
#include "pop3/scripted_policy.hpp"
#include "proto/pop3/client_engine.hpp"
#include "proto/pop3/limits.hpp"
#include "proto/pop3/response_parser.hpp"
#include "proto/pop3/server_engine.hpp"
#include "proto/pop3/trace_line.hpp"

namespace postino::pop3::testing {
namespace {

using Kind = smtp::TranscriptStep::Kind;

constexpr std::size_t kBufferBound = 2 * 1024 * 1024;

bool on_off(const std::string& v) { return v == "on" || v == "yes" || v == "true"; }

Result<int> small_number(const std::string& v) {
    if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos) {
        return Error{"not a number: " + v, ""};
    }
    return std::stoi(v);
}

Status apply_server_setting(ServerConfig& c, const std::string& k, const std::string& v) {
    auto dur = [&](Duration& d) -> Status {
        Result<Duration> p = parse_duration(v);
        if (!p) return p.error();
        d = *p;
        return {};
    };
    auto num = [&](int& n) -> Status {
        Result<int> p = small_number(v);
        if (!p) return p.error();
        n = *p;
        return {};
    };
    if (k == "hostname") c.hostname = v;
    else if (k == "banner") c.banner = v;
    else if (k == "apop") c.apop = on_off(v);
    else if (k == "session-tag") c.session_tag = v;
    else if (k == "user-pass") c.user_pass = on_off(v);
    else if (k == "top") c.top = on_off(v);
    else if (k == "uidl") c.uidl = on_off(v);
    else if (k == "autologout") return dur(c.autologout);
    else if (k == "bad-password-delay") return dur(c.bad_password_delay);
    else if (k == "max-auth-failures") return num(c.max_auth_failures);
    else if (k == "max-errors") return num(c.max_errors);
    else if (k == "stls") c.tls.offered = on_off(v);
    else if (k == "user-pass-needs-tls") c.tls.user_pass_needs_tls = on_off(v);
    else return Error{"unknown server setting " + k, ""};
    return {};
}

Status apply_client_setting(ClientConfig& c, const std::string& k, const std::string& v) {
    if (k == "user") c.user = v;
    else if (k == "password") c.password = v;
    else if (k == "apop") c.use_apop = on_off(v);
    else if (k == "capa") c.use_capa = on_off(v);
    else if (k == "quit") c.send_quit = on_off(v);
    else if (k == "stls") {
        if (v == "off") c.stls = StartTls::Off;
        else if (v == "when-offered") c.stls = StartTls::WhenOffered;
        else if (v == "required") c.stls = StartTls::Required;
        else return Error{"stls is off, when-offered or required", ""};
    }
    else if (k == "mode") {
        if (v == "delete") c.mode = FetchMode::DownloadAndDelete;
        else if (v == "keep") c.mode = FetchMode::LeaveOnServer;
        else return Error{"mode is delete or keep", ""};
    } else if (k == "known") {
        std::string_view s = v;
        while (!s.empty()) {
            const std::size_t comma = s.find(',');
            c.known_uidls.insert(std::string(s.substr(0, comma)));
            s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
        }
    } else if (k == "timeout") {
        Result<Duration> p = parse_duration(v);
        if (!p) return p.error();
        c.timeout = *p;
    } else {
        return Error{"unknown client setting " + k, ""};
    }
    return {};
}

// "user=alice uidl=1.7" → its parts (either may be missing).
std::pair<std::string, std::string> mailbox_spec(const std::string& spec) {
    std::string user, uidl;
    std::istringstream in(spec);
    std::string word;
    while (in >> word) {
        if (word.rfind("user=", 0) == 0) user = word.substr(5);
        if (word.rfind("uidl=", 0) == 0) uidl = word.substr(5);
    }
    return {user, uidl};
}

class Harness {
public:
    virtual ~Harness() = default;
    virtual void start(Time now) = 0;
    virtual void feed(Time now, std::string_view bytes) = 0;
    virtual void closed(Time now) = 0;
    virtual void timeout(Time now) = 0;
    virtual void tls_started(Time now) = 0;
    int tls_requests = 0;  // StartTlsEvents not yet matched by an @tls step
    [[nodiscard]] virtual std::optional<Time> deadline() const = 0;
    [[nodiscard]] virtual bool close_requested() const = 0;
    [[nodiscard]] virtual std::size_t buffered() const = 0;
    virtual void collect(RunResult& r) = 0;
    virtual void finish(RunResult& r) = 0;
};

void check_trace(const Event& ev, Role role, RunResult& r, int& tls_requests) {
    if (std::holds_alternative<StartTlsEvent>(ev)) ++tls_requests;
    for (const auto& te : trace_events(ev, role, "engine", "peer", 1)) {
        const std::string why = trace::validate(te);
        if (!why.empty()) r.problems.push_back("trace event invalid: " + why);
    }
}

class ServerHarness : public Harness {
public:
    ServerHarness(ServerConfig cfg, std::unique_ptr<ScriptedPolicy> policy)
        : policy_(std::move(policy)), engine_(std::move(cfg), *policy_) {}
    void start(Time now) override { engine_.start(now); }
    void feed(Time now, std::string_view b) override { engine_.handle_bytes(now, b); }
    void closed(Time now) override { engine_.handle_closed(now); }
    void timeout(Time now) override { engine_.handle_timeout(now); }
    void tls_started(Time now) override { engine_.handle_tls_started(now); }
    std::optional<Time> deadline() const override { return engine_.next_deadline(); }
    bool close_requested() const override { return engine_.close_requested(); }
    std::size_t buffered() const override { return engine_.buffered_octets(); }
    void collect(RunResult& r) override {
        for (;;) {
            bool any = false;
            while (auto ev = engine_.poll_event()) {
                any = true;
                check_trace(*ev, Role::Server, r, tls_requests);
                if (const auto* resp = std::get_if<ResponseEvent>(&*ev)) {
                    announced_ += resp->raw_status + resp->raw_body;
                    multiline_.push_back(resp->multiline);
                }
            }
            std::string out = engine_.poll_output();
            if (!out.empty()) any = true;
            r.output += out;
            if (!any) break;
        }
    }
    void finish(RunResult& r) override {
        r.summary = policy_->log();
        if (announced_ != r.output) r.problems.push_back("output differs from the response events");
        // The output reads back as responses (P1: +OK/-ERR, lines ≤ 512 octets).
        ResponseParser p;
        std::string_view out = r.output;
        for (bool multi : multiline_) {
            p.expect_multiline(multi);
            const auto step = p.parse(out);
            out.remove_prefix(step.consumed);
            if (step.status != ResponseParser::Status::Complete) {
                r.problems.push_back(std::string("server output is not a response: ") + describe(p.error()));
                return;
            }
            if (p.raw_status().size() > kMaxResponseLineOctets) r.problems.push_back("status line over 512 octets");
            p.next();
        }
        if (!out.empty()) r.problems.push_back("server output has octets after the last response");
    }

private:
    std::unique_ptr<ScriptedPolicy> policy_;
    ServerEngine engine_;
    std::string announced_;
    std::vector<bool> multiline_;
};

class ClientHarness : public Harness {
public:
    explicit ClientHarness(ClientConfig cfg) : engine_(std::move(cfg)) {}
    void start(Time now) override { engine_.start(now); }
    void feed(Time now, std::string_view b) override { engine_.handle_bytes(now, b); }
    void closed(Time now) override { engine_.handle_closed(now); }
    void timeout(Time now) override { engine_.handle_timeout(now); }
    void tls_started(Time now) override { engine_.handle_tls_started(now); }
    std::optional<Time> deadline() const override { return engine_.next_deadline(); }
    bool close_requested() const override { return engine_.close_requested(); }
    std::size_t buffered() const override { return engine_.buffered_octets(); }
    void collect(RunResult& r) override {
        while (auto ev = engine_.poll_event()) check_trace(*ev, Role::Client, r, tls_requests);
        r.output += engine_.poll_output();
    }
    void finish(RunResult& r) override {
        r.summary = engine_.result().summary();
        for (const auto& m : engine_.result().messages) {
            r.messages.push_back("number=" + std::to_string(m.number) + (m.uidl.empty() ? "" : " uidl=" + m.uidl) +
                                 "\n" + m.content);
        }
    }

private:
    ClientEngine engine_;
};

Result<std::unique_ptr<Harness>> make_harness(const Transcript& t, RunResult& r) {
    if (t.role == "server" && !t.messages.empty()) {
        return Error{"@message is for the client role (downloaded messages); a server file lists maildrop messages "
                     "with @txn", std::to_string(t.messages.front().line)};
    }
    if (t.role == "client" && (!t.txns.empty() || !t.policy.empty())) {
        return Error{"@txn and @policy are for the server role", ""};
    }
    if (t.role == "server") {
        ServerConfig cfg;
        for (const auto& [k, v] : t.settings) {
            if (Status s = apply_server_setting(cfg, k, v); !s) return s.error();
        }
        auto policy = std::make_unique<ScriptedPolicy>();
        std::string first_user;
        for (const auto& [k, v] : t.policy) {
            if (Status s = policy->configure(k, v); !s) return s.error();
            if (k == "user" && first_user.empty()) first_user = v.substr(0, v.find(' '));
        }
        // @txn + B lines: a message in a maildrop before the session.
        for (const auto& m : t.txns) {
            auto [user, uidl] = mailbox_spec(m.spec);
            policy->add_message(user.empty() ? first_user : user, m.content, uidl);
        }
        return std::unique_ptr<Harness>(std::make_unique<ServerHarness>(std::move(cfg), std::move(policy)));
    }
    ClientConfig cfg;
    for (const auto& [k, v] : t.settings) {
        if (Status s = apply_client_setting(cfg, k, v); !s) return s.error();
    }
    // @message + M lines: a message the client must have downloaded.
    for (const auto& m : t.messages) r.expected_messages.push_back(m.envelope + "\n" + m.content);
    return std::unique_ptr<Harness>(std::make_unique<ClientHarness>(std::move(cfg)));
}

}  // namespace

const char* to_string(FeedMode m) {
    switch (m) {
        case FeedMode::Whole: return "whole";
        case FeedMode::ByteByByte: return "byte-by-byte";
        case FeedMode::RandomSplit: return "random-split";
        case FeedMode::Dialogue: return "dialogue";
    }
    return "?";
}

Result<RunResult> run_transcript(const Transcript& t, FeedMode mode, std::uint64_t seed) {
    RunResult r;
    Result<std::unique_ptr<Harness>> made = make_harness(t, r);
    if (!made) return made.error();
    Harness& h = **made;
    const Kind input = t.role == "server" ? Kind::Client : Kind::Server;
    const Kind output = t.role == "server" ? Kind::Server : Kind::Client;
    Rng rng = Rng::stream(seed, "golden-split");
    Time now{};
    std::string expected_so_far;
    std::string pending;

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
    auto check_dialogue = [&](const smtp::TranscriptStep& at) {
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
                while (auto d = h.deadline()) {
                    if (*d > until) break;
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
                r.close_requested = true;
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
    const std::filesystem::path dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests" / "pop3" / "golden";
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
    return smtp::parse_transcript(ss.str(), std::filesystem::path(path).filename().string());
}

}  // namespace postino::pop3::testing
