// mail_store.hpp — the mailbox store shared by local delivery (the MTA),
// POP3 and IMAP: accounts, folders (INBOX first), messages with stable UIDs.
//
// In memory for simulation; `postino serve` will back the same interface
// with Maildir. UIDs are strictly ascending per folder and never reused
// (RFC 3501 §2.3.1.1, RFC 1939 §7 UIDL); UIDVALIDITY is fixed per folder.
// Quotas count the octets of every message of an account (RFC 5321 §4.5.3.1.10
// lets a server refuse mail for storage reasons: 452/552). A folder may be
// locked by one session at a time (RFC 1939 §8, exclusive-access lock).
// Iteration is over std::map, so the order never depends on pointers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace postino::store {

inline constexpr const char* kInbox = "INBOX";  // RFC 3501 §5.1: case-insensitive, always exists

struct StoredMessage {
    std::uint32_t uid = 0;
    std::string bytes;            // the whole message, CRLF line ends
    Time internal_date{};         // when it was stored
    std::vector<std::string> flags;  // sorted, e.g. "\\Seen", "\\Deleted"
    [[nodiscard]] bool has_flag(const std::string& f) const;
};

struct Folder {
    std::uint32_t uid_validity = 1;
    std::uint32_t next_uid = 1;
    std::vector<StoredMessage> messages;  // in UID order
    std::uint64_t locked_by = 0;          // 0: unlocked; else a session id
    [[nodiscard]] std::uint64_t octets() const;
};

struct Account {
    std::string name;
    std::string password;
    std::uint64_t quota_octets = 0;  // 0: no quota
    bool quota_is_temporary = false; // answer 452 4.2.2 instead of 552 5.2.2
    std::map<std::string, Folder> folders;
    [[nodiscard]] std::uint64_t octets() const;
};

enum class InsertStatus : std::uint8_t {
    Stored,         // the message is in the folder
    NoSuchAccount,  // unknown user: 550 5.1.1
    OverQuota,      // 552 5.2.2 (or 452 4.2.2 when the quota is temporary)
    Failed,         // an injected insertion failure: 451 4.3.0
};
const char* to_string(InsertStatus s);

struct InsertResult {
    InsertStatus status = InsertStatus::Stored;
    std::uint32_t uid = 0;
};

class MailStore {
public:
    Account& add_account(const std::string& name, const std::string& password = {}, std::uint64_t quota = 0);
    Account* find(const std::string& name);
    const Account* find(const std::string& name) const;
    [[nodiscard]] const std::map<std::string, Account>& accounts() const { return accounts_; }

    // Checks, without storing, whether `octets` more would fit (for RCPT time).
    [[nodiscard]] InsertStatus can_accept(const std::string& account, std::uint64_t octets) const;
    // Appends a message to a folder (INBOX by default).
    InsertResult insert(const std::string& account, std::string bytes, Time now, const std::string& folder = kInbox);

    // Injected mailbox-insertion fault: while set, every insert into the
    // account fails with InsertStatus::Failed.
    void set_insert_fault(const std::string& account, bool failing);
    // Injected "mailbox full": while set the account behaves as over quota.
    void set_full_fault(const std::string& account, bool full);

    // Exclusive access for a session (POP3 maildrop lock). False if held by another.
    bool lock(const std::string& account, std::uint64_t session, const std::string& folder = kInbox);
    void unlock(const std::string& account, std::uint64_t session, const std::string& folder = kInbox);

private:
    std::map<std::string, Account> accounts_;
    std::map<std::string, bool> insert_faults_;
    std::map<std::string, bool> full_faults_;
};

}  // namespace postino::store
