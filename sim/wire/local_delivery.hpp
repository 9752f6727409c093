// local_delivery.hpp — what `postino serve` does with mail it receives:
// recipient checks at RCPT time, the durable spool write before the 250
// after DATA (RFC 5321 §6.1), and delivery from the spool into the
// Maildirs, with aliases expanded (agents::AliasTable: nested, loops
// refused with 5.4.6, RFC 3463 §3.5) and quotas checked (452/552).
//
// At final delivery a Return-Path: and a Received: line are prepended
// (RFC 5321 §4.4); the message octets after them are exactly those the
// client sent (unstuffed). Mail for domains that are not local is refused
// at RCPT with 554 5.7.1, except from an authenticated submitter when the
// config has a route for the domain: then it goes to the outbound queue
// (wire/outbound.hpp), written durably before the 250 too.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "agents/aliases.hpp"
#include "wire/trace_log.hpp"
#include "proto/smtp/envelope.hpp"
#include "proto/smtp/policy.hpp"
#include "wire/maildir_store.hpp"
#include "wire/serve_config.hpp"
#include "wire/spool_dir.hpp"

namespace postino::wire {
class Outbound;
}

namespace postino::wire {

class LocalDelivery {
public:
    LocalDelivery(const ServeConfig& config, MaildirStore& store, SpoolDir& spool, TraceLog& trace,
                  std::ostream& log);

    [[nodiscard]] bool is_local_domain(const std::string& domain) const;
    // RCPT TO (RFC 5321 §4.1.1.3): 250, 550 5.1.1, 552/452 quota, 554 5.7.1 relay, 550 5.4.6 alias loop.
    // `may_relay`: the client authenticated (submission), so a routed remote domain is accepted.
    smtp::Decision check_recipient(const mail::Mailbox& rcpt, bool may_relay = false) const;
    void set_outbound(Outbound* o) { outbound_ = o; }
    // End of DATA: expand, check quotas, write the spool entry durably, then
    // 250 queued as <id>; any failure to write is 451 4.3.0 (RFC 3463 §3.4).
    // The entry is appended to `pending` (the session's own list).
    smtp::Decision accept(const smtp::SessionInfo& session, const smtp::Envelope& envelope, std::string_view content,
                          const std::string& peer, std::vector<SpoolEntry>& pending);
    // Delivers the session's entries accepted since the last call (after the 250 is written).
    void deliver_pending(std::vector<SpoolEntry>& pending);
    // On start: delivers what a crash left in the spool. Returns the count.
    std::size_t recover();

private:
    struct Finals {
        std::vector<std::string> accounts;
        bool loop = false;
    };
    [[nodiscard]] Finals expand(const mail::Mailbox& rcpt) const;
    [[nodiscard]] std::string next_queue_id();
    // `recovering`: the entry comes from the spool at start and may be delivered already.
    void deliver(const SpoolEntry& e, bool recovering);

    const ServeConfig& config_;
    MaildirStore& store_;
    SpoolDir& spool_;
    TraceLog& trace_;
    std::ostream& log_;
    agents::AliasTable aliases_;
    Outbound* outbound_ = nullptr;
    // Sessions run on several threads: the counters are atomic, the log has a lock.
    std::atomic<std::uint64_t> counter_{0};
    std::atomic<std::uint64_t> stored_{0};  // "uid" of mailbox trace events without IMAP: deliveries since start
    std::mutex log_mutex_;
};

}  // namespace postino::wire
