// sweep_checks.cpp — the protocol-violation invariant of a sweep, with
// abrupt closes attributed to injected faults, and lost-250 retransmissions
// (RFC 1047). See sweep_checks.hpp.
#include "scenario/sweep_checks.hpp"

#include <algorithm>
#include <string_view>

namespace postino::scenario {
namespace {

// Faults after which a connection may end without its protocol's goodbye.
bool breaks_connections(const std::string& kind) {
    return kind == "host-down" || kind == "link-down" || kind == "link-change" || kind == "drop-connection";
}

constexpr std::string_view kAccepted = "message accepted as ";  // a server's proto transaction detail

}  // namespace

void ProtocolViolationCheck::on_event(const trace::Event& e) {
    if (e.kind == "fault") return on_fault(e);
    if (e.conn != 0) conn_start_.emplace(e.conn, e.t);
    if (e.kind == "tcp") {
        const std::string ev = e.get_str("ev");
        if (ev == "timeout" || ev == "reset" || ev == "eof") transport_failed_[{e.host, e.conn}] = {e.t, ev};
        return;
    }
    if (e.kind == "line" && e.get_str("proto") == "smtp" && e.get_int("code")) {  // a reply
        (e.get_str("dir") == "send" ? replies_sent_ : replies_read_)[e.conn]++;
        return;
    }
    if (e.kind != "proto" || e.get_str("ev") != "violation") return;
    const std::string what = e.host + ": " + e.get_str("detail") + " (" + e.get_str("section") + ")";
    const std::string cause = fault_cause(e);
    if (!cause.empty()) {
        if (fault_closes_ == 0) fault_close_first_ = what + " — " + cause;
        ++fault_closes_;
        return;
    }
    if (count_ == 0) first_ = what;
    ++count_;
}

void ProtocolViolationCheck::on_fault(const trace::Event& e) {
    const std::string kind = e.get_str("fault");
    if (!breaks_connections(kind)) return;
    FaultState& f = faults_[e.get_str("target")];
    if (e.get_str("ev") == "begin") {
        ++f.active;
        if (f.kinds.find(kind) == std::string::npos) f.kinds += (f.kinds.empty() ? "" : ", ") + kind;
    } else if (f.active > 0) {
        --f.active;
        f.last_end = e.t;
        f.ended = true;
    }
}

const ProtocolViolationCheck::FaultState* ProtocolViolationCheck::hit_since(const std::string& host, Time since) const {
    auto it = faults_.find(host);
    if (it == faults_.end()) return nullptr;
    const FaultState& f = it->second;
    return f.active > 0 || (f.ended && since <= f.last_end) ? &f : nullptr;
}

std::string ProtocolViolationCheck::fault_cause(const trace::Event& e) const {
    // Only the engine's answer to a transport failure reported at this very
    // instant on this host's end of this connection.
    auto tf = transport_failed_.find({e.host, e.conn});
    if (tf == transport_failed_.end() || tf->second.first != e.t) return {};
    const std::string& how = tf->second.second;
    // A FIN is the client's choice: it counts unless the client was still
    // waiting for replies the server had sent and it never read (they were
    // lost; the client gave up, RFC 5321 §4.5.3.2 timeouts).
    auto count_of = [&](const std::map<std::uint64_t, int>& m) {
        auto it = m.find(e.conn);
        return it == m.end() ? 0 : it->second;
    };
    if (how == "eof" && count_of(replies_sent_) <= count_of(replies_read_)) return {};
    auto start = conn_start_.find(e.conn);
    const Time since = start == conn_start_.end() ? e.t : start->second;
    std::string hosts;
    for (const std::string* h : {&e.peer, &e.host}) {
        if (const FaultState* f = hit_since(*h, since)) hosts += (hosts.empty() ? "" : " and ") + *h + " (" + f->kinds + ")";
    }
    if (hosts.empty()) return {};
    const std::string ended = how == "timeout" ? "the connection timed out"
                              : how == "reset" ? "the connection was reset"
                                               : "the client gave up waiting for replies it never received (RFC 5321 "
                                                 "§4.5.3.2) and closed";
    return ended + " after an injected fault hit " + hosts;
}

void RetransmissionCheck::on_event(const trace::Event& e) {
    if (e.kind == "spool") {
        const std::string ev = e.get_str("ev");
        if (ev == "enqueued") {
            ids_[{e.host, e.get_str("queue_id")}] = e.get_str("message_id");
        } else if (ev == "sent") {
            // One transaction gives one "sent" per recipient at the same instant.
            handed_[{e.host, e.get_str("remote"), e.get_str("message_id")}].insert(e.get_str("queue_id") + "@" +
                                                                                    std::to_string(e.t.ns()));
        }
        return;
    }
    if (e.kind == "ua" && e.get_str("ev") == "submitted") {
        const std::string text = e.get_str("text");  // "handed to HOST: <reply text> queued as QID"
        constexpr std::string_view kTo = "handed to ", kAs = "queued as ";
        const auto colon = text.find(':');
        const auto as = text.rfind(kAs);
        if (text.rfind(kTo, 0) != 0 || colon == std::string::npos || as == std::string::npos) return;
        const std::string server = text.substr(kTo.size(), colon - kTo.size());
        const std::string qid = text.substr(as + kAs.size());
        auto id = ids_.find({server, qid});
        if (id != ids_.end()) handed_[{e.host, server, id->second}].insert(qid);
        return;
    }
    if (e.kind == "proto" && e.get_str("ev") == "transaction") {
        const std::string detail = e.get_str("detail");
        if (detail.rfind(kAccepted, 0) != 0) return;
        auto id = ids_.find({e.host, detail.substr(kAccepted.size())});
        if (id != ids_.end() && !id->second.empty()) ++accepted_[{e.peer, e.host, id->second}];
    }
}

std::map<std::string, RetransmissionCheck::Retransmitted> RetransmissionCheck::retransmitted() const {
    std::map<std::string, Retransmitted> out;
    for (const auto& [hop, n] : accepted_) {
        if (n < 2) continue;  // a duplicate needs two acceptances
        auto h = handed_.find(hop);
        const int knew = std::max(1, h == handed_.end() ? 0 : static_cast<int>(h->second.size()));
        if (n <= knew) continue;
        const auto& [client, server, mid] = hop;
        Retransmitted& r = out[mid];
        r.extra += n - knew;
        if (r.what.empty()) {
            r.what.append(server).append(" accepted it from ").append(client).append(" ").append(std::to_string(n));
            r.what.append(" times, ").append(client).append(" learned of ").append(std::to_string(knew));
            r.what.append(" (a lost 250, RFC 1047)");
        }
    }
    return out;
}

}  // namespace postino::scenario
