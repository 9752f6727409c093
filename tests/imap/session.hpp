// session.hpp — a test's IMAP session: a server engine over a shared
// MailStore adapter, fed command by command, answering with the output.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "agents/imap_mailstore.hpp"
#include "proto/imap/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::imap::testing {

struct World {
    store::MailStore store;
    agents::ImapMailStore adapter{store};
    World() { store.add_account("alice", "secret"); }
    void add(std::string bytes, std::vector<std::string> flags = {}, const std::string& folder = store::kInbox,
             Time at = {}) {
        auto r = store.insert("alice", std::move(bytes), at, folder);
        store.find("alice")->folders[folder].messages.back().flags = std::move(flags);
        (void)r;
    }
};

class Session {
public:
    explicit Session(World& w, ServerConfig cfg = {}) : engine_(std::move(cfg), w.adapter) {
        engine_.start(now_);
        greeting_ = engine_.poll_output();
    }
    // Sends one command line (CRLF added) and returns everything written.
    std::string send(std::string_view line) { return raw(std::string(line) + "\r\n"); }
    std::string raw(std::string_view bytes) {
        engine_.handle_bytes(now_, bytes);
        return engine_.poll_output();
    }
    std::string login() { return send("L1 LOGIN alice secret"); }
    std::string output() { return engine_.poll_output(); }
    ServerEngine& engine() { return engine_; }
    const std::string& greeting() const { return greeting_; }
    Time now_{};

private:
    ServerEngine engine_;
    std::string greeting_;
};

inline std::size_t count(std::string_view hay, std::string_view needle) {
    std::size_t n = 0;
    for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
    return n;
}

inline bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

inline std::string msg(std::string_view subject, std::string_view body = "text") {
    return "From: bob@b.example\r\nTo: alice@a.example\r\nSubject: " + std::string(subject) + "\r\n\r\n" +
           std::string(body) + "\r\n";
}

}  // namespace postino::imap::testing
