// golden_driver.cpp — the IMAP transcript runner behind golden_test.cpp.
//
// Directives: `@policy user NAME PASSWORD` adds an account; `@policy folder
// USER NAME` adds a folder; `@txn user=U folder=F flags=\Seen,$Work at=10s`
// + B lines preloads a message; `@set plaintext off`, `@set idle off`,
// `@set autologout 30m`; `@expect` lines are compared with the store at the
// end, one line per folder: "alice/INBOX v=1 next=3: 1(\Seen) 2()".
#include "imap/golden_driver.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agents/imap_mailstore.hpp"
#include "core/rng.hpp"
#include "proto/imap/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::imap::testing {
namespace {

using Kind = smtp::TranscriptStep::Kind;

std::vector<std::string> words(const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    std::string w;
    while (in >> w) out.push_back(w);
    return out;
}

Status setup(const Transcript& t, store::MailStore& store, ServerConfig& cfg) {
    for (const auto& [k, v] : t.policy) {
        const auto w = words(v);
        if (k == "user" && w.size() == 2) store.add_account(w[0], w[1]);
        else if (k == "folder" && w.size() == 2 && store.find(w[0])) {
            auto& f = store.find(w[0])->folders[w[1]];
            f.uid_validity = static_cast<std::uint32_t>(store.find(w[0])->folders.size());
        } else return Error{"unknown or malformed @policy " + k + " " + v, ""};
    }
    for (const auto& [k, v] : t.settings) {
        if (k == "plaintext") cfg.allow_plaintext_login = v == "on";
        else if (k == "idle") cfg.idle = v == "on";
        else if (k == "starttls") cfg.starttls = v == "on";
        else if (k == "hostname") cfg.hostname = v;
        else if (k == "autologout") {
            auto d = parse_duration(v);
            if (!d) return d.error();
            cfg.autologout = *d;
        } else return Error{"unknown @set " + k, ""};
    }
    for (const auto& txn : t.txns) {
        std::string user = "alice", folder = store::kInbox;
        std::vector<std::string> flags;
        Time at{};
        for (const auto& w : words(txn.spec)) {
            if (w.rfind("user=", 0) == 0) user = w.substr(5);
            else if (w.rfind("folder=", 0) == 0) folder = w.substr(7);
            else if (w.rfind("at=", 0) == 0) {
                auto d = parse_duration(w.substr(3));
                if (!d) return d.error();
                at = *d;
            } else if (w.rfind("flags=", 0) == 0) {
                std::string_view s = std::string_view(w).substr(6);
                while (!s.empty()) {
                    const auto comma = s.find(',');
                    flags.emplace_back(s.substr(0, comma));
                    s.remove_prefix(comma == std::string_view::npos ? s.size() : comma + 1);
                }
            } else return Error{"unknown @txn word " + w, "line " + std::to_string(txn.line)};
        }
        std::sort(flags.begin(), flags.end());
        auto r = store.insert(user, txn.content, at, folder);
        if (r.status != store::InsertStatus::Stored) return Error{"cannot preload the message", "line " + std::to_string(txn.line)};
        store.find(user)->folders[folder].messages.back().flags = flags;
    }
    return {};
}

std::vector<std::string> summarize(const store::MailStore& store) {
    std::vector<std::string> out;
    for (const auto& [name, a] : store.accounts()) {
        for (const auto& [fname, f] : a.folders) {
            std::string line = name + "/" + fname + " v=" + std::to_string(f.uid_validity) +
                               " next=" + std::to_string(f.next_uid) + ":";
            for (const auto& m : f.messages) {
                line += " " + std::to_string(m.uid) + "(";
                for (std::size_t i = 0; i < m.flags.size(); ++i) line += (i ? " " : "") + m.flags[i];
                line += ")";
            }
            out.push_back(line);
        }
    }
    return out;
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
    if (t.role != "server") return Error{"IMAP goldens test the server engine (@role server)", ""};
    RunResult r;
    store::MailStore store;
    ServerConfig cfg;
    cfg.hostname = "imap.example";
    if (Status s = setup(t, store, cfg); !s) return s.error();
    agents::ImapMailStore adapter(store);
    ServerEngine eng(cfg, adapter);
    Rng rng = Rng::stream(seed, "golden-split");
    Time now{};
    std::string expected_so_far, pending;
    int tls_requests = 0;  // StartTlsEvents not yet matched by an @tls step
    auto collect = [&] {
        r.output += eng.poll_output();
        while (auto ev = eng.poll_event()) {
            if (std::holds_alternative<StartTlsEvent>(*ev)) ++tls_requests;
            if (auto* resp = std::get_if<ResponseEvent>(&*ev)) {
                if (resp->raw.size() < 2 || resp->raw.compare(resp->raw.size() - 2, 2, "\r\n") != 0)
                    r.problems.push_back("a response that does not end in CRLF: " + smtp::escape(resp->raw));
            }
        }
    };
    auto feed_pending = [&] {
        std::string_view rest = pending;
        if (mode == FeedMode::ByteByByte) {
            for (char c : rest) {
                eng.handle_bytes(now, std::string_view(&c, 1));
                collect();
            }
        } else if (mode == FeedMode::RandomSplit) {
            const std::int64_t max_piece = std::array<std::int64_t, 3>{3, 17, 300}[rng.uniform_int(0, 2)];
            while (!rest.empty()) {
                const auto n = static_cast<std::size_t>(
                    rng.uniform_int(1, std::min<std::int64_t>(max_piece, static_cast<std::int64_t>(rest.size()))));
                eng.handle_bytes(now, rest.substr(0, n));
                collect();
                rest.remove_prefix(n);
            }
        } else if (!rest.empty()) {
            eng.handle_bytes(now, rest);
            collect();
        }
        pending.clear();
    };
    auto check_dialogue = [&](int line) {
        if (mode == FeedMode::Dialogue && r.output != expected_so_far)
            r.problems.push_back("line " + std::to_string(line) + ": output so far differs from the transcript");
    };
    eng.start(now);
    collect();
    bool expect_close = false;
    for (const auto& step : t.steps) {
        if (step.kind == Kind::Client) {
            if (mode == FeedMode::Dialogue && pending.empty()) check_dialogue(step.line);
            pending += step.bytes;
            continue;
        }
        if (mode == FeedMode::Dialogue || step.kind != Kind::Server) feed_pending();
        switch (step.kind) {
            case Kind::Client: break;
            case Kind::Server: expected_so_far += step.bytes; break;
            case Kind::Eof:
                check_dialogue(step.line);
                eng.handle_closed(now);
                collect();
                break;
            case Kind::Timeout:
                check_dialogue(step.line);
                if (auto d = eng.next_deadline()) {
                    now = *d;
                    eng.handle_timeout(now);
                    collect();
                } else {
                    r.problems.push_back("line " + std::to_string(step.line) + ": @timeout but no deadline");
                }
                break;
            case Kind::Wait:
                check_dialogue(step.line);
                now = now + step.wait;
                eng.handle_timeout(now);
                collect();
                break;
            case Kind::Tls:
                check_dialogue(step.line);
                if (tls_requests == 0) {
                    r.problems.push_back("line " + std::to_string(step.line) + ": @tls but the engine did not ask");
                } else {
                    --tls_requests;
                }
                eng.handle_tls_started(now);
                collect();
                break;
            case Kind::Close:
                check_dialogue(step.line);
                expect_close = true;
                break;
        }
    }
    feed_pending();
    if (tls_requests != 0) r.problems.push_back("the engine asked to start TLS and no @tls follows");
    r.expected_output = expected_so_far;
    r.close_requested = eng.close_requested();
    if (expect_close != r.close_requested)
        r.problems.push_back(expect_close ? "the engine did not ask to close" : "the engine asked to close");
    if (!t.expects.empty()) r.summary = summarize(store);
    return r;
}

std::vector<std::string> golden_files() {
    std::vector<std::string> out;
    const auto dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests" / "imap" / "golden";
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".txt") out.push_back(e.path().string());
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

}  // namespace postino::imap::testing
