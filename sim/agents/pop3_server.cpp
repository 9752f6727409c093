// pop3_server.cpp — POP3 sessions over the shared mailbox store (RFC 1939
// §4 locking, §6 UPDATE, §7 UIDL).
#include "agents/pop3_server.hpp"

#include <algorithm>

namespace postino::agents {
namespace {

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

}  // namespace

std::string pop3_uidl(const store::Folder& folder, const store::StoredMessage& m) {
    return std::to_string(folder.uid_validity) + "." + std::to_string(m.uid);
}

// The policy of one session: the store's accounts, its INBOX and its lock,
// with this session's id as the lock owner.
class Pop3Server::Policy : public pop3::ServerPolicy {
public:
    Policy(Pop3Server& server, std::uint64_t session) : server_(server), session_(session) {}

    bool check_password(std::string_view user, std::string_view password) override {
        const store::Account* a = server_.store_.find(account(user));
        // An account without a password cannot log in (it only receives mail).
        return a != nullptr && !a->password.empty() && a->password == password;
    }
    std::optional<std::string> apop_secret(std::string_view user) override {
        const store::Account* a = server_.store_.find(account(user));
        if (a == nullptr || a->password.empty()) return std::nullopt;
        return a->password;
    }
    pop3::OpenResult open(std::string_view user) override {
        const std::string name = account(user);
        store::Account* a = server_.store_.find(name);
        if (a == nullptr) return {pop3::OpenStatus::Failed, {}};
        if (!server_.store_.lock(name, session_)) return {pop3::OpenStatus::InUse, {}};
        locked_ = name;
        const store::Folder& f = a->folders[store::kInbox];
        pop3::OpenResult r;
        for (const auto& m : f.messages) r.messages.push_back({pop3_uidl(f, m), m.bytes});
        return r;
    }
    bool update(std::string_view user, const std::vector<std::string>& deleted) override {
        store::Account* a = server_.store_.find(account(user));
        if (a == nullptr) return false;
        store::Folder& f = a->folders[store::kInbox];
        bool all = true;
        for (const auto& id : deleted) {
            auto it = std::find_if(f.messages.begin(), f.messages.end(),
                                   [&](const store::StoredMessage& m) { return pop3_uidl(f, m) == id; });
            if (it == f.messages.end()) {
                all = false;  // removed meanwhile (cannot happen while we hold the lock)
                continue;
            }
            trace::Event e("mailbox", server_.host_.name());
            e.set("ev", "deleted").set("mailbox", a->name).set("uid", static_cast<std::uint64_t>(it->uid));
            e.set("address", a->name + "@" + server_.domain()).set("size", static_cast<std::uint64_t>(it->bytes.size()));
            e.set("by", "pop3");
            f.messages.erase(it);
            server_.host_.network().trace().emit(std::move(e));
        }
        return all;
    }
    void release(std::string_view user) override {
        server_.store_.unlock(account(user), session_);
        locked_.clear();
    }
    ~Policy() override {
        if (!locked_.empty()) server_.store_.unlock(locked_, session_);
    }

private:
    // "alice" or "alice@a.example" (a local domain) name the account "alice".
    std::string account(std::string_view user) const {
        std::string u = lower(std::string(user));
        const auto at = u.rfind('@');
        if (at != std::string::npos) {
            const std::string d = u.substr(at + 1);
            if (std::find(server_.config_.domains.begin(), server_.config_.domains.end(), d) ==
                server_.config_.domains.end()) {
                return {};  // not one of ours: no such account
            }
            u.resize(at);
        }
        return u;
    }

    Pop3Server& server_;
    std::uint64_t session_;
    std::string locked_;
};

Pop3Server::Pop3Server(net::Host& host, store::MailStore& store, Pop3ServerConfig config)
    : host_(host), store_(store), config_(std::move(config)) {
    for (auto& d : config_.domains) d = lower(d);
}

Pop3Server::~Pop3Server() {
    host_.unlisten(kPop3Port);
    if (down_watch_ != 0) host_.remove_watch(down_watch_);
}

void Pop3Server::start() {
    host_.listen(kPop3Port, [this](const std::shared_ptr<net::TcpConnection>& c) { on_accept(c); });
    // A crash ends every session without UPDATE (RFC 1939 §3) and frees the locks.
    down_watch_ = host_.on_down([this] { sessions_.clear(); });
}

std::string Pop3Server::domain() const { return config_.domains.empty() ? host_.name() : config_.domains.front(); }

void Pop3Server::on_accept(const std::shared_ptr<net::TcpConnection>& c) {
    using Link = Pop3Link<pop3::ServerEngine>;
    const std::uint64_t id = next_session_++;
    pop3::ServerConfig cfg = config_.engine;
    cfg.hostname = config_.hostname;
    cfg.session_tag = std::to_string(id);
    auto policy = std::make_shared<Policy>(*this, id);
    auto engine = std::make_unique<pop3::ServerEngine>(cfg, *policy);
    auto link = std::make_shared<Link>(host_.network(), c, std::move(engine));
    struct Session {
        std::shared_ptr<Policy> policy;  // declared first: outlives the engine that uses it
        std::shared_ptr<Link> link;
    };
    auto session = std::make_shared<Session>(Session{policy, link});
    sessions_[id] = session;
    link->attach(nullptr, [this, id](net::CloseReason) {
        // Forget the session one event later: we are inside its callback.
        host_.network().scheduler().schedule_in(Duration{}, [this, id] { sessions_.erase(id); });
    });
    link->start();
}

}  // namespace postino::agents
