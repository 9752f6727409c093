// imap_server.cpp — IMAP sessions over the shared mailbox store (RFC 3501
// §7.4.1 updates between sessions, RFC 2177 IDLE). See imap_server.hpp.
#include "agents/imap_server.hpp"

#include "agents/imap_mailbox_events.hpp"

namespace postino::agents {

ImapServer::ImapServer(net::Host& host, store::MailStore& store, ImapServerConfig config)
    : host_(host), store_(store), config_(std::move(config)), adapter_(store) {
    adapter_.on_change = [this] { wake_all(); };
    adapter_.on_trace = [this](trace::Event e) {
        imap_events::set_origin(e, host_.name(), config_.domains);
        host_.network().trace().emit(std::move(e));
    };
}

ImapServer::~ImapServer() {
    adapter_.on_change = nullptr;
    adapter_.on_trace = nullptr;
    host_.unlisten(kImapPort);
    if (down_watch_ != 0) host_.remove_watch(down_watch_);
    if (poll_.valid()) host_.network().scheduler().cancel(poll_);
}

void ImapServer::start() {
    host_.listen(kImapPort, [this](const std::shared_ptr<net::TcpConnection>& c) { on_accept(c); });
    down_watch_ = host_.on_down([this] { sessions_.clear(); });
}

void ImapServer::wake_all() {
    if (waking_) return;  // a session's own change wakes the others once
    waking_ = true;
    // std::map: sessions in id order, never pointer order.
    for (auto& [id, link] : sessions_) link->mailbox_changed();
    waking_ = false;
    last_fingerprint_ = store_fingerprint();
}

std::uint64_t ImapServer::store_fingerprint() const {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over (folder, next uid, count)
    auto mix = [&](std::uint64_t v) {
        h ^= v;
        h *= 1099511628211ull;
    };
    for (const auto& [name, a] : store_.accounts()) {
        for (const auto& [fname, f] : a.folders) {
            mix(f.next_uid);
            mix(f.messages.size());
            mix(f.uid_validity);
        }
    }
    return h;
}

void ImapServer::arm_poll() {
    if (poll_.valid()) return;
    bool idling = false;
    for (const auto& [id, link] : sessions_) idling = idling || link->engine().idling();
    if (!idling) return;
    poll_ = host_.network().scheduler().schedule_in(kIdlePoll, [this] {
        poll_ = EventId{};
        if (store_fingerprint() != last_fingerprint_) wake_all();
        arm_poll();
    });
}

void ImapServer::on_accept(const std::shared_ptr<net::TcpConnection>& c) {
    const std::uint64_t id = next_session_++;
    imap::ServerConfig cfg = config_.engine;
    cfg.hostname = config_.hostname;
    auto link = std::make_shared<Link>(host_.network(), c, std::make_unique<imap::ServerEngine>(cfg, adapter_));
    sessions_[id] = link;
    link->attach([this, id](net::CloseReason) {
        host_.network().scheduler().schedule_in(Duration{}, [this, id] { sessions_.erase(id); });
    });
    // Data from the client may start an IDLE: look at the poll after every input.
    auto inner = c->on_data;
    std::weak_ptr<Link> weak = link;
    c->on_data = [this, inner, weak](std::string_view d) {
        inner(d);
        if (!weak.expired()) arm_poll();
    };
    link->start();
}

}  // namespace postino::agents
