// invariants.cpp — the message-boundaries invariant and declared breaks.
#include "scenario/invariants.hpp"

namespace postino::scenario {
namespace {

// A command line without its line end (a lenient server may take a bare LF
// as the end; the client always sends CRLF, RFC 5321 §2.3.8).
std::string command_text(std::string_view s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

constexpr std::size_t kShownCommandOctets = 80;  // of each smuggled command, in a report
constexpr std::string_view kAccepted = "message accepted as ";

std::string shown(const std::string& c) {
    return "\"" + (c.size() > kShownCommandOctets ? c.substr(0, kShownCommandOctets) + "..." : c) + "\"";
}

std::string list(const std::vector<std::string>& commands) {
    std::string out;
    for (const auto& c : commands) out += (out.empty() ? "" : ", ") + shown(c);
    return out;
}

}  // namespace

void BoundaryTracker::on_event(const trace::Event& e) {
    const std::string_view kind = e.kind;  // compared as a view: length first, then octets
    if (kind == "spool" && e.str_view("ev") == "enqueued") {
        const std::string mid = e.get_str("message_id");
        if (!mid.empty()) message_ids_[{e.host, e.get_str("queue_id")}] = mid;
        return;
    }
    if (kind == "proto" && e.str_view("ev") == "transaction") {
        auto it = conns_.find(e.conn);
        const std::string detail = e.get_str("detail");
        if (it == conns_.end() || it->second.smuggled.empty() || detail.rfind(kAccepted, 0) != 0) return;
        Conn& c = it->second;
        const std::string qid = detail.substr(kAccepted.size());
        auto mid = message_ids_.find({e.host, qid});
        found_.push_back({e.host, qid,
                          "accepted a message " + (mid == message_ids_.end() ? std::string() : mid->second + " ") +
                              "that " + c.client + " never sent as one: the commands " + list(c.smuggled) +
                              " were read from inside the message data of connection " + std::to_string(e.conn) +
                              " (SMTP smuggling: client and server disagree on where the data ends, RFC 5321 "
                              "§2.3.8, §4.1.1.4)"});
        c.smuggled.clear();
        return;
    }
    if (kind != "line" || e.str_view("proto") != "smtp") return;
    const std::string_view verb = e.str_view("verb");
    if (verb.empty() || verb == "DATA-CONTENT") return;  // replies, message content
    command(e.conn, e.host, e.peer, e.str_view("dir") == "send", e.bytes_view("bytes"));
}

void BoundaryTracker::on_smtp_line(const trace::SmtpLineRecord& r, std::string_view, const trace::LazySmtpLineEvent&) {
    if (r.verb.empty() || r.verb == "DATA-CONTENT") return;  // replies, message content
    command(r.conn, r.host, r.peer, r.send, r.bytes);
}

void BoundaryTracker::command(std::uint64_t conn, std::string_view host, std::string_view peer, bool send,
                              std::string_view bytes) {
    Conn& c = conns_[conn];
    std::string line = command_text(bytes);
    if (send) {  // the client wrote a command
        c.client = host;
        c.sent.push_back(std::move(line));
        return;
    }
    c.server = host;  // the server read a command
    if (c.client.empty()) c.client = peer;
    if (c.next < c.sent.size() && c.sent[c.next] == line) {
        c.sent[c.next].clear();  // read as sent
        ++c.next;
        if (c.next == c.sent.size()) {
            c.sent.clear();
            c.next = 0;
        }
        return;
    }
    c.smuggled.push_back(std::move(line));
}

std::vector<agents::ConservationViolation> BoundaryTracker::violations() const {
    std::vector<agents::ConservationViolation> out = found_;
    for (const auto& [id, c] : conns_) {
        if (c.smuggled.empty()) continue;
        out.push_back({c.server, "-", "read the commands " + list(c.smuggled) + " that " + c.client +
                                          " sent inside its message data on connection " + std::to_string(id) +
                                          " (client and server disagree on where the data ends, RFC 5321 §2.3.8, "
                                          "§4.1.1.4)"});
    }
    return out;
}

std::vector<ExpectationResult> apply_declared_breaks(const Scenario& s, const std::vector<InvariantViolation>& all,
                                                     agents::ConservationReport& report) {
    std::vector<const ExpectSpec*> declared;
    for (const auto& e : s.expects) {
        if (e.kind == "breaks") declared.push_back(&e);
    }
    std::vector<std::vector<const InvariantViolation*>> hits(declared.size());
    report.violations.clear();
    report.declared.clear();
    for (const auto& v : all) {
        std::size_t k = 0;
        while (k < declared.size() &&
               (declared[k]->invariant != v.invariant || (!declared[k]->to.empty() && declared[k]->to != v.what.host))) {
            ++k;
        }
        if (k == declared.size()) {
            report.violations.push_back(v.what);
            continue;
        }
        hits[k].push_back(&v);
        agents::ConservationViolation d = v.what;
        d.reason = v.invariant + ": " + d.reason + " (declared: " + declared[k]->reason + ")";
        report.declared.push_back(std::move(d));
    }
    std::vector<ExpectationResult> out;
    for (std::size_t k = 0; k < declared.size(); ++k) {
        const ExpectSpec& e = *declared[k];
        ExpectationResult r;
        r.spec = &e;
        r.expected = "the invariant " + e.invariant + " is broken on purpose" + (e.to.empty() ? "" : " on " + e.to) +
                     ": " + e.reason;
        r.passed = !hits[k].empty();
        if (r.passed) {
            const auto& w = hits[k].front()->what;
            r.happened = std::to_string(hits[k].size()) + " violation(s); first: " + w.host + " [" + w.queue_id +
                         "]: " + w.reason;
        } else {
            r.happened = "the invariant held: the scenario does not show what it declares";
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace postino::scenario
