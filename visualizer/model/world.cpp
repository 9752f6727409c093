// world.cpp — applying one trace event to the reconstructed world state.
#include "model/world.hpp"

#include <algorithm>
#include <cassert>

namespace postino::viz {
namespace {

bool terminal(const std::string& s) {
    return s == "closed" || s == "refused" || s == "timeout" || s == "reset" || s == "abort";
}

void apply_tcp(WorldState& w, const Ev& v, const trace::Event& e, std::uint32_t i) {
    const std::string ev = e.get_str("ev");
    if (v.conn == 0) return;
    auto it = w.conns.find(v.conn);
    if (ev == "connect") {
        ConnState c;
        c.client = v.host;
        c.server = v.peer;
        c.client_state = "connect";
        c.port = e.get_int("dport").value_or(0);
        c.opened = i;
        w.conns[v.conn] = c;
        return;
    }
    if (it == w.conns.end()) {
        // The connecting side was not traced: this host is the server.
        ConnState c;
        c.client = v.peer;
        c.server = v.host;
        c.port = e.get_int("sport").value_or(0);
        c.opened = i;
        it = w.conns.emplace(v.conn, c).first;
    }
    ConnState& c = it->second;
    std::string& side = v.host == c.client ? c.client_state : c.server_state;
    side = ev;
    const bool client_done = terminal(c.client_state) || (c.client_state.empty() && terminal(c.server_state));
    const bool server_done = terminal(c.server_state) || c.server_state.empty();
    if (client_done && server_done) w.conns.erase(it);
}

void apply_fault(WorldState& w, const Ev& v, const trace::Event& e, std::uint32_t i) {
    const std::string ev = e.get_str("ev");
    const std::string fault = e.get_str("fault");
    const std::string key = fault + " " + e.get_str("target");
    const int delta = ev == "begin" ? 1 : ev == "end" ? -1 : 0;
    if (delta == 0) return;
    if (delta > 0) {
        ActiveFault& f = w.faults[key];
        if (f.depth == 0) {
            f.fault = fault;
            f.target = e.get_str("target");
            f.begin_ev = i;
        }
        ++f.depth;
    } else if (auto it = w.faults.find(key); it != w.faults.end()) {
        if (--it->second.depth <= 0) w.faults.erase(it);
    }
    if (v.aux == 0 || v.aux >= w.hosts.size()) return;
    HostState& h = w.hosts[v.aux];
    h.last_event = i;
    const auto bump = [delta](int& n) { n = std::max(0, n + delta); };
    if (fault == "host-down") bump(h.down_faults);
    if (fault == "link-down") bump(h.link_down);
    if (fault == "port-closed") bump(h.ports_closed);
    if (fault == "link-change") {
        bump(h.link_changes);
        if (delta > 0) {
            h.latency_ns = e.get_int("latency_ns").value_or(-1);
            h.loss_ppm = e.get_int("loss_ppm").value_or(-1);
        } else if (h.link_changes == 0) {
            h.latency_ns = -1;
            h.loss_ppm = -1;
        }
    }
}

void apply_spool(WorldState& w, const Ev& v, const trace::Event& e, std::uint32_t i) {
    const std::string ev = e.get_str("ev");
    const auto key = std::make_pair(v.host, e.get_str("queue_id"));
    if (ev == "removed") {
        w.spool.erase(key);
        return;
    }
    SpoolEntry& s = w.spool[key];
    if (s.first_ev == kNone) {
        s.queue_id = key.second;
        s.first_ev = i;
        s.deposit = v.t;
    }
    if (e.find("from") != nullptr) s.from = e.get_str("from");
    const std::string to = e.get_str("to");
    std::vector<std::string> named = split_list(to);
    if (s.rcpts.empty()) {
        for (auto& a : named) s.rcpts.push_back(Recipient{a, "queued"});
    }
    if (auto d = e.get_str("dest"); !d.empty()) s.dest = d;
    if (auto d = e.get_int("deposit")) s.deposit = *d;
    if (auto z = e.get_int("size")) s.size = *z;
    if (auto d = e.get_str("dsn_for"); !d.empty()) s.dsn_for = d;
    if (auto st = e.get_str("status"); !st.empty()) s.status = st;
    if (auto er = e.get_str("error"); !er.empty()) s.last_error = er;
    if (ev == "attempt") {
        s.attempts = e.get_int("attempt").value_or(s.attempts + 1);
        s.next = -1;
    } else if (auto a = e.get_int("attempt")) {
        s.attempts = std::max(s.attempts, *a);
    }
    if (auto n = e.get_int("next")) s.next = *n;
    if (ev == "deferred") ++w.deferred;
    if (ev == "sent" || ev == "delivered" || ev == "bounced") {
        if (ev == "bounced") ++w.bounced; else ++w.delivered;
        for (auto& r : s.rcpts) {
            const bool named_here = named.empty() || std::find(named.begin(), named.end(), r.addr) != named.end();
            if (named_here && r.state == "queued") r.state = ev;
        }
        s.next = -1;
    }
    if (ev == "expired") s.next = -1;
    if (ev == "warned") s.warned = true;
    s.state = ev;
    s.last_ev = i;
}

// CREATE, DELETE, RENAME of a folder (docs/trace-format.md, `folder-*`).
void apply_folder(WorldState& w, const Ev& v, const trace::Event& e, std::uint32_t i, const std::string& ev,
                  const MailboxKey& key) {
    auto life = [&](FolderChange c, std::string other = {}) { w.folders[key] = FolderLife{c, std::move(other), v.t, i}; };
    if (ev == "folder-created") {
        w.mailboxes[key].clear();  // a new folder: whatever had that name before is gone
        life(FolderChange::created);
    } else if (ev == "folder-deleted") {
        for (auto& [uid, m] : w.mailboxes[key]) {
            if (m.deleted) continue;
            m.deleted = true;
            m.removed_by = e.get_str("by");
            m.removed_t = v.t;
            m.removed_ev = i;
            m.last_ev = i;
        }
        life(e.get_bool("noselect").value_or(false) ? FolderChange::noselect : FolderChange::deleted);
    } else if (ev == "folder-renamed") {
        const MailboxKey from{key.host, key.mailbox, e.get_str("from_folder")};
        auto& src = w.mailboxes[from];
        auto& dst = w.mailboxes[key];
        dst = std::move(src);
        src.clear();
        for (auto& [uid, m] : dst) m.last_ev = i;
        life(FolderChange::renamed, from.folder);
        w.folders[from] = FolderLife{from.folder == "INBOX" ? FolderChange::emptied : FolderChange::renamed_away,
                                     key.folder, v.t, i};
    }
}

void apply_mailbox(WorldState& w, const Ev& v, const trace::Event& e, std::uint32_t i) {
    const std::string ev = e.get_str("ev");
    std::string folder = e.get_str("folder");
    if (folder.empty()) folder = "INBOX";
    MailboxKey key{v.host, e.get_str("mailbox"), folder};
    if (ev.rfind("folder-", 0) == 0) return apply_folder(w, v, e, i, ev, key);
    const std::int64_t uid = e.get_int("uid").value_or(0);
    if (ev == "copied") {
        // The source keeps its identity; the copy inherits its spool entry.
        const std::string from = e.get_str("from_folder");
        const std::int64_t from_uid = e.get_int("from_uid").value_or(0);
        std::string queue_id;
        if (auto f = w.mailboxes.find(MailboxKey{v.host, key.mailbox, from}); f != w.mailboxes.end()) {
            if (auto src = f->second.find(from_uid); src != f->second.end()) {
                src->second.copied_to = folder;
                queue_id = src->second.queue_id;
            }
        }
        MailboxMsg& m = w.mailboxes[key][uid];
        m = MailboxMsg{};
        m.origin = ev;
        m.from_folder = from;
        m.from_uid = from_uid;
        m.queue_id = queue_id;
    }
    MailboxMsg& m = w.mailboxes[key][uid];
    m.uid = uid;
    if (ev == "stored" || ev == "appended") {
        m = MailboxMsg{};
        m.uid = uid;
        m.origin = ev;
    }
    if (ev == "stored" || ev == "appended" || ev == "copied") {
        m.stored_t = v.t;
        m.stored_ev = i;
    }
    if (auto z = e.get_int("size")) m.size = *z;
    if (auto q = e.get_str("queue_id"); !q.empty()) m.queue_id = q;
    if (e.find("flags") != nullptr) {
        m.flags = e.get_str("flags");
        if (ev == "flags") m.flags_ev = i;
    }
    if (ev == "deleted" || ev == "expunged") {
        m.deleted = true;
        m.removed_by = e.get_str("by");
        m.removed_t = v.t;
        m.removed_ev = i;
    }
    m.last_ev = i;
}

}  // namespace

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        std::size_t a = i, b = j;
        while (a < b && s[a] == ' ') ++a;
        while (b > a && s[b - 1] == ' ') --b;
        if (b > a) out.emplace_back(s.substr(a, b - a));
        i = j + 1;
    }
    return out;
}

void apply(WorldState& w, const TraceModel& model, std::uint32_t i) {
    assert(i == w.applied);
    const Ev& v = model.ev(i);
    const std::uint32_t need = std::max({v.host, v.peer, v.aux == kNone ? 0u : v.aux}) + 1;
    if (w.hosts.size() < need) w.hosts.resize(need);
    if (v.host != 0) w.hosts[v.host].last_event = i;

    if (v.arrow != kNone) {
        const Arrow& a = model.arrow(v.arrow);
        if (a.from_ev == i && !(a.flags & flag::one_sided)) w.in_flight.insert(v.arrow);
        if (a.from_ev != i) {
            // A received line may complete several sends (coalesced bytes).
            std::erase_if(w.in_flight, [&](std::uint32_t x) { return model.arrow(x).to_ev == i; });
        }
    }
    if (v.flags & flag::lost) ++w.lost;

    const trace::Event* e = model.detail(i);
    if (e != nullptr) {
        switch (v.kind) {
            case Kind::tcp: apply_tcp(w, v, *e, i); break;
            case Kind::fault: apply_fault(w, v, *e, i); break;
            case Kind::host: {
                const std::string ev = e->get_str("ev");
                if (v.host != 0 && !(v.flags & flag::restates)) {  // a host-down fault already says it is down
                    if (ev == "down") w.hosts[v.host].crashed = true;
                    if (ev == "up") w.hosts[v.host].crashed = false;
                }
                if (ev == "down") {
                    // A crash loses the host's connections without a packet.
                    std::erase_if(w.conns, [&](const auto& kv) {
                        return kv.second.client == v.host || kv.second.server == v.host;
                    });
                }
                break;
            }
            case Kind::note: w.last_note = i; break;
            case Kind::spool: apply_spool(w, v, *e, i); break;
            case Kind::mailbox: apply_mailbox(w, v, *e, i); break;
            case Kind::message: w.messages[e->get_str("id")] = i; break;
            case Kind::ua: w.last_ua = i; break;
            default: break;
        }
    }
    w.applied = i + 1;
}

}  // namespace postino::viz
