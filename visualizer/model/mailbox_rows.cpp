// mailbox_rows.cpp — the Mailboxes panel's rows at the cursor. See
// mailbox_rows.hpp.
#include "model/mailbox_rows.hpp"

#include <algorithm>

namespace postino::viz {
namespace {

bool recent(std::uint32_t ev, std::int64_t t, std::uint32_t current, std::int64_t now) {
    if (ev == kNone) return false;
    if (ev == current) return true;
    return t >= 0 && now >= t && now - t < kMailboxRecentNs;
}

bool has_flag(const std::vector<FlagBadge>& b, std::string_view f) {
    return std::any_of(b.begin(), b.end(), [&](const FlagBadge& x) { return x.flag == f; });
}

}  // namespace

std::vector<FlagBadge> flag_badges(std::string_view flags) {
    std::vector<FlagBadge> out;
    std::size_t i = 0;
    while (i < flags.size()) {
        std::size_t j = flags.find(' ', i);
        if (j == std::string_view::npos) j = flags.size();
        if (j > i) {
            const std::string f(flags.substr(i, j - i));
            std::string text = f;
            if (f.size() > 1 && f[0] == '\\') text = f.substr(1);  // \Seen, \Flagged, \Deleted, \Answered, \Draft
            out.push_back({f, text});
        }
        i = j + 1;
    }
    return out;
}

std::vector<FolderRows> mailbox_rows(const WorldState& w, std::uint32_t current, std::int64_t now) {
    std::vector<FolderRows> out;
    for (const auto& [key, msgs] : w.mailboxes) {
        FolderRows f;
        f.key = key;
        const FolderLife* life = nullptr;
        if (auto it = w.folders.find(key); it != w.folders.end()) life = &it->second;
        if (life != nullptr) {
            const bool now_ish = recent(life->ev, life->t, current, now);
            switch (life->change) {
                case FolderChange::created:
                    if (now_ish) {
                        f.mark = MsgMark::fresh;
                        f.state = "created";
                    }
                    break;
                case FolderChange::deleted:
                    if (!now_ish) continue;  // gone
                    f.mark = MsgMark::removed;
                    f.state = "deleted";
                    break;
                case FolderChange::noselect:
                    if (now_ish) f.mark = MsgMark::removed;
                    f.state = "\\Noselect (deleted, has inferiors)";
                    break;
                case FolderChange::renamed:
                    if (now_ish) {
                        f.mark = MsgMark::fresh;
                        f.state = "renamed from " + life->other;
                    }
                    break;
                case FolderChange::renamed_away:
                    if (!now_ish) continue;  // gone
                    f.mark = MsgMark::removed;
                    f.state = "renamed to " + life->other;
                    break;
                case FolderChange::emptied:
                    if (now_ish) {
                        f.mark = MsgMark::changed;
                        f.state = "messages moved to " + life->other;
                    }
                    break;
            }
        }
        const bool folder_gone = life != nullptr && (life->change == FolderChange::deleted || life->change == FolderChange::noselect);
        for (const auto& [uid, m] : msgs) {
            if (!m.deleted) ++f.live;
            MailboxRow r;
            r.msg = &m;
            r.badges = flag_badges(m.flags);
            if (m.deleted) {
                if (!recent(m.removed_ev, m.removed_t, current, now)) continue;  // gone
                r.mark = MsgMark::removed;
                if (folder_gone && m.removed_ev == life->ev) r.state = "folder deleted";
                else if (m.removed_by == "pop3") r.state = "deleted (POP3)";
                else if (!m.copied_to.empty()) r.state = "moved to " + m.copied_to;
                else if (m.removed_by == "imap") r.state = "expunged";
                else r.state = "deleted";
            } else if (recent(m.stored_ev, m.stored_t, current, now)) {
                r.mark = MsgMark::fresh;
                r.state = "new";
            } else {
                r.mark = m.last_ev == current && current != kNone ? MsgMark::changed : MsgMark::plain;
                r.state = has_flag(r.badges, "\\Seen") ? "read" : "unread";
            }
            if (m.origin == "appended") r.origin = "appended";
            else if (m.origin == "copied") r.origin = "copy of " + m.from_folder + " #" + std::to_string(m.from_uid);
            f.rows.push_back(std::move(r));
        }
        out.push_back(std::move(f));
    }
    // INBOX first within each account, then the other folders by name.
    std::stable_sort(out.begin(), out.end(), [](const FolderRows& a, const FolderRows& b) {
        if (a.key.host != b.key.host) return a.key.host < b.key.host;
        if (a.key.mailbox != b.key.mailbox) return a.key.mailbox < b.key.mailbox;
        const bool ai = a.key.folder == "INBOX", bi = b.key.folder == "INBOX";
        if (ai != bi) return ai;
        return a.key.folder < b.key.folder;
    });
    return out;
}

}  // namespace postino::viz
