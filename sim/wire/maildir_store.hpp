// maildir_store.hpp — the mailboxes of `postino serve` on disk, one Maildir
// per account (DIR/mailboxes/<account>/{tmp,new,cur}).
//
// The same operations the simulator's store::MailStore gives its servers —
// accounts with passwords and quotas, can_accept (RCPT time), insert, the
// POP3 exclusive lock (RFC 1939 §8), listing and removal — over files:
// a delivery writes tmp/<name>, fsyncs it, renames it to new/<name> and
// fsyncs new/, so a mailbox never holds a partial message (the Maildir
// convention). A message's unique-id (RFC 1939 §7 UIDL) is its file name up
// to the ':' of Maildir's info suffix. Account names are checked so a path
// built from them cannot leave DIR (valid_account_name). Quotas count the
// octets of new/ and cur/ (RFC 5321 §4.5.3.1.10: 452/552).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/mail_store.hpp"

namespace postino::wire {

// An account name may hold only [a-z0-9._-], must not start with '.' and is
// at most the RFC 5321 §4.5.3.1.1 local-part length; so "<dir>/<name>" is
// always a child of <dir> (no "/", no "..").
bool valid_account_name(const std::string& name);
// A Maildir file name we write: [A-Za-z0-9._-] only, no leading '.', at most
// kMaxMaildirNameOctets (RFC 1939 §7 caps a unique-id at 70 octets).
bool valid_message_name(const std::string& name);
inline constexpr std::size_t kMaxMaildirNameOctets = 70;

struct MaildirAccount {
    std::string name;
    std::string password;
    std::uint64_t quota_octets = 0;  // 0: no quota
    bool quota_is_temporary = false;
};

struct MaildirMessage {
    std::string uid;   // file name before ':'
    std::string path;  // full path (new/ or cur/)
    std::uint64_t octets = 0;
};

class MaildirStore {
public:
    // Creates DIR/mailboxes/<account>/{tmp,new,cur} for every account and
    // removes stale files from tmp/ (deliveries a crash interrupted: never
    // acknowledged to the spool, so they are redone from it).
    static Result<MaildirStore> open(const std::string& data_dir, std::vector<MaildirAccount> accounts);

    [[nodiscard]] const MaildirAccount* find(const std::string& account) const;
    [[nodiscard]] const std::map<std::string, MaildirAccount>& accounts() const { return accounts_; }

    [[nodiscard]] store::InsertStatus can_accept(const std::string& account, std::uint64_t more) const;
    // Delivers into new/ under `name` (valid_message_name); true when
    // written. With `once`, a message of that name already in new/ or cur/
    // is not written again (recovery after a crash between delivery and
    // spool removal: exactly once). Without it, a fresh name is assumed
    // (no directory scan; O_EXCL still refuses to overwrite).
    Result<bool> insert(const std::string& account, const std::string& name, std::string_view bytes, bool once = true);

    [[nodiscard]] std::vector<MaildirMessage> list(const std::string& account) const;
    Result<std::string> read(const MaildirMessage& m) const;
    // Removes the message with this uid; false when it is not there.
    bool remove(const std::string& account, const std::string& uid);
    [[nodiscard]] std::uint64_t octets(const std::string& account) const;

    bool lock(const std::string& account, std::uint64_t session);
    void unlock(const std::string& account, std::uint64_t session);

    [[nodiscard]] std::string dir_of(const std::string& account) const { return root_ + "/" + account; }

    // Called after insert() wrote or remove() removed a message, with the
    // account (the server wakes that account's IMAP IDLE sessions). Any thread.
    std::function<void(const std::string&)> on_change;
    // Set when `postino serve` serves IMAP (ImapMaildir::inbox_uid): the IMAP
    // UID of the message filed in the account's INBOX as `file`, given now if
    // it has none yet, so the trace events of SMTP delivery, DSNs and POP3
    // carry the UID the IMAP events of the same message carry.
    std::function<std::optional<std::uint32_t>(const std::string& account, const std::string& file)> imap_uid;
    // imap_uid's answer; nullopt when it is unset.
    [[nodiscard]] std::optional<std::uint32_t> imap_uid_of(const std::string& account, const std::string& file) const {
        return imap_uid ? imap_uid(account, file) : std::nullopt;
    }

private:
    std::string root_;  // DIR/mailboxes
    std::map<std::string, MaildirAccount> accounts_;
    // The POP3 locks; sessions run on several threads.
    struct Locks {
        std::mutex mutex;
        std::map<std::string, std::uint64_t> owner;
    };
    std::unique_ptr<Locks> locks_ = std::make_unique<Locks>();
};

}  // namespace postino::wire
