// server_selected.cpp — the IMAP server engine's selected-state commands
// and mailbox updates (RFC 3501 §6.4: CLOSE, EXPUNGE, SEARCH, FETCH, STORE,
// COPY, UID; RFC 3691 UNSELECT; RFC 6851 MOVE; §7.4.1 and §5.2: when
// EXPUNGE, EXISTS, RECENT and FETCH FLAGS may be sent; RFC 2180 §4.1: a
// message another session expunged is answered with NO until it can be
// reported).
#include <algorithm>
#include <set>

#include "proto/imap/message_view.hpp"
#include "proto/imap/search.hpp"
#include "proto/imap/server_engine.hpp"

namespace postino::imap {

namespace {

bool has_flag(const std::vector<std::string>& fs, std::string_view f) {
    return std::find(fs.begin(), fs.end(), f) != fs.end();
}

// `count_off`: the fault literal_count_off (faults.hpp) announces one octet more.
std::string literal(std::string_view s, bool count_off) {
    if (s.empty()) return "\"\"";
    return "{" + std::to_string(s.size() + (count_off ? 1 : 0)) + "}\r\n" + std::string(s);
}

}  // namespace

std::string ServerEngine::flags_of(const Msg& m) const {
    std::string s;
    for (const auto& f : m.flags) {
        if (!s.empty()) s += ' ';
        s += f;
    }
    if (m.recent && !config_.faults.recent_flag_missing) s += s.empty() ? "\\Recent" : " \\Recent";
    return "(" + s + ")";
}

void ServerEngine::report_keywords(const std::vector<std::string>& flags) {
    bool added = false;
    for (const auto& f : flags)
        if (!f.empty() && f[0] != '\\' && keywords_.insert(f).second) added = true;
    if (!added || config_.faults.keyword_not_announced) return;
    // §7.2.6: a keyword appears in FLAGS before a FETCH uses it.
    untagged("FLAGS (" + flag_list_response() + ")");
    if (!read_only_) untagged("OK [PERMANENTFLAGS (" + flag_list_response() + " \\*)] Flags permitted");
}

void ServerEngine::refresh(bool expunge_allowed) {
    if (state_ != ServerState::Selected) return;
    auto snap = store_.open(user_, mailbox_, !read_only_);
    if (!snap || snap->uid_validity != uid_validity_) {
        // The mailbox was deleted or replaced: its UIDs mean nothing now.
        bye("The selected mailbox was deleted or renamed by another session");
        return;
    }
    const auto& now = snap->messages;
    std::size_t j = 0;
    std::vector<Msg> kept;
    for (std::size_t i = 0; i < view_.size(); ++i) {
        Msg& m = view_[i];
        while (j < now.size() && now[j].uid < m.uid) ++j;
        if (j >= now.size() || now[j].uid != m.uid) {
            if (expunge_allowed) {
                // Later numbers shift down (§7.4.1); the fault expunge_not_renumbered forgets to.
                const std::string line = std::to_string((config_.faults.expunge_not_renumbered ? i : kept.size()) + 1) + " EXPUNGE";
                untagged(line);
                if (config_.faults.expunge_reported_twice) untagged(line);
                continue;
            }
            m.gone = true;
            kept.push_back(m);
            continue;
        }
        if (now[j].flags != m.flags) {
            report_keywords(now[j].flags);
            m.flags = now[j].flags;
            std::string resp = std::to_string(kept.size() + 1) + " FETCH (";
            if (in_uid_command_) resp += "UID " + std::to_string(shown_uid(m.uid)) + " ";
            untagged(resp + "FLAGS " + flags_of(m) + ")");
        }
        kept.push_back(m);
    }
    view_.swap(kept);
    const std::uint32_t last = view_.empty() ? 0 : view_.back().uid;
    bool grew = false;
    for (const auto& m : now) {
        if (m.uid <= last || hidden_uids_.count(m.uid) != 0) continue;
        report_keywords(m.flags);
        Msg v;
        v.uid = m.uid;
        v.flags = m.flags;
        v.internal_date = m.internal_date;
        v.size = m.size;
        v.recent = snap->first_recent_uid != 0 && m.uid >= snap->first_recent_uid;
        view_.push_back(std::move(v));
        grew = true;
    }
    if (grew) {
        if (!config_.faults.exists_not_sent) untagged(std::to_string(view_.size()) + " EXISTS");
        const auto recent = std::count_if(view_.begin(), view_.end(), [](const Msg& m) { return m.recent; });
        untagged(std::to_string(recent) + " RECENT");
    }
}

std::uint32_t ServerEngine::shown_uid(std::uint32_t uid) const {
    // The fault uids_descend: later messages get lower UIDs (below 2^31, as UIDs here are).
    constexpr std::uint32_t kUidFlip = 0x80000000u;
    return config_.faults.uids_descend ? kUidFlip - uid : uid;
}

std::uint32_t ServerEngine::shown_uid_validity(std::string_view mailbox, std::uint32_t uid_validity) const {
    if (!config_.faults.uidvalidity_from_name) return uid_validity;
    std::uint32_t h = 2166136261u;  // FNV-1a of the name: the same for every mailbox of that name
    for (char ch : mailbox) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
    return (h & 0x7fffffffu) | 1u;
}

std::optional<std::vector<std::size_t>> ServerEngine::resolve(const Command& c, bool uids) {
    std::vector<std::size_t> out;
    SequenceSet set = c.set;
    if (config_.faults.reversed_range_empty)  // §9: "3:1" is "1:3"; the fault drops such ranges
        std::erase_if(set.ranges, [](const SeqRange& r) { return r.lo != 0 && r.hi != 0 && r.lo > r.hi; });
    if (uids) {
        // §6.4.8: UIDs that match no message are ignored; "*" is the highest UID.
        std::uint32_t star = 0;
        for (const auto& m : view_) star = std::max(star, shown_uid(m.uid));
        if (config_.faults.uid_star_empty)  // "n:*" with n above every UID: the fault matches nothing
            std::erase_if(set.ranges, [&](const SeqRange& r) { return (r.hi == 0 && r.lo > star) || (r.lo == 0 && r.hi > star); });
        for (std::size_t i = 0; i < view_.size(); ++i)
            if (set.contains(shown_uid(view_[i].uid), star)) out.push_back(i);
        if (out.empty() && config_.faults.missing_uids_no) {
            tagged(c.tag, "NO No message has these UIDs");
            return std::nullopt;
        }
        return out;
    }
    const auto n = static_cast<std::uint32_t>(view_.size());
    for (const auto& r : set.ranges) {
        const std::uint32_t a = r.lo == 0 ? n : r.lo, b = r.hi == 0 ? n : r.hi;
        if (a == 0 || b == 0 || a > n || b > n) {
            bad(c.tag, "Error in IMAP command " + c.name + ": invalid message sequence number (the mailbox has " +
                           std::to_string(n) + ")");
            return std::nullopt;
        }
    }
    for (std::uint32_t s = 1; s <= n; ++s)
        if (set.contains(s, n)) out.push_back(s - 1);
    return out;
}

void ServerEngine::on_close(const Command& c, bool expunge) {
    if (expunge && !read_only_) {  // §6.4.2: silently, and never after EXAMINE
        std::vector<std::uint32_t> uids;
        for (const auto& m : view_)
            if (!m.gone && has_flag(m.flags, "\\Deleted")) uids.push_back(m.uid);
        if (!uids.empty()) store_.expunge(user_, mailbox_, uids);
        if (config_.faults.close_sends_expunge) refresh(true);
    }
    deselect();
    tagged(c.tag, expunge ? "OK Close completed" : "OK Unselect completed");
}

void ServerEngine::on_expunge(const Command& c) {
    if (read_only_) return tagged(c.tag, "NO [READ-ONLY] Mailbox is read-only");
    refresh(true);
    std::vector<std::uint32_t> uids;
    for (const auto& m : view_)
        if (has_flag(m.flags, "\\Deleted")) uids.push_back(m.uid);
    if (!uids.empty()) {
        if (store_.expunge(user_, mailbox_, uids) != StoreStatus::Ok) return tagged(c.tag, "NO [SERVERBUG] Expunge failed");
        refresh(true);
    }
    tagged(c.tag, "OK Expunge completed");
}

void ServerEngine::on_search(const Command& c) {
    if (c.charset && *c.charset != "US-ASCII" && *c.charset != "UTF-8" && !config_.faults.any_charset)  // §6.4.4
        return tagged(c.tag, "NO [BADCHARSET (US-ASCII UTF-8)] Unknown charset");
    refresh(config_.faults.expunge_during_store_search);
    if (state_ != ServerState::Selected) return;
    std::string result;
    const auto max_seq = static_cast<std::uint32_t>(view_.size());
    std::uint32_t max_uid = 0;
    for (const auto& m : view_) max_uid = std::max(max_uid, shown_uid(m.uid));
    for (std::size_t i = 0; i < view_.size(); ++i) {
        const Msg& m = view_[i];
        if (m.gone) continue;
        std::optional<MessageView> parsed;
        SearchSubject s;
        s.seq = static_cast<std::uint32_t>(i + 1);
        s.uid = shown_uid(m.uid);
        s.max_seq = max_seq;
        s.max_uid = max_uid;
        s.flags = &m.flags;
        s.recent = m.recent;
        s.size = m.size;
        const auto dt = mail::to_date_time(m.internal_date, config_.dates);
        s.internal_day = day_of(dt.unix_seconds, dt.zone_minutes);
        s.internal_local = dt.unix_seconds + static_cast<std::int64_t>(dt.zone_minutes) * 60;
        s.faults = &config_.faults;
        s.view = [&]() -> const MessageView* {
            if (!parsed) parsed.emplace(store_.message(user_, mailbox_, m.uid).value_or(std::string()), MessageView::Depth::Header);
            return &*parsed;
        };
        const std::uint32_t uid = config_.faults.uids_reused || config_.faults.uid_search_seqnums
                                      ? static_cast<std::uint32_t>(i + 1)
                                      : shown_uid(m.uid);
        if (search_matches(c.search, s)) result += " " + std::to_string(c.uid ? uid : i + 1);
    }
    untagged("SEARCH" + result);
    tagged(c.tag, c.uid ? "OK UID SEARCH completed" : "OK Search completed");
}

void ServerEngine::on_fetch(const Command& c) {
    refresh(config_.faults.expunge_during_fetch);
    if (state_ != ServerState::Selected) return;
    auto targets = resolve(c, c.uid);
    if (!targets) return;
    using K = FetchItem::Kind;
    const bool wants_uid = std::any_of(c.fetch.begin(), c.fetch.end(), [](const FetchItem& f) { return f.kind == K::Uid; });
    const bool wants_flags = std::any_of(c.fetch.begin(), c.fetch.end(), [](const FetchItem& f) { return f.kind == K::Flags; });
    const bool needs_content = std::any_of(c.fetch.begin(), c.fetch.end(), [](const FetchItem& f) {
        return f.kind == K::Envelope || f.kind == K::Body || f.kind == K::BodyStructure || f.kind == K::Section ||
               f.kind == K::Rfc822 || f.kind == K::Rfc822Header || f.kind == K::Rfc822Text;
    });
    // Only ENVELOPE, RFC822 and the whole message's HEADER/TEXT need no MIME tree.
    const bool needs_tree = std::any_of(c.fetch.begin(), c.fetch.end(), [](const FetchItem& f) {
        return f.kind == K::Body || f.kind == K::BodyStructure ||
               (f.kind == K::Section && (!f.section.parts.empty() || f.section.text == Section::Text::HeaderFields ||
                                         f.section.text == Section::Text::HeaderFieldsNot));
    });
    bool some_gone = false;
    for (std::size_t idx : *targets) {
        Msg& m = view_[idx];
        if (m.gone) {
            some_gone = true;
            continue;
        }
        std::optional<MessageView> v;
        if (needs_content) {
            auto bytes = store_.message(user_, mailbox_, m.uid);
            if (!bytes) {
                some_gone = true;
                continue;
            }
            v.emplace(std::move(*bytes), needs_tree ? MessageView::Depth::Mime : MessageView::Depth::Header);
        }
        std::vector<std::string> parts;
        const bool off = config_.faults.literal_count_off;
        const std::uint32_t uid = config_.faults.uids_reused ? static_cast<std::uint32_t>(idx + 1) : shown_uid(m.uid);
        if (c.uid && !wants_uid && !config_.faults.uid_fetch_no_uid) parts.push_back("UID " + std::to_string(uid));  // §6.4.8
        bool set_seen = false;
        for (const auto& f : c.fetch) {
            switch (f.kind) {
                case K::Flags: parts.emplace_back("FLAGS \x01"); break;  // filled in below, after \Seen
                case K::Uid: parts.push_back("UID " + std::to_string(uid)); break;
                case K::InternalDate: {
                    std::string date = format_internal_date(m.internal_date, config_.dates);
                    if (config_.faults.internaldate_no_zone) date.erase(date.rfind(' '));  // " +hhmm" left off
                    parts.push_back("INTERNALDATE \"" + date + "\"");
                    break;
                }
                case K::Rfc822Size: parts.push_back("RFC822.SIZE " + std::to_string(m.size)); break;
                case K::Envelope: parts.push_back("ENVELOPE " + v->envelope(&config_.faults)); break;
                case K::Body: parts.push_back("BODY " + v->body_structure(false)); break;
                case K::BodyStructure: parts.push_back("BODYSTRUCTURE " + v->body_structure(true, config_.faults)); break;
                case K::Rfc822: parts.push_back("RFC822 " + literal(v->bytes(), off)); set_seen = true; break;
                case K::Rfc822Header: {
                    Section s;
                    s.text = Section::Text::Header;
                    parts.push_back("RFC822.HEADER " + literal(v->section(s).value_or(""), off));
                    break;
                }
                case K::Rfc822Text: {
                    Section s;
                    s.text = Section::Text::Text;
                    parts.push_back("RFC822.TEXT " + literal(v->section(s).value_or(""), off));
                    set_seen = true;
                    break;
                }
                case K::Section: {
                    Section asked = f.section;
                    if (config_.faults.fields_not_as_fields && asked.text == Section::Text::HeaderFieldsNot)
                        asked.text = Section::Text::HeaderFields;  // the fault: the listed fields, not the others
                    std::string data = v->section(asked).value_or("");  // a missing part is empty (§6.4.5)
                    std::string label = "BODY[" + format_section(f.section) + "]";
                    if (f.partial) {
                        label += "<" + std::to_string(f.partial->offset);  // §7.4.2: only the origin
                        if (config_.faults.partial_full_label) label += "." + std::to_string(f.partial->count);
                        label += ">";
                        data = f.partial->offset >= data.size() ? std::string() : data.substr(f.partial->offset, f.partial->count);
                    }
                    parts.push_back(label + " " + literal(data, off));
                    if ((!f.peek && !config_.faults.body_keeps_unseen) || config_.faults.peek_sets_seen) set_seen = true;
                    break;
                }
            }
        }
        bool flags_changed = false;
        if (set_seen && !read_only_ && !has_flag(m.flags, "\\Seen")) {  // §6.4.5: BODY[] sets \Seen
            if (auto nf = store_.update_flags(user_, mailbox_, m.uid, FlagChange::Add, {"\\Seen"})) {
                m.flags = *nf;
                flags_changed = true;
            }
        }
        std::string resp = std::to_string(idx + 1) + " FETCH (";
        bool first = true;
        for (auto& p : parts) {
            if (p == "FLAGS \x01") p = "FLAGS " + flags_of(m);
            if (!first) resp += ' ';
            first = false;
            resp += p;
        }
        if (flags_changed && !wants_flags) resp += " FLAGS " + flags_of(m);
        untagged(resp + ")");
    }
    if (some_gone)  // RFC 2180 §4.1.2
        return tagged(c.tag, "NO Some of the requested messages no longer exist");
    tagged(c.tag, c.uid ? "OK UID FETCH completed" : "OK Fetch completed");
}

void ServerEngine::on_store(const Command& c) {
    if (read_only_) return tagged(c.tag, "NO [READ-ONLY] Mailbox is read-only");
    // The fault store_from_stale_view does not look at the store before writing.
    if (!config_.faults.store_from_stale_view) refresh(config_.faults.expunge_during_store_search);
    if (state_ != ServerState::Selected) return;
    auto targets = resolve(c, c.uid && !config_.faults.uid_store_seqnums);
    if (!targets) return;
    std::vector<std::string> flags;
    for (const auto& f : c.flags)
        if (f != "\\Recent" && !has_flag(flags, f)) flags.push_back(f);  // \Recent cannot be stored (§2.3.2)
    std::sort(flags.begin(), flags.end());
    report_keywords(flags);
    FlagChange change = c.store_mode == Command::StoreMode::Add      ? FlagChange::Add
                        : c.store_mode == Command::StoreMode::Remove ? FlagChange::Remove
                                                                     : FlagChange::Replace;
    if (change == FlagChange::Replace && config_.faults.store_replace_adds) change = FlagChange::Add;
    bool some_gone = false;
    for (std::size_t idx : *targets) {
        Msg& m = view_[idx];
        if (m.gone) {
            some_gone = true;
            continue;
        }
        std::optional<std::vector<std::string>> nf;
        if (config_.faults.store_from_stale_view && change != FlagChange::Replace) {
            // The session's own idea of the flags, changed and written back whole.
            std::set<std::string> mine(m.flags.begin(), m.flags.end());
            for (const auto& f : flags) {
                if (change == FlagChange::Add) mine.insert(f);
                else mine.erase(f);
            }
            nf = store_.update_flags(user_, mailbox_, m.uid, FlagChange::Replace, {mine.begin(), mine.end()});
        } else {
            nf = store_.update_flags(user_, mailbox_, m.uid, change, flags);
        }
        if (!nf) {
            some_gone = true;
            continue;
        }
        report_keywords(*nf);
        std::optional<Msg> before;  // the fault store_echoes_old_flags answers with the flags before the change
        if (config_.faults.store_echoes_old_flags) before = m;
        m.flags = *nf;
        if (!c.silent || config_.faults.silent_echoes) {
            std::string resp = std::to_string(idx + 1) + " FETCH (";
            if (c.uid) resp += "UID " + std::to_string(config_.faults.uids_reused ? idx + 1 : shown_uid(m.uid)) + " ";
            untagged(resp + "FLAGS " + flags_of(before ? *before : m) + ")");
        }
    }
    if (some_gone) return tagged(c.tag, "NO Some of the messages no longer exist");
    tagged(c.tag, c.uid ? "OK UID STORE completed" : "OK Store completed");
}

void ServerEngine::on_copy(const Command& c, bool move) {
    if (move && read_only_) return tagged(c.tag, "NO [READ-ONLY] Mailbox is read-only");
    if (config_.faults.failed_copy_keeps_copies && !c.uid) {
        // Copies the messages that exist, then fails for the rest: not all or nothing (§6.4.7).
        const auto n = static_cast<std::uint32_t>(view_.size());
        const bool past_end = std::any_of(c.set.ranges.begin(), c.set.ranges.end(),
                                          [&](const auto& r) { return r.lo > n || r.hi > n; });
        if (past_end) {
            std::vector<std::uint32_t> uids;
            for (std::uint32_t s = 1; s <= n; ++s)
                if (c.set.contains(s, n) && !view_[s - 1].gone) uids.push_back(view_[s - 1].uid);
            if (!uids.empty()) (void)store_.copy(user_, mailbox_, uids, c.args[0]);
            return tagged(c.tag, "NO Some of the messages do not exist");
        }
    }
    auto targets = resolve(c, c.uid && !config_.faults.uid_copy_seqnums);
    if (!targets) return;
    std::vector<std::uint32_t> uids;
    for (std::size_t idx : *targets)
        if (!view_[idx].gone) uids.push_back(view_[idx].uid);
    const char* verb = move ? "Move" : "Copy";
    if (uids.empty()) return tagged(c.tag, std::string("OK ") + verb + " completed (no messages)");
    auto r = store_.copy(user_, mailbox_, uids, c.args[0]);
    if (r.status == StoreStatus::NoSuchMailbox && config_.faults.copy_creates &&
        store_.create(user_, c.args[0]) == StoreStatus::Ok)
        r = store_.copy(user_, mailbox_, uids, c.args[0]);
    if (r.status == StoreStatus::NoSuchMailbox)  // §6.4.7
        return tagged(c.tag, "NO [TRYCREATE] Mailbox does not exist");
    if (r.status != StoreStatus::Ok) return tagged(c.tag, std::string("NO [SERVERBUG] ") + verb + " failed");
    if (config_.faults.copy_drops_flags) {
        for (std::uint32_t u : r.dest_uids) (void)store_.update_flags(user_, c.args[0], u, FlagChange::Replace, {});
    }
    if (move && !config_.faults.move_keeps_source) {  // RFC 6851 §3.3: the source messages are expunged, reported before the tagged OK
        store_.expunge(user_, mailbox_, r.source_uids);
        refresh(true);
    } else if (c.args[0] == mailbox_) {
        refresh(false);
    }
    tagged(c.tag, std::string("OK ") + verb + " completed");
}

}  // namespace postino::imap
