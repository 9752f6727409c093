// imap_maildir.hpp — the IMAP server engine's store policy
// (proto/imap/policy.hpp) over the Maildirs of `postino serve`: the same
// choices as the simulator's agents::ImapMailStore, on files.
//
// Layout (Maildir++, as Dovecot and Courier read it): INBOX is the account's
// Maildir (DIR/mailboxes/<account>/{tmp,new,cur}), which SMTP delivers into
// and POP3 reads; a folder "A/B" is the Maildir <account>/.A.B (IMAP's "/"
// is "." on disk, so a folder name may not hold a "."). Flags are the
// letters of the file name's ":2," info (wire/maildir_flags.hpp); a flag
// change renames the file into cur/. Each folder's `postino-uidlist` keeps
// UIDVALIDITY, the next UID and every message's UID, written durably before
// a UID is shown, so UIDs are stable across restarts and never reused
// (RFC 3501 §2.3.1.1). A new folder's UIDVALIDITY is the larger of the Unix
// time and one more than the last the account handed out
// (<account>/postino-uidvalidity), so a folder name reused after DELETE or
// RENAME never repeats UIDs. INTERNALDATE is the file's mtime (APPEND sets
// it). Subscriptions are <account>/postino-subscriptions; a folder DELETEd
// while it has inferiors is emptied and marked \Noselect by a
// `postino-noselect` file (RFC 3501 §6.3.4). \Recent marks live in memory.
//
// One user never sees another's mail: every call maps the engine's user
// (the name it logged in with) to an account of this server, "alice" or
// "alice@<local domain>", and touches only that account's directory. Sessions
// run on several threads: one mutex orders every call.
//
// Every change is reported through `on_trace` as the same `mailbox` trace
// event the simulator's agents::ImapMailStore writes (both are built by
// agents/imap_mailbox_events.hpp): flags, expunged, copied, appended,
// folder-created, folder-deleted, folder-renamed (docs/trace-format.md). It
// is called under the lock, so the events are in the order of the changes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/trace.hpp"
#include "proto/imap/policy.hpp"
#include "wire/maildir_flags.hpp"
#include "wire/maildir_store.hpp"

namespace postino::wire {

class ImapMaildir final : public imap::MailStorePolicy {
public:
    // `epoch_unix_seconds`: the Unix time of Time zero (the engine's
    // DateContext epoch), to turn mtimes into INTERNALDATE and back.
    ImapMaildir(MaildirStore& store, std::vector<std::string> domains, std::int64_t epoch_unix_seconds);

    // Called (outside the lock) after every change made here, with the account.
    std::function<void(const std::string&)> on_change;
    // Receives every message and folder change as a `mailbox` event with ev,
    // mailbox (the account), uid, folder and the change's fields, without a
    // host or an address (the server sets them). Unset: nothing is reported.
    std::function<void(trace::Event)> on_trace;

    // The UID of a message SMTP (or a DSN) just delivered into the account's
    // INBOX as `file`: the INBOX is brought up to date, which gives new
    // files their UIDs and saves the list before the UID is shown
    // (RFC 3501 §2.3.1.1), as an IMAP session opening INBOX would.
    // nullopt when the account or the file is not there.
    std::optional<std::uint32_t> inbox_uid(const std::string& account, const std::string& file);

    // "alice" or "alice@<local domain>" → "alice"; "" when not an account here.
    [[nodiscard]] std::string account(std::string_view user) const;
    // The credentials of an account with a password (also SMTP AUTH's check).
    [[nodiscard]] bool check(std::string_view user, std::string_view password) const;

    bool check_password(std::string_view user, std::string_view password) override;
    std::vector<imap::MailboxInfo> mailboxes(std::string_view user) override;
    std::optional<imap::MailboxSnapshot> open(std::string_view user, std::string_view mailbox, bool claim_recent) override;
    std::optional<std::string> message(std::string_view user, std::string_view mailbox, std::uint32_t uid) override;
    imap::StoreStatus create(std::string_view user, std::string_view mailbox) override;
    imap::StoreStatus remove(std::string_view user, std::string_view mailbox) override;
    imap::StoreStatus rename(std::string_view user, std::string_view from, std::string_view to) override;
    imap::StoreStatus subscribe(std::string_view user, std::string_view mailbox, bool on) override;
    imap::AppendOutcome append(std::string_view user, std::string_view mailbox, std::string bytes,
                               std::vector<std::string> flags, Time internal_date) override;
    std::optional<std::vector<std::string>> update_flags(std::string_view user, std::string_view mailbox,
                                                         std::uint32_t uid, imap::FlagChange change,
                                                         const std::vector<std::string>& flags) override;
    imap::CopyOutcome copy(std::string_view user, std::string_view from, const std::vector<std::uint32_t>& uids,
                           std::string_view to) override;
    imap::StoreStatus expunge(std::string_view user, std::string_view mailbox,
                              const std::vector<std::uint32_t>& uids) override;

private:
    struct Msg {
        std::uint32_t uid = 0;
        std::string base;
        std::string file;  // "new/<name>" or "cur/<name>:2,<letters>"
        std::uint64_t size = 0;
        std::int64_t mtime_ns = 0;  // Unix time
    };
    struct Folder {
        UidList list;         // as persisted (entries rebuilt from msgs on save)
        std::vector<Msg> msgs;  // ascending uid
    };
    using Key = std::pair<std::string, std::string>;  // (account, folder)

    // The folder's directory ("" when the name cannot be a folder here).
    [[nodiscard]] std::string dir_of(const std::string& acct, const std::string& name) const;
    // Brings the folder up to date with its directory (new files get UIDs,
    // missing ones are dropped, the list is saved when it changed); nullptr
    // when it does not exist or is \Noselect (and `selectable_only`).
    Folder* load(const std::string& acct, const std::string& name, bool selectable_only = true);
    bool save(const std::string& acct, const std::string& name, Folder& f);
    Msg* find(Folder& f, std::uint32_t uid);
    std::uint32_t fresh_validity(const std::string& acct);
    bool make_folder(const std::string& acct, const std::string& name);  // directories + a fresh UID list
    [[nodiscard]] std::vector<std::string> folder_names(const std::string& acct) const;  // INBOX excluded
    [[nodiscard]] bool has_inferiors(const std::string& acct, const std::string& name) const;
    [[nodiscard]] std::set<std::string> subscriptions(const std::string& acct) const;
    bool save_subscriptions(const std::string& acct, const std::set<std::string>& s);
    std::string next_name();
    // Writes a message file into the folder's cur/ with these letters and mtime.
    std::optional<Msg> write_message(const std::string& dir, std::string_view bytes, const std::string& letters,
                                     std::int64_t mtime_ns);
    void notify(const std::string& acct);
    void report(trace::Event e) const;
    // The superior names of `name` that do not exist yet (§6.3.3, §6.3.5),
    // parents first, each reported as `folder-created`; false when one fails.
    bool make_superiors(const std::string& acct, const std::string& name);

    MaildirStore& store_;
    std::vector<std::string> domains_;
    std::int64_t epoch_;
    std::mutex mutex_;
    std::map<Key, Folder> folders_;             // loaded folders
    std::map<Key, std::uint32_t> recent_mark_;  // first UID no session has claimed yet
    std::uint64_t counter_ = 0;
};

}  // namespace postino::wire
