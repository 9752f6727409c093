// imap_mailstore.cpp — the IMAP store policy over the shared MailStore
// (RFC 3501 §2.3.1.1, §2.3.2, §6.3.3–6.3.6, §6.3.11, §6.4.3, §6.4.7). See
// imap_mailstore.hpp.
#include "agents/imap_mailstore.hpp"

#include <algorithm>

#include "agents/imap_mailbox_events.hpp"

namespace postino::agents {

using imap::StoreStatus;

namespace {

bool inferior(const std::string& name, const std::string& parent) {
    return name.size() > parent.size() + 1 && name.compare(0, parent.size(), parent) == 0 && name[parent.size()] == '/';
}

}  // namespace

void ImapMailStore::changed() const {
    if (on_change) on_change();
}

void ImapMailStore::report(trace::Event e) const {
    if (on_trace) on_trace(std::move(e));
}

bool ImapMailStore::check_password(std::string_view user, std::string_view password) {
    const auto* a = store_.find(std::string(user));
    return a != nullptr && !a->password.empty() && a->password == password;
}

store::Folder* ImapMailStore::folder(std::string_view user, std::string_view name, bool selectable_only) {
    auto* a = store_.find(std::string(user));
    if (a == nullptr) return nullptr;
    auto it = a->folders.find(std::string(name));
    if (it == a->folders.end()) return nullptr;
    if (selectable_only && noselect_.count({std::string(user), std::string(name)}) != 0) return nullptr;
    return &it->second;
}

store::StoredMessage* ImapMailStore::find_message(store::Folder& f, std::uint32_t uid) {
    auto it = std::lower_bound(f.messages.begin(), f.messages.end(), uid,
                               [](const store::StoredMessage& m, std::uint32_t u) { return m.uid < u; });
    return it != f.messages.end() && it->uid == uid ? &*it : nullptr;
}

std::uint32_t ImapMailStore::fresh_validity(const store::Account& a) {
    std::uint32_t v = last_validity_[a.name];
    for (const auto& [n, f] : a.folders) v = std::max(v, f.uid_validity);
    last_validity_[a.name] = v + 1;
    return v + 1;
}

bool ImapMailStore::has_inferiors(const store::Account& a, const std::string& name) const {
    return std::any_of(a.folders.begin(), a.folders.end(), [&](const auto& kv) { return inferior(kv.first, name); });
}

std::vector<imap::MailboxInfo> ImapMailStore::mailboxes(std::string_view user) {
    std::vector<imap::MailboxInfo> out;
    const auto* a = store_.find(std::string(user));
    if (a == nullptr) return out;
    for (const auto& [name, f] : a->folders) {
        imap::MailboxInfo m;
        m.name = name;
        m.noselect = noselect_.count({a->name, name}) != 0;
        m.subscribed = subscribed_.count({a->name, name}) != 0;
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<imap::MailboxSnapshot> ImapMailStore::open(std::string_view user, std::string_view mailbox, bool claim) {
    auto* f = folder(user, mailbox);
    if (f == nullptr) return std::nullopt;
    imap::MailboxSnapshot s;
    s.uid_validity = f->uid_validity;
    s.uid_next = f->next_uid;
    for (const auto& m : f->messages) {
        imap::MessageMeta mm;
        mm.uid = m.uid;
        mm.flags = m.flags;
        mm.internal_date = m.internal_date;
        mm.size = m.bytes.size();
        s.messages.push_back(std::move(mm));
    }
    auto& mark = recent_mark_[{std::string(user), std::string(mailbox)}];
    if (mark == 0) mark = 1;
    s.first_recent_uid = mark;
    if (claim) mark = f->next_uid;
    return s;
}

std::optional<std::string> ImapMailStore::message(std::string_view user, std::string_view mailbox, std::uint32_t uid) {
    auto* f = folder(user, mailbox);
    if (f == nullptr) return std::nullopt;
    auto* m = find_message(*f, uid);
    if (m == nullptr) return std::nullopt;
    return m->bytes;
}

StoreStatus ImapMailStore::create(std::string_view user, std::string_view mailbox) {
    auto* a = store_.find(std::string(user));
    if (a == nullptr) return StoreStatus::Failed;
    const std::string name(mailbox);
    const Key key{a->name, name};
    if (a->folders.count(name) != 0) {
        if (noselect_.erase(key) == 0) return StoreStatus::AlreadyExists;
        a->folders[name] = store::Folder{};
        a->folders[name].uid_validity = fresh_validity(*a);
        report(imap_events::folder_created(a->name, name, a->folders[name].uid_validity));
        changed();
        return StoreStatus::Ok;
    }
    make_superiors(*a, name);  // §6.3.3
    add_folder(*a, name);
    changed();
    return StoreStatus::Ok;
}

void ImapMailStore::add_folder(store::Account& a, const std::string& name) {
    store::Folder f;
    f.uid_validity = fresh_validity(a);
    const std::uint32_t validity = f.uid_validity;
    a.folders.emplace(name, std::move(f));
    report(imap_events::folder_created(a.name, name, validity));
}

void ImapMailStore::make_superiors(store::Account& a, const std::string& name) {
    for (auto p = name.find('/'); p != std::string::npos; p = name.find('/', p + 1)) {
        const std::string parent = name.substr(0, p);
        if (a.folders.count(parent) == 0) add_folder(a, parent);
    }
}

StoreStatus ImapMailStore::remove(std::string_view user, std::string_view mailbox) {
    auto* a = store_.find(std::string(user));
    if (a == nullptr) return StoreStatus::Failed;
    const std::string name(mailbox);
    if (name == store::kInbox) return StoreStatus::NotAllowed;
    auto it = a->folders.find(name);
    if (it == a->folders.end()) return StoreStatus::NoSuchMailbox;
    const Key key{a->name, name};
    const std::uint64_t messages = it->second.messages.size();
    const bool keep = has_inferiors(*a, name);
    if (keep) {
        if (noselect_.count(key) != 0) return StoreStatus::NotAllowed;  // §6.3.4
        it->second.messages.clear();
        noselect_.insert(key);
    } else {
        a->folders.erase(it);
        noselect_.erase(key);
        recent_mark_.erase(key);
    }
    report(imap_events::folder_deleted(a->name, name, messages, keep));
    changed();
    return StoreStatus::Ok;
}

StoreStatus ImapMailStore::rename(std::string_view user, std::string_view from, std::string_view to) {
    auto* a = store_.find(std::string(user));
    if (a == nullptr) return StoreStatus::Failed;
    const std::string src(from), dst(to);
    if (a->folders.count(src) == 0 || noselect_.count({a->name, src}) != 0) return StoreStatus::NoSuchMailbox;
    if (a->folders.count(dst) != 0) return StoreStatus::AlreadyExists;
    if (inferior(dst, src)) return StoreStatus::NotAllowed;
    // Superior names of the new name first (§6.3.5 "SHOULD create").
    make_superiors(*a, dst);
    if (src == store::kInbox) {
        // §6.3.5: the messages move to a new folder; INBOX stays, empty, and
        // keeps its UIDVALIDITY and next UID (so its UIDs never repeat).
        store::Folder fresh;
        fresh.uid_validity = fresh_validity(*a);
        auto& in = a->folders[src];
        auto& out = a->folders.emplace(dst, std::move(fresh)).first->second;
        out.next_uid = in.next_uid;
        out.messages = std::move(in.messages);
        in.messages.clear();
        report(imap_events::folder_renamed(a->name, src, dst, out.messages.size()));
        changed();
        return StoreStatus::Ok;
    }
    std::vector<std::string> names;
    for (const auto& [n, f] : a->folders)
        if (n == src || inferior(n, src)) names.push_back(n);
    for (const auto& n : names) {
        const std::string nn = dst + n.substr(src.size());
        auto node = a->folders.extract(n);
        node.key() = nn;
        report(imap_events::folder_renamed(a->name, n, nn, node.mapped().messages.size()));
        a->folders.insert(std::move(node));
        for (auto* set : {&subscribed_, &noselect_}) {
            if (set->erase({a->name, n}) != 0) set->insert({a->name, nn});
        }
        if (auto r = recent_mark_.find({a->name, n}); r != recent_mark_.end()) {
            recent_mark_[{a->name, nn}] = r->second;
            recent_mark_.erase({a->name, n});
        }
    }
    changed();
    return StoreStatus::Ok;
}

StoreStatus ImapMailStore::subscribe(std::string_view user, std::string_view mailbox, bool on) {
    auto* a = store_.find(std::string(user));
    if (a == nullptr) return StoreStatus::Failed;
    const Key key{a->name, std::string(mailbox)};
    if (on) {
        if (a->folders.count(key.second) == 0) return StoreStatus::NoSuchMailbox;
        subscribed_.insert(key);
    } else {
        subscribed_.erase(key);  // §6.3.7: unsubscribing a name that is not subscribed is fine
    }
    return StoreStatus::Ok;
}

imap::AppendOutcome ImapMailStore::append(std::string_view user, std::string_view mailbox, std::string bytes,
                                          std::vector<std::string> flags, Time internal_date) {
    imap::AppendOutcome r;
    auto* f = folder(user, mailbox);
    if (f == nullptr) {
        r.status = StoreStatus::NoSuchMailbox;
        return r;
    }
    const auto ins = store_.insert(std::string(user), std::move(bytes), internal_date, std::string(mailbox));
    if (ins.status == store::InsertStatus::OverQuota) r.status = StoreStatus::OverQuota;
    else if (ins.status != store::InsertStatus::Stored) r.status = StoreStatus::Failed;
    if (r.status != StoreStatus::Ok) return r;
    if (auto* m = find_message(*f, ins.uid)) {
        m->flags = std::move(flags);
        report(imap_events::appended(store_.find(std::string(user))->name, mailbox, ins.uid, m->bytes.size(), m->flags));
    }
    r.uid = ins.uid;
    r.uid_validity = f->uid_validity;
    changed();
    return r;
}

std::optional<std::vector<std::string>> ImapMailStore::update_flags(std::string_view user, std::string_view mailbox,
                                                                    std::uint32_t uid, imap::FlagChange change,
                                                                    const std::vector<std::string>& flags) {
    auto* f = folder(user, mailbox);
    if (f == nullptr) return std::nullopt;
    auto* m = find_message(*f, uid);
    if (m == nullptr) return std::nullopt;
    std::set<std::string> now(m->flags.begin(), m->flags.end());
    if (change == imap::FlagChange::Replace) now = std::set<std::string>(flags.begin(), flags.end());
    else if (change == imap::FlagChange::Add) now.insert(flags.begin(), flags.end());
    else for (const auto& fl : flags) now.erase(fl);
    std::vector<std::string> out(now.begin(), now.end());
    if (out != m->flags) {
        m->flags = out;
        report(imap_events::flags(store_.find(std::string(user))->name, mailbox, uid, out));
        changed();
    }
    return out;
}

imap::CopyOutcome ImapMailStore::copy(std::string_view user, std::string_view from,
                                      const std::vector<std::uint32_t>& uids, std::string_view to) {
    imap::CopyOutcome r;
    auto* src = folder(user, from);
    auto* dst = folder(user, to);
    if (dst == nullptr || src == nullptr) {
        r.status = StoreStatus::NoSuchMailbox;
        return r;
    }
    std::vector<const store::StoredMessage*> msgs;
    std::uint64_t octets = 0;
    for (auto uid : uids) {
        if (auto* m = find_message(*src, uid)) {
            msgs.push_back(m);
            octets += m->bytes.size();
        }
    }
    // All or nothing (§6.4.7): check the quota for the whole set first.
    const auto ok = store_.can_accept(std::string(user), octets);
    if (ok != store::InsertStatus::Stored) {
        r.status = ok == store::InsertStatus::OverQuota ? StoreStatus::OverQuota : StoreStatus::Failed;
        return r;
    }
    std::vector<store::StoredMessage> copies;
    for (const auto* m : msgs) {
        store::StoredMessage c = *m;  // flags and internal date kept
        c.uid = dst->next_uid++;
        r.source_uids.push_back(m->uid);
        r.dest_uids.push_back(c.uid);
        copies.push_back(std::move(c));
    }
    const std::string account = store_.find(std::string(user))->name;
    for (std::size_t i = 0; i < copies.size(); ++i) {
        report(imap_events::copied(account, to, copies[i].uid, from, r.source_uids[i], copies[i].bytes.size(),
                                   copies[i].flags));
    }
    for (auto& c : copies) dst->messages.push_back(std::move(c));
    r.uid_validity = dst->uid_validity;
    if (!copies.empty()) changed();
    return r;
}

StoreStatus ImapMailStore::expunge(std::string_view user, std::string_view mailbox,
                                   const std::vector<std::uint32_t>& uids) {
    auto* f = folder(user, mailbox);
    if (f == nullptr) return StoreStatus::NoSuchMailbox;
    const std::set<std::uint32_t> gone(uids.begin(), uids.end());
    const auto before = f->messages.size();
    const std::string account = store_.find(std::string(user))->name;
    for (const auto& m : f->messages) {
        if (gone.count(m.uid) == 0) continue;
        report(imap_events::expunged(account, mailbox, m.uid, m.bytes.size()));
    }
    f->messages.erase(std::remove_if(f->messages.begin(), f->messages.end(),
                                     [&](const store::StoredMessage& m) { return gone.count(m.uid) != 0; }),
                      f->messages.end());
    if (f->messages.size() != before) changed();
    return StoreStatus::Ok;
}

}  // namespace postino::agents
