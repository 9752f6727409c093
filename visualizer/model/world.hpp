// world.hpp — the state of the simulated world after some prefix of a trace:
// hosts (up, crashed, links down), open connections, packets in flight, MTA
// spools, mailboxes, messages seen, active faults, the narration in force.
//
// apply() is the only way to change it, one event at a time and in order, so
// the state at cursor k is by definition "the events before k, applied". Every
// container is ordered, which makes two states comparable with ==: the tests
// check that a state rebuilt from a snapshot equals one replayed from the start.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/trace_model.hpp"

namespace postino::viz {

struct HostState {
    bool crashed = false;       // a `host` down event without its up
    int down_faults = 0;        // active host-down faults
    int link_down = 0;          // active link-down faults
    int link_changes = 0;       // active link-change faults
    std::int64_t latency_ns = -1;  // from the latest link-change in force
    std::int64_t loss_ppm = -1;
    int ports_closed = 0;
    std::uint32_t last_event = kNone;
    [[nodiscard]] bool down() const { return crashed || down_faults > 0; }
    bool operator==(const HostState&) const = default;
};

struct ConnState {
    std::uint32_t client = 0;   // host ids
    std::uint32_t server = 0;
    std::string client_state;   // connect, established, eof, closed, refused, timeout, reset, abort
    std::string server_state;
    std::int64_t port = 0;      // the server's port
    std::uint32_t opened = kNone;
    bool operator==(const ConnState&) const = default;
};

struct Recipient {
    std::string addr;
    std::string state = "queued";  // queued, sent, delivered, bounced
    bool operator==(const Recipient&) const = default;
};

// One entry of an MTA's spool, with the fields the course names (sender,
// recipient, destination host, deposit time) and the retry bookkeeping.
struct SpoolEntry {
    std::string queue_id;
    std::string from;
    std::vector<Recipient> rcpts;
    std::string dest;
    std::int64_t deposit = -1;  // ns; -1 unknown
    std::int64_t attempts = 0;
    std::int64_t next = -1;     // ns of the next attempt; -1 none planned
    std::string last_error;
    std::string status;         // last enhanced status code
    std::string state;          // the last spool event: enqueued, attempt, deferred, ...
    std::int64_t size = -1;
    std::string dsn_for;        // a bounce: the queue id it reports on
    bool warned = false;
    std::uint32_t first_ev = kNone;
    std::uint32_t last_ev = kNone;
    bool operator==(const SpoolEntry&) const = default;
};

// One message of one mailbox folder. A message removed (POP3 UPDATE, IMAP
// expunge) stays here, marked, so the panel can show it going; a message an
// IMAP client put into a folder (COPY, MOVE, APPEND) has its origin.
struct MailboxMsg {
    std::int64_t uid = 0;
    std::int64_t size = -1;
    std::string queue_id;       // the spool entry it was delivered from (a copy inherits its source's)
    std::string flags;          // IMAP flags as written, sorted ("\\Flagged \\Seen"); "" none
    std::string origin;         // "stored" (delivered by the MTA), "appended", "copied"
    std::string from_folder;    // copied: the folder and UID it was copied from
    std::int64_t from_uid = 0;
    std::string copied_to;      // the last folder a copy of it went to (COPY, MOVE)
    std::int64_t stored_t = -1;
    std::uint32_t stored_ev = kNone;
    std::uint32_t flags_ev = kNone;  // the last flags change
    bool deleted = false;       // removed: at POP3 UPDATE, or expunged by IMAP
    std::string removed_by;     // the event's `by`: "pop3", "imap" ("" not said)
    std::int64_t removed_t = -1;
    std::uint32_t removed_ev = kNone;
    std::uint32_t last_ev = kNone;
    bool operator==(const MailboxMsg&) const = default;
};

// A mailbox folder: (host, account, folder). Events without a folder (the
// MTA's deliveries, POP3) are INBOX's.
struct MailboxKey {
    std::uint32_t host = 0;
    std::string mailbox;
    std::string folder;
    auto operator<=>(const MailboxKey&) const = default;
    bool operator==(const MailboxKey&) const = default;
};

// A folder's own life, when an IMAP client changed it (CREATE, DELETE,
// RENAME: the `folder-*` mailbox events): the last change and when.
enum class FolderChange : std::uint8_t {
    created,      // CREATE (or a superior name CREATE or RENAME made)
    deleted,      // DELETE: gone, with its messages
    noselect,     // DELETE of a folder with inferiors: emptied, the name stays \Noselect (RFC 3501 §6.3.4)
    renamed,      // RENAME: this is the new name (`other` the old one)
    renamed_away, // RENAME: this was the old name (`other` the new one)
    emptied,      // RENAME INBOX: its messages went to `other`, INBOX stays (RFC 3501 §6.3.5)
};

struct FolderLife {
    FolderChange change = FolderChange::created;
    std::string other;  // renamed: the other name
    std::int64_t t = -1;
    std::uint32_t ev = kNone;
    bool operator==(const FolderLife&) const = default;
};

struct ActiveFault {
    std::string fault;
    std::string target;
    int depth = 0;
    std::uint32_t begin_ev = kNone;
    bool operator==(const ActiveFault&) const = default;
};

struct WorldState {
    std::uint32_t applied = 0;  // events [0, applied) are in this state
    std::vector<HostState> hosts;  // by host id
    std::map<std::uint64_t, ConnState> conns;  // open connections
    std::set<std::uint32_t> in_flight;         // arrows sent and not yet received
    std::map<std::pair<std::uint32_t, std::string>, SpoolEntry> spool;  // (MTA host, queue id)
    std::map<MailboxKey, std::map<std::int64_t, MailboxMsg>> mailboxes;
    std::map<MailboxKey, FolderLife> folders;  // folders an IMAP client created, deleted or renamed
    std::map<std::string, std::uint32_t> messages;  // message id -> its latest `message` event
    std::map<std::string, ActiveFault> faults;      // "fault target" -> fault
    std::uint32_t last_note = kNone;
    std::uint32_t last_ua = kNone;
    std::uint64_t delivered = 0, bounced = 0, deferred = 0, lost = 0;
    bool operator==(const WorldState&) const = default;

    [[nodiscard]] const HostState* host(std::uint32_t id) const { return id < hosts.size() ? &hosts[id] : nullptr; }
    // Roughly how many entries a copy of this state copies.
    [[nodiscard]] std::size_t size_hint() const {
        std::size_t n = hosts.size() + conns.size() + in_flight.size() + spool.size() + messages.size() + faults.size() +
                        folders.size();
        for (const auto& [k, m] : mailboxes) n += m.size();
        return n;
    }
};

// Applies event `i` (which must be state.applied) to the state.
void apply(WorldState& state, const TraceModel& model, std::uint32_t i);

// Splits "a@x, b@y" into addresses.
std::vector<std::string> split_list(const std::string& s);

}  // namespace postino::viz
