// server_mailboxes.cpp — the IMAP server engine's authenticated-state
// commands (RFC 3501 §6.3: SELECT, EXAMINE, CREATE, DELETE, RENAME,
// SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, STATUS, APPEND; RFC 3348 CHILDREN
// attributes; RFC 5530 response codes; erratum 3032: [UNSEEN] only when
// unseen mail exists).
#include <algorithm>
#include <map>

#include "proto/imap/mailbox_name.hpp"
#include "proto/imap/server_engine.hpp"

namespace postino::imap {

namespace {

const char* no_code(StoreStatus s) {
    switch (s) {
        case StoreStatus::Ok: return "OK";
        case StoreStatus::NoSuchMailbox: return "NO [NONEXISTENT]";
        case StoreStatus::AlreadyExists: return "NO [ALREADYEXISTS]";
        case StoreStatus::NotAllowed: return "NO [CANNOT]";
        case StoreStatus::OverQuota: return "NO [OVERQUOTA]";
        case StoreStatus::Failed: return "NO [SERVERBUG]";
    }
    return "NO";
}

constexpr const char* kSystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

}  // namespace

std::string ServerEngine::flag_list_response() const {
    std::string s = kSystemFlags;
    for (const auto& k : keywords_) s += " " + k;
    return s;
}

void ServerEngine::deselect() {
    view_.clear();
    keywords_.clear();
    hidden_uids_.clear();
    mailbox_.clear();
    read_only_ = false;
    if (state_ == ServerState::Selected) state_ = ServerState::Authenticated;
}

void ServerEngine::on_select(const Command& c, bool read_only) {
    const bool keep = config_.faults.failed_select_keeps_mailbox;  // the fault deselects only once the new one opens
    if (!keep) deselect();  // §6.3.1: a failed SELECT leaves no mailbox selected
    if (config_.faults.examine_writable) read_only = false;
    const std::string& name = c.args[0];
    auto snap = store_.open(user_, name, !read_only);
    if (!snap) return tagged(c.tag, "NO [NONEXISTENT] Mailbox does not exist or cannot be selected");
    if (keep) deselect();
    mailbox_ = name;
    read_only_ = read_only;
    uid_validity_ = snap->uid_validity;
    state_ = ServerState::Selected;
    std::size_t recent = 0;
    std::uint32_t first_unseen = 0;
    for (const auto& m : snap->messages) {
        Msg v;
        v.uid = m.uid;
        v.flags = m.flags;
        v.internal_date = m.internal_date;
        v.size = m.size;
        v.recent = snap->first_recent_uid != 0 && m.uid >= snap->first_recent_uid;
        recent += v.recent ? 1 : 0;
        for (const auto& f : m.flags)
            if (!f.empty() && f[0] != '\\') keywords_.insert(f);
        view_.push_back(std::move(v));
        if (first_unseen == 0 && std::find(m.flags.begin(), m.flags.end(), "\\Seen") == m.flags.end())
            first_unseen = static_cast<std::uint32_t>(view_.size());
    }
    untagged("FLAGS (" + flag_list_response() + ")");
    if (read_only) untagged("OK [PERMANENTFLAGS ()] Read-only mailbox");
    else untagged("OK [PERMANENTFLAGS (" + flag_list_response() + " \\*)] Flags permitted");
    untagged(std::to_string(view_.size() + (config_.faults.wrong_exists ? 1 : 0)) + " EXISTS");
    untagged(std::to_string(recent) + " RECENT");
    if (first_unseen == 0 && !view_.empty() && config_.faults.unseen_always) first_unseen = 1;
    if (first_unseen != 0) untagged("OK [UNSEEN " + std::to_string(first_unseen) + "] First unseen");
    untagged("OK [UIDVALIDITY " + std::to_string(shown_uid_validity(mailbox_, snap->uid_validity)) + "] UIDs valid");
    untagged("OK [UIDNEXT " + std::to_string(shown_uid(snap->uid_next - (config_.faults.uidnext_off ? 1 : 0))) + "] Predicted next UID");
    tagged(c.tag, read_only ? "OK [READ-ONLY] Examine completed" : "OK [READ-WRITE] Select completed");
}

void ServerEngine::on_create(const Command& c) {
    std::string name = c.args[0];
    if (!name.empty() && name.back() == kDelimiter) name.pop_back();  // §6.3.3: a declared parent
    if (name == "INBOX") return tagged(c.tag, "NO [ALREADYEXISTS] INBOX always exists");
    if (auto ok = check_mailbox_name(name); !ok) return tagged(c.tag, "NO [CANNOT] " + ok.error().message());
    const auto s = store_.create(user_, name);
    if (s == StoreStatus::AlreadyExists && config_.faults.create_existing_ok) return tagged(c.tag, "OK Create completed");
    if (s != StoreStatus::Ok) return tagged(c.tag, std::string(no_code(s)) + " Cannot create " + name);
    tagged(c.tag, "OK Create completed");
}

void ServerEngine::on_delete(const Command& c) {
    if (c.args[0] == "INBOX" && config_.faults.delete_inbox_ok) return tagged(c.tag, "OK Delete completed");
    if (c.args[0] == "INBOX") return tagged(c.tag, "NO [CANNOT] INBOX cannot be deleted");  // §6.3.4
    if (config_.faults.delete_removes_inferiors || config_.faults.delete_parent_kept) {
        std::vector<std::string> inferiors;
        for (const auto& mb : store_.mailboxes(user_))
            if (mb.name.size() > c.args[0].size() + 1 && mb.name.rfind(c.args[0] + kDelimiter, 0) == 0) inferiors.push_back(mb.name);
        // §6.3.4 keeps the inferior names and makes the parent \Noselect; one fault deletes the inferiors first,
        // the other claims success and leaves the parent as it was.
        if (config_.faults.delete_parent_kept && !inferiors.empty()) return tagged(c.tag, "OK Delete completed");
        for (auto it = inferiors.rbegin(); it != inferiors.rend(); ++it) (void)store_.remove(user_, *it);
    }
    const auto s = store_.remove(user_, c.args[0]);
    if (s != StoreStatus::Ok) return tagged(c.tag, std::string(no_code(s)) + " Cannot delete " + c.args[0]);
    if (state_ == ServerState::Selected && mailbox_ == c.args[0]) deselect();
    tagged(c.tag, "OK Delete completed");
}

void ServerEngine::on_rename(const Command& c) {
    const std::string& to = c.args[1];
    if (to == "INBOX") return tagged(c.tag, "NO [ALREADYEXISTS] INBOX always exists");
    if (auto ok = check_mailbox_name(to); !ok) return tagged(c.tag, "NO [CANNOT] " + ok.error().message());
    const auto s = store_.rename(user_, c.args[0], to);
    if (s == StoreStatus::NoSuchMailbox && config_.faults.rename_missing_ok) return tagged(c.tag, "OK Rename completed");
    if (s != StoreStatus::Ok) return tagged(c.tag, std::string(no_code(s)) + " Cannot rename " + c.args[0]);
    if (config_.faults.rename_keeps_old_name && c.args[0] != "INBOX") (void)store_.create(user_, c.args[0]);
    if (state_ == ServerState::Selected && mailbox_ == c.args[0] && c.args[0] != "INBOX") deselect();
    if (state_ == ServerState::Selected) refresh(true);  // RENAME INBOX empties INBOX (§6.3.5)
    tagged(c.tag, "OK Rename completed");
}

void ServerEngine::on_subscribe(const Command& c, bool on) {
    const auto s = store_.subscribe(user_, c.args[0], on);
    if (s != StoreStatus::Ok) return tagged(c.tag, std::string(no_code(s)) + " Cannot change the subscription");
    tagged(c.tag, on ? "OK Subscribe completed" : "OK Unsubscribe completed");
}

void ServerEngine::on_list(const Command& c, bool lsub) {
    const std::string& ref = c.args[0];
    const std::string& pat = c.args[1];
    const char* verb = lsub ? "LSUB" : "LIST";
    if (pat.empty()) {  // §6.3.8: the delimiter and the root of the reference
        const std::string line = std::string(verb) + (config_.faults.delimiter_unquoted ? " (\\Noselect) / \"\"" : " (\\Noselect) \"/\" \"\"");
        if (config_.faults.untagged_after_tagged) {
            tagged(c.tag, std::string("OK ") + verb + " completed");
            return untagged(line);
        }
        untagged(line);
        return tagged(c.tag, std::string("OK ") + verb + " completed");
    }
    std::string full = ref;
    if (!full.empty() && full.back() != kDelimiter && pat.front() != kDelimiter) full += kDelimiter;
    full += pat;
    // INBOX is case-insensitive (§5.1): match it against an upper-cased prefix.
    const bool percent_last = full.back() == '%';
    if (config_.faults.percent_matches_delimiter) std::replace(full.begin(), full.end(), '%', '*');
    std::string inbox_pat = full;
    if (inbox_pat.size() >= 5 && !config_.faults.inbox_case_sensitive) {
        std::string head = inbox_pat.substr(0, 5);
        for (auto& ch : head) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (head == "INBOX") inbox_pat.replace(0, 5, "INBOX");
    }
    struct Entry {
        bool exists = false, noselect = false, subscribed = false, children = false;
    };
    std::map<std::string, Entry> all;
    for (const auto& mb : store_.mailboxes(user_)) {
        auto& e = all[mb.name];
        e.exists = true;
        e.noselect = mb.noselect;
        e.subscribed = mb.subscribed;
        for (auto p = mb.name.rfind(kDelimiter); p != std::string::npos && p > 0; p = mb.name.rfind(kDelimiter, p - 1)) {
            all[mb.name.substr(0, p)].children = true;
        }
    }
    for (const auto& [name, e] : all) {
        if (!match_list_pattern(name, name == "INBOX" || name.rfind("INBOX/", 0) == 0 ? inbox_pat : full)) continue;
        if (!e.exists && !percent_last) continue;  // an implied parent shows only under a trailing '%'
        if (lsub && !e.subscribed && !config_.faults.lsub_ignores_subscriptions) continue;
        std::string attrs;
        if (!e.exists || e.noselect) attrs = "\\Noselect ";
        attrs += e.children ? "\\HasChildren" : "\\HasNoChildren";
        std::string shown = name;
        if (config_.faults.list_utf8_names) {  // §5.1.3: names on the wire are modified UTF-7
            if (auto d = mutf7_decode(name); d.ok()) shown = *d;
        }
        untagged(std::string(verb) + " (" + attrs + ") \"/\" " + quote_astring(shown));
    }
    tagged(c.tag, std::string("OK ") + verb + " completed");
}

void ServerEngine::on_status(const Command& c) {
    auto snap = store_.open(user_, c.args[0], false);
    if (!snap) return tagged(c.tag, "NO [NONEXISTENT] Mailbox does not exist");
    std::string items;
    for (const auto& it : c.status_items) {
        std::uint64_t v = 0;
        if (it == "MESSAGES") v = snap->messages.size();
        else if (it == "UIDNEXT") v = shown_uid(snap->uid_next);
        else if (it == "UIDVALIDITY") v = shown_uid_validity(c.args[0], snap->uid_validity);
        else if (it == "RECENT")
            v = static_cast<std::uint64_t>(std::count_if(snap->messages.begin(), snap->messages.end(), [&](const MessageMeta& m) {
                return snap->first_recent_uid != 0 && m.uid >= snap->first_recent_uid;
            }));
        else if (it == "UNSEEN")
            v = static_cast<std::uint64_t>(std::count_if(snap->messages.begin(), snap->messages.end(), [](const MessageMeta& m) {
                return std::find(m.flags.begin(), m.flags.end(), "\\Seen") == m.flags.end();
            }));
        if (!items.empty()) items += ' ';
        items += it + " " + std::to_string(v);
    }
    untagged("STATUS " + quote_astring(c.args[0]) + " (" + items + ")");
    tagged(c.tag, "OK Status completed");
}

void ServerEngine::on_append(const Command& c) {
    std::vector<std::string> flags;
    for (const auto& f : c.flags)
        if (f != "\\Recent" && std::find(flags.begin(), flags.end(), f) == flags.end()) flags.push_back(f);
    std::sort(flags.begin(), flags.end());
    Time date = now_;
    if (c.date && !config_.faults.append_ignores_date) date = seconds(c.date->unix_seconds - config_.dates.epoch_unix_seconds);
    auto r = store_.append(user_, c.args[0], c.message, flags, date);
    if (r.status == StoreStatus::NoSuchMailbox && config_.faults.append_creates &&
        store_.create(user_, c.args[0]) == StoreStatus::Ok)
        r = store_.append(user_, c.args[0], c.message, flags, date);
    if (r.status == StoreStatus::NoSuchMailbox)  // §6.3.11: never created on the fly
        return tagged(c.tag, "NO [TRYCREATE] Mailbox does not exist");
    if (r.status != StoreStatus::Ok) return tagged(c.tag, std::string(no_code(r.status)) + " Append failed");
    if (config_.faults.own_append_hidden && state_ == ServerState::Selected && c.args[0] == mailbox_) hidden_uids_.insert(r.uid);
    if (state_ == ServerState::Selected) refresh(true);
    tagged(c.tag, "OK Append completed");
}

}  // namespace postino::imap
