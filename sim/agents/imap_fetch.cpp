// imap_fetch.cpp — a user agent's IMAP sessions and what it tells its user.
// See imap_fetch.hpp.
#include "agents/imap_fetch.hpp"

namespace postino::agents {

void ImapFetcher::report(const char* ev, const std::string& text, const imap::ClientMessage* m) {
    trace::Event e("ua", host_.name());
    e.set("ev", ev).set("text", text);
    if (m != nullptr) {
        e.set("uid", static_cast<std::uint64_t>(m->uid)).set("size", static_cast<std::uint64_t>(m->bytes.size()));
        e.set_bytes("bytes", m->bytes);
    }
    host_.network().trace().emit(std::move(e));
}

void ImapFetcher::fetch(const ImapFetchRequest& r) {
    report("fetch", "reading " + r.client.user + "'s " + r.client.mailbox + " on " + r.server_name + " by IMAP (" +
                        imap::to_string(r.client.what) + ")");
    auto conn = host_.connect(r.server, r.port);
    auto link = std::make_shared<ImapClientLink>(host_.network(), conn, std::make_unique<imap::ClientEngine>(r.client));
    links_.push_back(link);
    std::weak_ptr<ImapClientLink> weak = link;
    conn->on_connected = [weak] {
        if (auto l = weak.lock()) l->start();
    };
    link->attach([this, weak, r](net::CloseReason reason) {
        if (auto l = weak.lock()) finished(l, r, reason);
    });
}

void ImapFetcher::finished(const std::shared_ptr<ImapClientLink>& link, const ImapFetchRequest& r,
                           net::CloseReason reason) {
    const imap::ClientResult& res = link->engine().result();
    if (!res.finished && res.failure.empty()) {
        ++errors_;
        report("error", "cannot read mail: " + r.server_name + " is unreachable on port " + std::to_string(r.port) +
                            " (" + net::to_string(reason) + ")");
    } else {
        for (const auto& m : res.messages) {
            ++fetched_;
            std::string what = m.section.empty() ? (r.client.what == imap::FetchWhat::Headers ? "headers only" : "the whole message")
                                                 : "part " + m.section;
            report("fetched",
                   "message uid " + std::to_string(m.uid) + " \"" + m.subject + "\" from " + m.from + ": " + what +
                       ", " + std::to_string(m.bytes.size()) + " of " + std::to_string(m.size) + " octets",
                   &m);
        }
        if (res.ok) {
            const std::uint64_t saved = res.octets_total > res.octets_fetched ? res.octets_total - res.octets_fetched : 0;
            report("fetch-done", std::to_string(res.messages.size()) + (res.messages.size() == 1 ? " message" : " messages") + " read on " + r.server_name + ": " +
                                     std::to_string(res.octets_fetched) + " octets of bodies fetched, " +
                                     std::to_string(res.octets_total) + " would have been downloaded by POP3 (" +
                                     std::to_string(saved) + " saved); the messages stay on the server" +
                                     (r.client.move_to.empty() ? "" : ", moved to " + r.client.move_to) +
                                     (r.client.delete_after ? ", deleted" : ""));
        } else {
            ++errors_;
            report("error", "cannot read mail on " + r.server_name + ": " + res.failure);
        }
    }
    auto* self = this;
    host_.network().scheduler().schedule_in(Duration{}, [self, raw = link.get()] {
        std::erase_if(self->links_, [raw](const auto& l) { return l.get() == raw; });
    });
}

}  // namespace postino::agents
