// policy.hpp — how the IMAP server engine reaches the mailboxes of its host
// (DESIGN.md §2.1): the engine owns no mailbox. The host (sim/agents'
// MailStore adapter, or a test's) answers every question and performs every
// change, so several sessions on one store see each other's changes.
//
// RFC 3501 §2.3.1.1 (UIDs strictly ascending, never reused; UIDVALIDITY
// changes when they could be), §2.3.2 (flags; \Recent is for the first
// session that sees a message), §5.1 (mailbox naming; the store decides
// which names exist), §6.3.3–6.3.6 and §6.3.11 (CREATE, DELETE, RENAME,
// SUBSCRIBE, APPEND), §6.4.3 and §6.4.7 (EXPUNGE, COPY).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace postino::imap {

struct MessageMeta {
    std::uint32_t uid = 0;
    std::vector<std::string> flags;  // sorted, never \Recent
    Time internal_date{};
    std::uint64_t size = 0;  // octets of the message (RFC822.SIZE)
};

struct MailboxSnapshot {
    std::uint32_t uid_validity = 1;
    std::uint32_t uid_next = 1;
    std::vector<MessageMeta> messages;  // in UID order
    // Messages with uid >= this are \Recent for the session that asked
    // (RFC 3501 §2.3.2); a claiming open() moves the mark past them.
    std::uint32_t first_recent_uid = 0;
};

struct MailboxInfo {
    std::string name;  // full name, "/"-delimited, as on the wire (modified UTF-7)
    bool noselect = false;
    bool subscribed = false;
};

enum class StoreStatus : std::uint8_t {
    Ok,
    NoSuchMailbox,  // NO [NONEXISTENT] / [TRYCREATE] (RFC 5530 §3, RFC 3501 §6.3.11)
    AlreadyExists,  // NO [ALREADYEXISTS] (RFC 5530 §3)
    NotAllowed,     // NO [CANNOT]: e.g. DELETE INBOX (RFC 3501 §6.3.4)
    OverQuota,      // NO [OVERQUOTA] (RFC 5530 §3)
    Failed,         // NO [SERVERBUG]: the store could not do it now
};

struct AppendOutcome {
    StoreStatus status = StoreStatus::Ok;
    std::uint32_t uid_validity = 0;
    std::uint32_t uid = 0;
};

struct CopyOutcome {
    StoreStatus status = StoreStatus::Ok;
    std::uint32_t uid_validity = 0;
    std::vector<std::uint32_t> source_uids;  // copied, ascending
    std::vector<std::uint32_t> dest_uids;    // their new UIDs, in the same order
};

enum class FlagChange : std::uint8_t { Replace, Add, Remove };

class MailStorePolicy {
public:
    virtual ~MailStorePolicy() = default;
    // LOGIN / AUTHENTICATE PLAIN (RFC 3501 §6.2.2–6.2.3).
    virtual bool check_password(std::string_view user, std::string_view password) = 0;
    // Every mailbox of the user, sorted by name (INBOX included).
    virtual std::vector<MailboxInfo> mailboxes(std::string_view user) = 0;
    // The mailbox now; nullopt when it does not exist or is \Noselect.
    // `claim_recent`: this session becomes the one that sees new messages as \Recent.
    virtual std::optional<MailboxSnapshot> open(std::string_view user, std::string_view mailbox, bool claim_recent) = 0;
    // The octets of a message, or nullopt when it is gone.
    virtual std::optional<std::string> message(std::string_view user, std::string_view mailbox, std::uint32_t uid) = 0;
    virtual StoreStatus create(std::string_view user, std::string_view mailbox) = 0;
    virtual StoreStatus remove(std::string_view user, std::string_view mailbox) = 0;
    virtual StoreStatus rename(std::string_view user, std::string_view from, std::string_view to) = 0;
    virtual StoreStatus subscribe(std::string_view user, std::string_view mailbox, bool subscribe) = 0;
    virtual AppendOutcome append(std::string_view user, std::string_view mailbox, std::string bytes,
                                 std::vector<std::string> flags, Time internal_date) = 0;
    // Changes the flags of one message atomically against its current flags
    // (so two sessions' +FLAGS both survive, RFC 3501 §6.4.6); the new flags,
    // or nullopt when the message is gone.
    virtual std::optional<std::vector<std::string>> update_flags(std::string_view user, std::string_view mailbox,
                                                                 std::uint32_t uid, FlagChange change,
                                                                 const std::vector<std::string>& flags) = 0;
    // Copies the messages (flags and internal date kept, RFC 3501 §6.4.7);
    // all or nothing.
    virtual CopyOutcome copy(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                             std::string_view to) = 0;
    // Removes the messages for good (RFC 3501 §6.4.3).
    virtual StoreStatus expunge(std::string_view user, std::string_view mailbox,
                                const std::vector<std::uint32_t>& uids) = 0;
};

}  // namespace postino::imap
