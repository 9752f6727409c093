// imap_mailstore.hpp — the IMAP server engine's store policy
// (proto/imap/policy.hpp) over the shared MailStore (store/mail_store.hpp),
// the same accounts and folders local delivery and POP3 use.
//
// RFC 3501 §2.3.1.1 (every folder created or re-created gets a UIDVALIDITY
// no folder of the account had before, so a name reused after DELETE or
// RENAME never repeats UIDs), §2.3.2 (\Recent: the first session that opens
// a folder after a message arrived claims it), §6.3.3 (CREATE makes the
// superior names too), §6.3.4 (DELETE of a folder with inferiors empties it
// and leaves it \Noselect; DELETE of a \Noselect name with inferiors is an
// error), §6.3.5 (RENAME moves the inferiors; RENAME INBOX moves its
// messages to the new folder and leaves INBOX empty). Subscriptions, \Noselect
// names and recent marks live here, beside the store, for the host's life.
//
// Every change to a message is reported through `on_trace` as a `mailbox`
// trace event (docs/trace-format.md): `flags` (STORE, \Seen set by a FETCH
// of BODY[], RFC 3501 §6.4.5–6.4.6), `expunged` (EXPUNGE, CLOSE, the
// source of a MOVE, §6.4.3, RFC 6851 §3.3), `copied` (COPY and
// MOVE, §6.4.7) and `appended` (APPEND, §6.3.11); every change to a folder
// as `folder-created` (CREATE, and the superior names CREATE and RENAME
// make), `folder-deleted` (DELETE) and `folder-renamed` (RENAME, one per
// folder moved). The events are built by agents/imap_mailbox_events.hpp,
// shared with `postino serve`'s Maildir store. None of them is a delivery:
// only the MTA writes `stored`.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "core/trace.hpp"
#include "proto/imap/policy.hpp"
#include "store/mail_store.hpp"

namespace postino::agents {

class ImapMailStore final : public imap::MailStorePolicy {
public:
    explicit ImapMailStore(store::MailStore& store) : store_(store) {}

    // Called after every change this adapter makes (the host tells its
    // other sessions, e.g. to wake an IDLE).
    std::function<void()> on_change;
    // Receives every message change as a `mailbox` event with ev, mailbox
    // (the account), uid, folder and the change's fields; the host sets the
    // event's host and adds the address. Unset: nothing is reported.
    std::function<void(trace::Event)> on_trace;
    // The time a message appended without a date gets is passed by the engine.

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
    using Key = std::pair<std::string, std::string>;  // (account, folder)
    store::Folder* folder(std::string_view user, std::string_view name, bool selectable_only = true);
    store::StoredMessage* find_message(store::Folder& f, std::uint32_t uid);
    std::uint32_t fresh_validity(const store::Account& a);
    bool has_inferiors(const store::Account& a, const std::string& name) const;
    void changed() const;
    // A new empty folder with a fresh UIDVALIDITY, reported as `folder-created`.
    void add_folder(store::Account& a, const std::string& name);
    // The superior names of `name` that do not exist yet (§6.3.3, §6.3.5), parents first.
    void make_superiors(store::Account& a, const std::string& name);
    void report(trace::Event e) const;

    store::MailStore& store_;
    std::map<std::string, std::uint32_t> last_validity_;  // per account
    std::set<Key> subscribed_;
    std::set<Key> noselect_;
    std::map<Key, std::uint32_t> recent_mark_;  // first UID no session has claimed yet
};

}  // namespace postino::agents
