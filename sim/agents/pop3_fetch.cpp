// pop3_fetch.cpp — a user agent's POP3 sessions and what it tells its user.
#include "agents/pop3_fetch.hpp"

namespace postino::agents {
namespace {

// The Subject: of a message, for the user's event (first line only).
std::string subject_of(const std::string& m) {
    std::size_t pos = 0;
    while (pos < m.size()) {
        const std::size_t eol = m.find("\r\n", pos);
        const std::size_t end = eol == std::string::npos ? m.size() : eol;
        if (end == pos) break;  // the header ends
        if (end - pos >= 8 && (m.compare(pos, 8, "Subject:") == 0 || m.compare(pos, 8, "subject:") == 0)) {
            std::string s = m.substr(pos + 8, end - pos - 8);
            while (!s.empty() && s.front() == ' ') s.erase(0, 1);
            return s;
        }
        pos = end + 2;
    }
    return {};
}

}  // namespace

void Pop3Fetcher::report(const char* ev, const std::string& text, const pop3::FetchedEvent* m) {
    trace::Event e("ua", host_.name());
    e.set("ev", ev).set("text", text);
    if (m != nullptr) {
        e.set("uidl", m->uidl).set("size", static_cast<std::uint64_t>(m->content.size()));
        e.set_bytes("bytes", m->content);
    }
    host_.network().trace().emit(std::move(e));
}

void Pop3Fetcher::fetch(const FetchRequest& r) {
    pop3::ClientConfig cfg;
    cfg.user = r.user;
    cfg.password = r.password;
    cfg.use_apop = r.apop;
    cfg.mode = r.mode;
    cfg.send_quit = !r.drop_before_quit;
    if (r.mode == pop3::FetchMode::LeaveOnServer) cfg.known_uidls = known_[r.user];
    report("fetch", "fetching " + r.user + "'s mail from " + r.server_name + " by POP3 (" + to_string(r.mode) +
                        (cfg.known_uidls.empty() ? "" : ", " + std::to_string(cfg.known_uidls.size()) + " already here") +
                        ")");
    auto conn = host_.connect(r.server, r.port);
    auto link = std::make_shared<Link>(host_.network(), conn, std::make_unique<pop3::ClientEngine>(cfg));
    links_.push_back(link);
    std::weak_ptr<Link> weak = link;
    conn->on_connected = [weak] {
        if (auto l = weak.lock()) l->start();
    };
    const std::string user = r.user;
    link->attach(
        [this, user](const pop3::Event& ev) {
            if (const auto* m = std::get_if<pop3::FetchedEvent>(&ev)) {
                ++fetched_;
                if (!m->uidl.empty()) known_[user].insert(m->uidl);
                const std::string subject = subject_of(m->content);
                report("fetched",
                       "message " + std::to_string(m->number) + (m->uidl.empty() ? "" : " (uidl " + m->uidl + ")") +
                           (subject.empty() ? "" : " \"" + subject + "\"") + ", " + std::to_string(m->content.size()) +
                           " octets",
                       m);
            }
        },
        [this, weak, r](net::CloseReason reason) {
            if (auto l = weak.lock()) finished(l, r, reason);
        });
}

void Pop3Fetcher::finished(const std::shared_ptr<Link>& link, const FetchRequest& r, net::CloseReason reason) {
    const pop3::ClientResult& res = link->engine().result();
    if (!res.finished) {
        // The engine never started: the connection could not be opened.
        ++errors_;
        report("error", "cannot fetch mail: " + r.server_name + " is unreachable on port " + std::to_string(r.port) +
                            " (" + net::to_string(reason) + ")");
    } else {
        report_result(res, r, reason);
    }
    auto* self = this;
    host_.network().scheduler().schedule_in(Duration{}, [self, raw = link.get()] {
        std::erase_if(self->links_, [raw](const auto& l) { return l.get() == raw; });
    });
}

void Pop3Fetcher::report_result(const pop3::ClientResult& res, const FetchRequest& r, net::CloseReason reason) {
    std::size_t deleted = 0;
    for (const auto& m : res.messages) deleted += m.deleted ? 1 : 0;
    const std::string got = std::to_string(res.messages.size()) + (res.messages.size() == 1 ? " message" : " messages");
    switch (res.failure) {
        case pop3::ClientFailure::None:
            report("fetch-done", got + " downloaded from " + r.server_name +
                                     (deleted == 0 ? "" : ", " + std::to_string(deleted) + " deleted on the server") +
                                     (res.maildrop_count > res.messages.size()
                                          ? ", " + std::to_string(res.maildrop_count - res.messages.size()) +
                                                " left there"
                                          : ""));
            break;
        case pop3::ClientFailure::Dropped:
            report("fetch-done", got + " downloaded; the connection was dropped before QUIT, so nothing is deleted "
                                       "on the server (RFC 1939 §3)");
            break;
        default: {
            ++errors_;
            std::string why = std::string(pop3::to_string(res.failure)) + " at " + pop3::to_string(res.failure_step);
            if (!res.detail.empty()) why += ": " + res.detail;
            if (reason != net::CloseReason::Normal && res.failure == pop3::ClientFailure::ConnectionLost) {
                why += " (" + std::string(net::to_string(reason)) + ")";
            }
            std::string what = "cannot fetch mail from " + r.server_name + " (" + why + ")";
            if (res.failure == pop3::ClientFailure::LoginFailed) what = "your password was refused by " + r.server_name + " (" + why + ")";
            if (res.failure == pop3::ClientFailure::InUse) {
                what = "your mailbox on " + r.server_name + " is in use by another session (" + why + ")";
            }
            if (!res.messages.empty()) what += "; " + got + " downloaded before that";
            report("error", what);
        }
    }
}

}  // namespace postino::agents
