// conservation.cpp — the end-of-run conservation check over spool events.
#include "agents/conservation.hpp"

#include <map>
#include <set>

namespace postino::agents {
namespace {

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t c = s.find(',', start);
        if (c == std::string::npos) c = s.size();
        if (c > start) out.push_back(s.substr(start, c - start));
        start = c + 1;
    }
    return out;
}

}  // namespace

std::string ConservationReport::summary() const {
    std::string s = std::to_string(accepted) + " accepted, " + std::to_string(delivered) + " delivered, " +
                    std::to_string(sent) + " relayed, " + std::to_string(bounced) + " bounced, " +
                    std::to_string(still_queued) + " still queued";
    s += violations.empty() ? ": no mail lost" : ": " + std::to_string(violations.size()) + " VIOLATION(S)";
    for (const auto& d : declared) {
        s += "; BROKEN ON PURPOSE: " + d.host + " [" + d.queue_id + "]: " + d.reason;
    }
    for (const auto& d : duplicates) {
        s += "; DUPLICATE: " + d.message_id + " stored " + std::to_string(d.copies) + " times for " + d.address;
    }
    return s;
}

namespace {
// One key for a (host, Message-ID) pair: the host's length, ':', the host,
// the ID — unambiguous whatever octets either holds (a replayed trace may
// hold any).
std::string host_and_id(std::string_view host, std::string_view id) {
    std::string key = std::to_string(host.size());
    key.push_back(':');
    key.append(host).append(id);
    return key;
}
}  // namespace

void ConservationTracker::note_host(std::string_view host) {
    // Most events come from the host of the event before (or the one before
    // that): only a new host costs a look-up.
    if (!host.empty() && host != recent_hosts_[0] && host != recent_hosts_[1]) {
        mta_hosts_.emplace(host);
        recent_hosts_[1] = std::move(recent_hosts_[0]);
        recent_hosts_[0] = host;
    }
}

void ConservationTracker::on_event(const trace::Event& e) {
    note_host(e.host);
    const std::string_view kind = e.kind;  // compared as a view: length first, then octets
    if (kind == "mailbox") {
        if (e.str_view("ev") == "stored" && !e.str_view("message_id").empty()) {
            ++copies_[{e.get_str("address"), e.get_str("message_id")}];
        }
        return;
    }
    if (kind != "spool") return;
    const std::string_view ev = e.str_view("ev");
    const std::string qid = e.get_str("queue_id");
    auto key = std::make_pair(e.host, qid);
    if (ev == "sent" && !e.get_str("message_id").empty()) {
        handoffs_.push_back({e.host, qid, e.get_str("remote"), e.get_str("message_id"), e.get_str("to")});
    }
    if (ev == "enqueued") {
        if (const std::string_view mid = e.str_view("message_id"); !mid.empty()) accepted_ids_.insert(host_and_id(e.host, mid));
        EntryState& st = entries_[key];
        for (const auto& r : split_list(e.get_str("to"))) st.rcpt_final.emplace(r, "");
        st.is_bounce = e.get_bool("bounce").value_or(false);
        const std::string dsn_for = e.get_str("dsn_for");
        if (!dsn_for.empty()) dsn_reports_.insert({e.host, dsn_for});
        ++accepted_;
        return;
    }
    auto it = entries_.find(key);
    if (it == entries_.end()) return;  // an entry from before the trace began
    EntryState& st = it->second;
    if (ev == "sent" || ev == "delivered" || ev == "bounced") {
        for (const auto& r : split_list(e.get_str("to"))) st.rcpt_final[r] = std::string(ev);
    } else if (ev == "removed") {
        st.removed = true;
    } else if (ev == "double-bounce") {
        st.double_bounced = true;
    }
}

ConservationReport ConservationTracker::report() const {
    ConservationReport rep;
    rep.accepted = accepted_;
    for (const auto& [key, st] : entries_) {
        const auto& [host, qid] = key;
        bool pending = false;
        for (const auto& [rcpt, fin] : st.rcpt_final) {
            if (fin == "delivered") ++rep.delivered;
            else if (fin == "sent") ++rep.sent;
            else if (fin == "bounced") {
                ++rep.bounced;
                if (!st.is_bounce && dsn_reports_.count(key) == 0) {
                    rep.violations.push_back({host, qid, "recipient " + rcpt + " bounced but no DSN was queued for the sender"});
                }
                if (st.is_bounce && !st.double_bounced) {
                    rep.violations.push_back({host, qid, "a bounce to " + rcpt + " failed and was not handed to the postmaster"});
                }
            } else {
                pending = true;
                ++rep.still_queued;
                if (st.removed) {
                    rep.violations.push_back({host, qid, "removed from the spool while " + rcpt + " was neither delivered nor bounced"});
                }
            }
        }
        if (!pending && !st.removed) {
            rep.violations.push_back({host, qid, "every recipient is done but the spool entry was never removed"});
        }
    }
    // End to end: a hand-off to another simulated MTA counts only if that MTA
    // really took the message (RFC 5321 §6.1: responsibility moves with the 250).
    for (const auto& h : handoffs_) {
        if (mta_hosts_.count(h.remote) != 0 && accepted_ids_.count(host_and_id(h.remote, h.message_id)) == 0) {
            rep.violations.push_back({h.host, h.queue_id, "recipient " + h.rcpt + " was marked sent to " + h.remote +
                                                               " but " + h.remote + " never accepted the message"});
        }
    }
    for (const auto& [key, n] : copies_) {
        if (n > 1) rep.duplicates.push_back({key.first, key.second, n});
    }
    return rep;
}

ConservationReport check_conservation(const std::vector<trace::Event>& events) {
    ConservationTracker t;
    for (const auto& e : events) t.on_event(e);
    return t.report();
}

}  // namespace postino::agents
