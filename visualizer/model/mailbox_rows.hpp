// mailbox_rows.hpp — what the Mailboxes panel shows at the cursor, worked
// out from the world state without ImGui (so it is unit-tested): for every
// account, its folders (INBOX first), and in each the messages with their
// flags as readable badges and a mark: new (just stored, appended or copied
// in), changed (its flags changed at the current event), removed (deleted at
// POP3 UPDATE, RFC 1939 §6, or expunged by IMAP, RFC 3501 §6.4.3: shown
// struck through at that moment, then gone). Folders an IMAP client created,
// deleted or renamed (RFC 3501 §6.3.3–6.3.5) carry that change the same way:
// a new folder shows even while empty, a deleted one is struck out with its
// messages, then gone; a renamed one says from where, its old name where to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/world.hpp"

namespace postino::viz {

// "Just happened": within this much simulated time of the change, or while
// its event is the current one.
inline constexpr std::int64_t kMailboxRecentNs = 1'000'000'000;

enum class MsgMark : std::uint8_t { plain, fresh, changed, removed };

// One flag as the panel shows it: IMAP's system flags by name (RFC 3501
// §2.3.2), keywords as written.
struct FlagBadge {
    std::string flag;  // "\\Seen"
    std::string text;  // "Seen"
    bool operator==(const FlagBadge&) const = default;
};
std::vector<FlagBadge> flag_badges(std::string_view flags);

struct MailboxRow {
    const MailboxMsg* msg = nullptr;
    MsgMark mark = MsgMark::plain;
    std::vector<FlagBadge> badges;
    std::string state;  // "new", "read", "unread", "deleted (POP3)", "expunged", "moved to X"
    std::string origin; // "", "appended", "copy of INBOX #3"
};

struct FolderRows {
    MailboxKey key;
    std::size_t live = 0;  // messages in it now (removed ones not counted)
    std::vector<MailboxRow> rows;
    // The folder's own change (IMAP CREATE, DELETE, RENAME), while it is recent:
    // fresh (created, the new name of a rename), changed (INBOX emptied by a
    // rename), removed (deleted, the old name of a rename); a \Noselect name
    // always says so. A deleted or renamed-away folder is gone after that.
    MsgMark mark = MsgMark::plain;
    std::string state;  // "", "created", "deleted", "\\Noselect (deleted, has inferiors)", "renamed from X", "renamed to X", "messages moved to X"
};

// The folders of every mailbox at the cursor: `current` is the index of the
// event just applied (kNone before the first), `now` the cursor's time.
std::vector<FolderRows> mailbox_rows(const WorldState& w, std::uint32_t current, std::int64_t now);

}  // namespace postino::viz
