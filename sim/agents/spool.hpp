// spool.hpp — an MTA's spool: the copies of messages it has accepted and
// not yet handed on (DESIGN.md §3, "the spooling scheme"; RFC 5321 §4.5.4).
//
// An entry holds what the course names — sender, recipient(s), destination,
// deposit time — plus the queue id, the message, per-recipient state, the
// attempt count, the last error and the next attempt time. The spool is the
// MTA's disk: it survives a simulated crash and restart (sessions in flight
// do not). Entries live in a std::map by queue id, so iteration is ordered.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/retry_profile.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"

namespace postino::agents {

enum class RcptState : std::uint8_t {
    Pending,    // still to be delivered (local or remote)
    Sent,       // accepted by the next hop (2xx after DATA)
    Delivered,  // stored in a local mailbox
    Bounced,    // failed permanently or expired; a DSN was (or will be) sent
};
const char* to_string(RcptState s);

struct Recipient {
    std::string address;       // local@domain as given in RCPT TO
    std::string domain;        // lower-cased
    bool local = false;        // one of this MTA's domains
    RcptState state = RcptState::Pending;
    std::string last_error;    // reply text or network error of the last failure
    std::string status;        // enhanced status code of the last failure ("4.4.1")
    std::string remote_mta;    // host that accepted it, or the last one tried
};

struct SpoolEntry {
    std::string queue_id;
    std::string sender;        // envelope sender; "" is the null reverse-path <>
    std::vector<Recipient> rcpts;
    std::string message;       // the bytes as received (plus our Received: header)
    Time deposit{};            // when it entered the spool
    int attempts = 0;
    Time next_attempt{};
    RetryState retry;
    bool is_bounce = false;    // a DSN we generated (never bounced again: double bounce)
    bool warned = false;       // a "delayed" DSN was sent
    std::string dsn_for;       // queue id of the message a bounce reports on
    std::uint64_t received_conn = 0;  // connection it arrived on (for the trace)

    [[nodiscard]] bool done() const;            // no recipient pending
    [[nodiscard]] bool has_pending_remote() const;
    [[nodiscard]] bool has_pending_local() const;
    [[nodiscard]] std::string recipients_text(bool pending_only = false) const;
};

class Spool {
public:
    // A queue id like Postfix's: 10 upper-case hex digits from the host's
    // "queue:<host>" RNG stream, unique within this spool.
    std::string new_queue_id(Rng& rng) const;
    SpoolEntry& add(SpoolEntry e);
    SpoolEntry* find(const std::string& queue_id);
    void remove(const std::string& queue_id);
    [[nodiscard]] const std::map<std::string, SpoolEntry>& entries() const { return entries_; }
    std::map<std::string, SpoolEntry>& entries() { return entries_; }
    [[nodiscard]] std::size_t size() const { return entries_.size(); }

private:
    std::map<std::string, SpoolEntry> entries_;
};

}  // namespace postino::agents
