// conservation.hpp — "mail is never lost" (DESIGN.md §2.5), checked from the
// trace at the end of a run.
//
// Every message an MTA accepted (its `spool enqueued` event, written when it
// replies 250 to DATA or accepts a local submission) must, for every
// recipient, end in one of: `sent` (the next hop accepted it and is now
// responsible), `delivered` (stored in a mailbox), `bounced` (with a DSN
// enqueued on the same MTA reporting on it — unless it was itself a bounce,
// which goes to the postmaster instead: a `delivered` to postmaster or a
// `double-bounce` note on the entry) — or still be in the spool (no
// `removed` event) waiting for a retry. Violations name the MTA, the queue id
// and the reason.
#pragma once

#include <map>
#include <set>
#include <unordered_set>
#include <string>
#include <vector>

#include "core/trace.hpp"

namespace postino::agents {

struct ConservationViolation {
    std::string host;
    std::string queue_id;
    std::string reason;
};

// The same message (by Message-ID) stored twice in one mailbox: what a lost
// 250 after the final dot causes (RFC 1047). Reported, not hidden; it is not
// a loss, so it is not a violation.
struct DuplicateDelivery {
    std::string address;
    std::string message_id;
    int copies = 0;
};

struct ConservationReport {
    std::size_t accepted = 0;     // spool entries enqueued
    std::size_t delivered = 0;    // recipients stored in mailboxes
    std::size_t sent = 0;         // recipients handed to the next hop
    std::size_t bounced = 0;      // recipients bounced
    std::size_t still_queued = 0; // recipients waiting in a spool at the end
    std::vector<ConservationViolation> violations;
    // Violations the scenario declared on purpose (DESIGN.md §2.5: a lenient
    // server tricked by smuggling): reported with the reason, not a failure.
    std::vector<ConservationViolation> declared;
    std::vector<DuplicateDelivery> duplicates;
    [[nodiscard]] bool ok() const { return violations.empty(); }
    [[nodiscard]] std::string summary() const;
};

// Follows the spool and mailbox events as they are recorded, so a long run
// need not keep its whole trace in memory to be checked.
class ConservationTracker final : public trace::Sink {
public:
    void on_event(const trace::Event& e) override;
    // A packet event only names its host: no Event is built for it.
    void on_packet_line(const trace::PacketRecord& p, std::string_view, const trace::LazyPacketEvent&) override {
        note_host(p.host);
    }
    // Nor for an SMTP line or a TCP connection event.
    void on_smtp_line(const trace::SmtpLineRecord& r, std::string_view, const trace::LazySmtpLineEvent&) override {
        note_host(r.host);
    }
    void on_tcp_line(const trace::TcpRecord& r, std::string_view, const trace::LazyTcpEvent&) override {
        note_host(r.host);
    }
    [[nodiscard]] ConservationReport report() const;

private:
    void note_host(std::string_view host);
    struct EntryState {
        std::map<std::string, std::string> rcpt_final;  // rcpt -> sent/delivered/bounced ("" pending)
        bool removed = false;
        bool is_bounce = false;
        bool double_bounced = false;
    };
    std::map<std::pair<std::string, std::string>, EntryState> entries_;  // (host, queue id)
    std::set<std::pair<std::string, std::string>> dsn_reports_;         // (host, original queue id)
    std::map<std::pair<std::string, std::string>, int> copies_;        // (address, Message-ID)
    // Only looked up, never iterated, so hashed: nothing of their order reaches a report.
    std::unordered_set<std::string> accepted_ids_;  // host_and_id(host, Message-ID) of every enqueued message
    std::unordered_set<std::string> mta_hosts_;     // hosts that report to this trace (simulated ones)
    std::string recent_hosts_[2];                                      // the last two hosts added to mta_hosts_
    struct Handoff {
        std::string host, queue_id, remote, message_id, rcpt;
    };
    std::vector<Handoff> handoffs_;  // "sent" events: responsibility moved to `remote`
    std::size_t accepted_ = 0;
};

ConservationReport check_conservation(const std::vector<trace::Event>& events);

}  // namespace postino::agents
