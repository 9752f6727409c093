// imap_maildir.cpp — IMAP folders, UIDs and flags over Maildir++ (RFC 3501
// §2.3.1.1, §2.3.2, §6.3.3–6.3.11, §6.4.3, §6.4.7). See imap_maildir.hpp.
#include "wire/imap_maildir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "agents/imap_mailbox_events.hpp"
#include "mail/mailbox.hpp"
#include "store/mail_store.hpp"
#include "wire/clock.hpp"
#include "wire/durable_file.hpp"

namespace postino::wire {

using imap::StoreStatus;
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kNoselectFile = "postino-noselect";
constexpr std::string_view kValidityFile = "postino-uidvalidity";
constexpr std::string_view kSubscriptionsFile = "postino-subscriptions";

bool inferior(const std::string& name, const std::string& parent) {
    return name.size() > parent.size() + 1 && name.compare(0, parent.size(), parent) == 0 && name[parent.size()] == '/';
}

std::int64_t mtime_ns_of(const std::string& path, std::uint64_t& size) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return -1;
    size = static_cast<std::uint64_t>(st.st_size);
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

bool set_mtime(const std::string& path, std::int64_t ns) {
    constexpr std::int64_t kNs = 1'000'000'000;
    std::int64_t sec = ns / kNs, frac = ns % kNs;
    if (frac < 0) {  // before 1970: the floor, so tv_nsec stays in 0..999999999
        sec -= 1;
        frac += kNs;
    }
    struct timespec ts[2];
    ts[0].tv_sec = ts[1].tv_sec = static_cast<time_t>(sec);
    ts[0].tv_nsec = ts[1].tv_nsec = static_cast<long>(frac);
    return ::utimensat(AT_FDCWD, path.c_str(), ts, 0) == 0;
}

// The message files of a folder directory (new/ and cur/).
std::uint64_t message_files(const std::string& dir) {
    std::uint64_t n = 0;
    for (const char* sub : {"new", "cur"}) {
        if (auto names = list_files(dir + "/" + sub)) {
            for (const auto& f : *names) n += !f.empty() && f[0] != '.' ? 1 : 0;
        }
    }
    return n;
}

// Small state files (UID lists, subscriptions) replaced whole, durably.
bool replace_file(const std::string& path, const std::string& bytes) {
    const std::string tmp = path + ".tmp";
    remove_file(tmp);  // left by a crash
    return static_cast<bool>(write_durably(tmp, path, bytes));
}

}  // namespace

ImapMaildir::ImapMaildir(MaildirStore& store, std::vector<std::string> domains, std::int64_t epoch_unix_seconds)
    : store_(store), domains_(std::move(domains)), epoch_(epoch_unix_seconds) {}

std::string ImapMaildir::account(std::string_view user) const {
    std::string u = mail::ascii_lower(user);
    const auto at = u.rfind('@');
    if (at != std::string::npos) {
        if (std::find(domains_.begin(), domains_.end(), u.substr(at + 1)) == domains_.end()) return {};
        u.resize(at);
    }
    if (!valid_account_name(u) || store_.find(u) == nullptr) return {};
    return u;
}

void ImapMaildir::notify(const std::string& acct) {
    if (on_change && !acct.empty()) on_change(acct);
}

void ImapMaildir::report(trace::Event e) const {
    if (on_trace) on_trace(std::move(e));
}

bool ImapMaildir::make_superiors(const std::string& acct, const std::string& name) {
    for (auto p = name.find('/'); p != std::string::npos; p = name.find('/', p + 1)) {
        const std::string parent = name.substr(0, p);
        if (file_exists(dir_of(acct, parent) + "/cur")) continue;
        if (!make_folder(acct, parent)) return false;
        report(agents::imap_events::folder_created(acct, parent, folders_[{acct, parent}].list.validity));
    }
    return true;
}

std::string ImapMaildir::dir_of(const std::string& acct, const std::string& name) const {
    if (acct.empty()) return {};
    if (name == store::kInbox) return store_.dir_of(acct);
    if (name.empty()) return {};
    std::string d = store_.dir_of(acct) + "/.";
    for (char c : name) {
        // "." is the hierarchy on disk; control octets never reach a file name.
        if (c == '.' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return {};
        d += c == '/' ? '.' : c;
    }
    return d;
}

std::vector<std::string> ImapMaildir::folder_names(const std::string& acct) const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(store_.dir_of(acct), ec)) {
        const std::string n = e.path().filename().string();
        if (n.size() < 2 || n[0] != '.' || !e.is_directory(ec)) continue;
        std::string name = n.substr(1);
        std::replace(name.begin(), name.end(), '.', '/');
        out.push_back(std::move(name));
    }
    std::sort(out.begin(), out.end());
    return out;
}

bool ImapMaildir::has_inferiors(const std::string& acct, const std::string& name) const {
    const auto names = folder_names(acct);
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) { return inferior(n, name); });
}

std::uint32_t ImapMaildir::fresh_validity(const std::string& acct) {
    const std::string path = store_.dir_of(acct) + "/" + std::string(kValidityFile);
    std::uint64_t last = 0;
    if (auto text = read_file(path)) last = std::strtoull(text->c_str(), nullptr, 10);
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    std::uint64_t v = std::max<std::uint64_t>(last + 1, static_cast<std::uint64_t>(sec));
    if (v > 0xffffffffULL) v = last + 1;  // past 2106: count on
    replace_file(path, std::to_string(v) + "\n");
    return static_cast<std::uint32_t>(v);
}

bool ImapMaildir::make_folder(const std::string& acct, const std::string& name) {
    const std::string d = dir_of(acct, name);
    if (d.empty()) return false;
    for (const char* sub : {"tmp", "new", "cur"}) {
        if (!make_dirs(d + "/" + sub)) return false;
    }
    Folder f;
    f.list.validity = fresh_validity(acct);
    const Key key{acct, name};
    folders_[key] = std::move(f);
    recent_mark_.erase(key);
    return save(acct, name, folders_[key]);
}

bool ImapMaildir::save(const std::string& acct, const std::string& name, Folder& f) {
    f.list.entries.clear();
    for (const auto& m : f.msgs) f.list.entries.push_back({m.uid, m.base});
    return replace_file(dir_of(acct, name) + "/" + std::string(kUidListFile), encode_uid_list(f.list));
}

ImapMaildir::Folder* ImapMaildir::load(const std::string& acct, const std::string& name, bool selectable_only) {
    const std::string d = dir_of(acct, name);
    if (d.empty() || !file_exists(d + "/cur")) return nullptr;
    if (selectable_only && file_exists(d + "/" + std::string(kNoselectFile))) return nullptr;
    const Key key{acct, name};
    auto it = folders_.find(key);
    bool dirty = false;
    if (it == folders_.end()) {
        Folder f;
        auto text = read_file(d + "/" + std::string(kUidListFile));
        auto list = text ? decode_uid_list(*text, d + "/" + std::string(kUidListFile)) : Result<UidList>(Error{"", ""});
        if (list) {
            f.list = std::move(*list);
        } else {
            // No list yet (a Maildir written before IMAP served it) or a damaged one:
            // a fresh UIDVALIDITY, so no client trusts UIDs it cached before.
            f.list = UidList{};
            f.list.validity = fresh_validity(acct);
            dirty = true;
        }
        for (const auto& e : f.list.entries) f.msgs.push_back({e.uid, e.base, {}, 0, 0});
        it = folders_.emplace(key, std::move(f)).first;
    }
    Folder& f = it->second;
    // What is on disk now: unique name → file.
    std::map<std::string, std::string> files;
    for (const char* sub : {"new", "cur"}) {
        auto names = list_files(d + "/" + sub);
        if (!names) continue;
        for (const auto& n : *names) {
            if (n.empty() || n[0] == '.') continue;
            files.emplace(maildir_base(n), std::string(sub) + "/" + n);
        }
    }
    std::vector<Msg> kept;
    kept.reserve(f.msgs.size());
    for (auto& m : f.msgs) {
        auto fi = files.find(m.base);
        if (fi == files.end()) {
            dirty = true;  // removed (POP3, EXPUNGE elsewhere, a mail reader)
            continue;
        }
        if (m.file != fi->second || m.mtime_ns == 0) {
            m.file = fi->second;
            m.mtime_ns = mtime_ns_of(d + "/" + m.file, m.size);
        }
        files.erase(fi);
        kept.push_back(std::move(m));
    }
    f.msgs = std::move(kept);
    // Files not listed: the next UIDs, in name order (arrival order for our names).
    for (auto& [base, file] : files) {
        Msg m;
        m.base = base;
        m.file = file;
        m.mtime_ns = mtime_ns_of(path_in(d, file), m.size);
        if (m.mtime_ns < 0) continue;  // gone meanwhile
        if (f.list.next == 0xffffffffU) break;  // UIDs exhausted (RFC 3501 §2.3.1.1: a new UIDVALIDITY would be due)
        m.uid = f.list.next++;
        f.msgs.push_back(std::move(m));
        dirty = true;
    }
    // Before a UID is shown it is on disk, so a restart gives the same UIDs.
    if (dirty && !save(acct, name, f)) return nullptr;
    return &f;
}

ImapMaildir::Msg* ImapMaildir::find(Folder& f, std::uint32_t uid) {
    auto it = std::lower_bound(f.msgs.begin(), f.msgs.end(), uid, [](const Msg& m, std::uint32_t u) { return m.uid < u; });
    return it != f.msgs.end() && it->uid == uid ? &*it : nullptr;
}

std::optional<std::uint32_t> ImapMaildir::inbox_uid(const std::string& account, const std::string& file) {
    const std::lock_guard<std::mutex> lock(mutex_);
    Folder* f = load(account, std::string(store::kInbox));
    if (f == nullptr) return std::nullopt;
    for (const auto& m : f->msgs)
        if (m.base == file) return m.uid;
    return std::nullopt;
}

bool ImapMaildir::check_password(std::string_view user, std::string_view password) { return check(user, password); }

bool ImapMaildir::check(std::string_view user, std::string_view password) const {
    const MaildirAccount* a = store_.find(account(user));
    // An account without a password only receives mail.
    return a != nullptr && !a->password.empty() && a->password == password;
}

std::vector<imap::MailboxInfo> ImapMaildir::mailboxes(std::string_view user) {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::vector<imap::MailboxInfo> out;
    const std::string acct = account(user);
    if (acct.empty()) return out;
    const auto subs = subscriptions(acct);
    std::vector<std::string> names = folder_names(acct);
    names.emplace_back(store::kInbox);
    std::sort(names.begin(), names.end());
    for (const auto& n : names) {
        const std::string d = dir_of(acct, n);
        if (d.empty()) continue;
        imap::MailboxInfo m;
        m.name = n;
        m.noselect = file_exists(d + "/" + std::string(kNoselectFile));
        m.subscribed = subs.count(n) != 0;
        out.push_back(std::move(m));
    }
    return out;
}

std::optional<imap::MailboxSnapshot> ImapMaildir::open(std::string_view user, std::string_view mailbox, bool claim) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    Folder* f = load(acct, name);
    if (f == nullptr) return std::nullopt;
    imap::MailboxSnapshot s;
    s.uid_validity = f->list.validity;
    s.uid_next = f->list.next;
    s.messages.reserve(f->msgs.size());
    for (const auto& m : f->msgs) {
        imap::MessageMeta mm;
        mm.uid = m.uid;
        mm.flags = flags_from_letters(maildir_letters(m.file), f->list.keywords);
        mm.internal_date = Duration::from_ns(m.mtime_ns - epoch_ * 1'000'000'000);
        mm.size = m.size;
        s.messages.push_back(std::move(mm));
    }
    auto& mark = recent_mark_[{acct, name}];
    if (mark == 0) mark = 1;
    s.first_recent_uid = mark;
    if (claim) mark = f->list.next;
    return s;
}

std::optional<std::string> ImapMaildir::message(std::string_view user, std::string_view mailbox, std::uint32_t uid) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    Folder* f = load(acct, name);
    if (f == nullptr) return std::nullopt;
    Msg* m = find(*f, uid);
    if (m == nullptr) return std::nullopt;
    auto bytes = read_file(dir_of(acct, name) + "/" + m->file);
    if (!bytes) return std::nullopt;
    return std::move(*bytes);
}

StoreStatus ImapMaildir::create(std::string_view user, std::string_view mailbox) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    if (acct.empty()) return StoreStatus::Failed;
    if (name == store::kInbox) return StoreStatus::AlreadyExists;
    const std::string d = dir_of(acct, name);
    if (d.empty()) return StoreStatus::NotAllowed;
    if (file_exists(d + "/cur")) {
        const std::string marker = d + "/" + std::string(kNoselectFile);
        if (!file_exists(marker)) return StoreStatus::AlreadyExists;
        // A \Noselect name becomes a folder again, with a fresh UIDVALIDITY.
        if (!make_folder(acct, name) || !remove_file(marker)) return StoreStatus::Failed;
    } else {
        // Superior names first (§6.3.3).
        if (!make_superiors(acct, name) || !make_folder(acct, name)) return StoreStatus::Failed;
    }
    report(agents::imap_events::folder_created(acct, name, folders_[{acct, name}].list.validity));
    lock.unlock();
    notify(acct);
    return StoreStatus::Ok;
}

StoreStatus ImapMaildir::remove(std::string_view user, std::string_view mailbox) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    if (acct.empty()) return StoreStatus::Failed;
    if (name == store::kInbox) return StoreStatus::NotAllowed;
    const std::string d = dir_of(acct, name);
    if (d.empty() || !file_exists(d + "/cur")) return StoreStatus::NoSuchMailbox;
    const Key key{acct, name};
    const std::string marker = d + "/" + std::string(kNoselectFile);
    std::error_code ec;
    const std::uint64_t messages = message_files(d);
    const bool keep = has_inferiors(acct, name);
    if (keep) {
        if (file_exists(marker)) return StoreStatus::NotAllowed;  // §6.3.4
        for (const char* sub : {"new", "cur"}) {
            if (auto files = list_files(d + "/" + sub)) {
                for (const auto& n : *files) remove_file(path_in(d, sub, n));
            }
        }
        if (!replace_file(marker, "")) return StoreStatus::Failed;
    } else {
        fs::remove_all(d, ec);
        if (ec) return StoreStatus::Failed;
        (void)sync_dir(store_.dir_of(acct));
    }
    folders_.erase(key);
    recent_mark_.erase(key);
    report(agents::imap_events::folder_deleted(acct, name, messages, keep));
    lock.unlock();
    notify(acct);
    return StoreStatus::Ok;
}

StoreStatus ImapMaildir::rename(std::string_view user, std::string_view from, std::string_view to) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string acct = account(user), src(from), dst(to);
    if (acct.empty()) return StoreStatus::Failed;
    if (load(acct, src) == nullptr) return StoreStatus::NoSuchMailbox;
    const std::string ddst = dir_of(acct, dst);
    if (ddst.empty()) return StoreStatus::NotAllowed;
    if (dst == store::kInbox || file_exists(ddst + "/cur")) return StoreStatus::AlreadyExists;
    if (inferior(dst, src)) return StoreStatus::NotAllowed;
    // Superior names of the new name (§6.3.5 "SHOULD create").
    if (!make_superiors(acct, dst)) return StoreStatus::Failed;
    std::error_code ec;
    auto subs = subscriptions(acct);
    if (src == store::kInbox) {
        // §6.3.5: the messages move to a new folder, which keeps their UIDs;
        // INBOX stays, empty, with its UIDVALIDITY and next UID.
        if (!make_folder(acct, dst)) return StoreStatus::Failed;
        Folder& in = folders_[{acct, src}];
        Folder& out = folders_[{acct, dst}];
        const std::string din = dir_of(acct, src);
        out.list.next = in.list.next;
        out.list.keywords = in.list.keywords;
        for (auto& m : in.msgs) {
            if (::rename((din + "/" + m.file).c_str(), (ddst + "/" + m.file).c_str()) == 0) out.msgs.push_back(m);
        }
        in.msgs.clear();
        (void)sync_dir(ddst + "/cur");
        (void)sync_dir(ddst + "/new");
        if (!save(acct, dst, out)) return StoreStatus::Failed;
        (void)save(acct, src, in);
        report(agents::imap_events::folder_renamed(acct, src, dst, out.msgs.size()));
    } else {
        std::vector<std::string> names;
        for (const auto& n : folder_names(acct)) {
            if (n == src || inferior(n, src)) names.push_back(n);
        }
        for (const auto& n : names) {
            const std::string nn = dst + n.substr(src.size());
            const std::string dn = dir_of(acct, nn);
            if (dn.empty()) return StoreStatus::NotAllowed;
            const std::uint64_t messages = message_files(dir_of(acct, n));
            fs::rename(dir_of(acct, n), dn, ec);
            if (ec) return StoreStatus::Failed;
            report(agents::imap_events::folder_renamed(acct, n, nn, messages));
            if (auto node = folders_.extract({acct, n})) {
                node.key() = {acct, nn};
                folders_.insert(std::move(node));
            }
            if (auto r = recent_mark_.find({acct, n}); r != recent_mark_.end()) {
                recent_mark_[{acct, nn}] = r->second;
                recent_mark_.erase(r);
            }
            if (subs.erase(n) != 0) subs.insert(nn);
        }
        (void)sync_dir(store_.dir_of(acct));
        (void)save_subscriptions(acct, subs);
    }
    lock.unlock();
    notify(acct);
    return StoreStatus::Ok;
}

std::set<std::string> ImapMaildir::subscriptions(const std::string& acct) const {
    std::set<std::string> out;
    auto text = read_file(store_.dir_of(acct) + "/" + std::string(kSubscriptionsFile));
    if (!text) return out;
    std::size_t start = 0;
    while (start < text->size()) {
        auto nl = text->find('\n', start);
        if (nl == std::string::npos) nl = text->size();
        if (nl > start) out.insert(text->substr(start, nl - start));
        start = nl + 1;
    }
    return out;
}

bool ImapMaildir::save_subscriptions(const std::string& acct, const std::set<std::string>& s) {
    std::string text;
    for (const auto& n : s) text += n + "\n";
    return replace_file(store_.dir_of(acct) + "/" + std::string(kSubscriptionsFile), text);
}

StoreStatus ImapMaildir::subscribe(std::string_view user, std::string_view mailbox, bool on) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    if (acct.empty()) return StoreStatus::Failed;
    auto subs = subscriptions(acct);
    if (on) {
        const std::string d = dir_of(acct, name);
        if (d.empty() || !file_exists(d + "/cur")) return StoreStatus::NoSuchMailbox;
        subs.insert(name);
    } else {
        subs.erase(name);  // §6.3.7: unsubscribing a name that is not subscribed is fine
    }
    return save_subscriptions(acct, subs) ? StoreStatus::Ok : StoreStatus::Failed;
}

std::string ImapMaildir::next_name() {
    std::int64_t sec = 0, usec = 0;
    WallClock::unix_now(sec, usec);
    char buf[96];
    // The shape of the spool's queue ids (docs/serve.md), with I for IMAP: name order is arrival order.
    std::snprintf(buf, sizeof buf, "%010lld.M%06lldP%dI%06llu", static_cast<long long>(sec),
                  static_cast<long long>(usec), static_cast<int>(::getpid()),
                  static_cast<unsigned long long>(++counter_));
    return buf;
}

std::optional<ImapMaildir::Msg> ImapMaildir::write_message(const std::string& dir, std::string_view bytes,
                                                           const std::string& letters, std::int64_t mtime_ns) {
    Msg m;
    m.base = next_name();
    m.file = "cur/" + m.base + ":2," + letters;
    const std::string tmp = dir + "/tmp/" + m.base;
    if (!write_durably(tmp, dir + "/" + m.file, bytes)) return std::nullopt;
    set_mtime(dir + "/" + m.file, mtime_ns);
    m.size = bytes.size();
    m.mtime_ns = mtime_ns;
    return m;
}

imap::AppendOutcome ImapMaildir::append(std::string_view user, std::string_view mailbox, std::string bytes,
                                        std::vector<std::string> flags, Time internal_date) {
    std::unique_lock<std::mutex> lock(mutex_);
    imap::AppendOutcome r;
    const std::string acct = account(user), name(mailbox);
    Folder* f = load(acct, name);
    if (f == nullptr) {
        r.status = StoreStatus::NoSuchMailbox;
        return r;
    }
    const auto ok = store_.can_accept(acct, bytes.size());
    if (ok != store::InsertStatus::Stored) {
        r.status = ok == store::InsertStatus::OverQuota ? StoreStatus::OverQuota : StoreStatus::Failed;
        return r;
    }
    auto letters = letters_from_flags(flags, "", f->list.keywords);
    if (!letters || f->list.next == 0xffffffffU) {
        r.status = StoreStatus::Failed;
        return r;
    }
    auto m = write_message(dir_of(acct, name), bytes, *letters, internal_date.ns() + epoch_ * 1'000'000'000);
    if (!m) {
        r.status = StoreStatus::Failed;
        return r;
    }
    m->uid = f->list.next++;
    f->msgs.push_back(*m);
    if (!save(acct, name, *f)) {
        r.status = StoreStatus::Failed;
        return r;
    }
    r.uid = m->uid;
    r.uid_validity = f->list.validity;
    report(agents::imap_events::appended(acct, name, m->uid, m->size, flags_from_letters(*letters, f->list.keywords)));
    lock.unlock();
    notify(acct);
    return r;
}

std::optional<std::vector<std::string>> ImapMaildir::update_flags(std::string_view user, std::string_view mailbox,
                                                                  std::uint32_t uid, imap::FlagChange change,
                                                                  const std::vector<std::string>& flags) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    Folder* f = load(acct, name);
    if (f == nullptr) return std::nullopt;
    Msg* m = find(*f, uid);
    if (m == nullptr) return std::nullopt;
    const std::string old_letters = maildir_letters(m->file);
    const auto current = flags_from_letters(old_letters, f->list.keywords);
    std::set<std::string> now(current.begin(), current.end());
    if (change == imap::FlagChange::Replace) now = std::set<std::string>(flags.begin(), flags.end());
    else if (change == imap::FlagChange::Add) now.insert(flags.begin(), flags.end());
    else for (const auto& fl : flags) now.erase(fl);
    std::vector<std::string> out(now.begin(), now.end());
    if (out == current) return out;
    const std::size_t keywords_before = f->list.keywords.size();
    auto letters = letters_from_flags(out, old_letters, f->list.keywords);
    if (!letters) return std::nullopt;  // a 27th keyword: the folder's table is full
    const std::string d = dir_of(acct, name);
    const std::string file = "cur/" + m->base + ":2," + *letters;
    if (f->list.keywords.size() != keywords_before && !save(acct, name, *f)) return std::nullopt;
    if (::rename((d + "/" + m->file).c_str(), (d + "/" + file).c_str()) != 0) return std::nullopt;
    (void)sync_dir(d + "/cur");
    m->file = file;
    out = flags_from_letters(*letters, f->list.keywords);
    report(agents::imap_events::flags(acct, name, uid, out));
    lock.unlock();
    notify(acct);
    return out;
}

imap::CopyOutcome ImapMaildir::copy(std::string_view user, std::string_view from,
                                    const std::vector<std::uint32_t>& uids, std::string_view to) {
    std::unique_lock<std::mutex> lock(mutex_);
    imap::CopyOutcome r;
    const std::string acct = account(user), src_name(from), dst_name(to);
    Folder* dst = load(acct, dst_name);
    Folder* src = load(acct, src_name);
    if (dst == nullptr || src == nullptr) {
        r.status = StoreStatus::NoSuchMailbox;
        return r;
    }
    const std::string dsrc = dir_of(acct, src_name), ddst = dir_of(acct, dst_name);
    struct Item {
        std::uint32_t uid;
        std::string bytes;
        std::vector<std::string> flags;
        std::int64_t mtime_ns;
    };
    std::vector<Item> items;
    std::uint64_t octets = 0;
    for (auto uid : uids) {
        Msg* m = find(*src, uid);
        if (m == nullptr) continue;
        auto bytes = read_file(dsrc + "/" + m->file);
        if (!bytes) continue;
        octets += bytes->size();
        items.push_back({uid, std::move(*bytes), flags_from_letters(maildir_letters(m->file), src->list.keywords),
                         m->mtime_ns});
    }
    // All or nothing (§6.4.7): the quota for the whole set first.
    const auto ok = store_.can_accept(acct, octets);
    if (ok != store::InsertStatus::Stored) {
        r.status = ok == store::InsertStatus::OverQuota ? StoreStatus::OverQuota : StoreStatus::Failed;
        return r;
    }
    std::vector<Msg> written;
    for (const auto& it : items) {
        auto letters = letters_from_flags(it.flags, "", dst->list.keywords);
        std::optional<Msg> m;
        if (letters && dst->list.next != 0xffffffffU) m = write_message(ddst, it.bytes, *letters, it.mtime_ns);
        if (!m) {
            for (const auto& w : written) remove_file(ddst + "/" + w.file);  // undo: nothing was copied
            r.status = StoreStatus::Failed;
            return r;
        }
        m->uid = dst->list.next++;
        r.source_uids.push_back(it.uid);
        r.dest_uids.push_back(m->uid);
        written.push_back(std::move(*m));
    }
    for (auto& w : written) dst->msgs.push_back(std::move(w));
    if (!save(acct, dst_name, *dst)) {
        r = imap::CopyOutcome{};
        r.status = StoreStatus::Failed;
        return r;
    }
    r.uid_validity = dst->list.validity;
    for (std::size_t i = 0; i < items.size(); ++i) {
        report(agents::imap_events::copied(acct, dst_name, r.dest_uids[i], src_name, items[i].uid, items[i].bytes.size(),
                                           items[i].flags));
    }
    lock.unlock();
    if (!r.dest_uids.empty()) notify(acct);
    return r;
}

StoreStatus ImapMaildir::expunge(std::string_view user, std::string_view mailbox,
                                 const std::vector<std::uint32_t>& uids) {
    std::unique_lock<std::mutex> lock(mutex_);
    const std::string acct = account(user), name(mailbox);
    Folder* f = load(acct, name);
    if (f == nullptr) return StoreStatus::NoSuchMailbox;
    const std::string d = dir_of(acct, name);
    const std::set<std::uint32_t> gone(uids.begin(), uids.end());
    bool any = false;
    std::vector<Msg> kept;
    for (auto& m : f->msgs) {
        if (gone.count(m.uid) != 0 && remove_file(d + "/" + m.file)) {
            any = true;
            report(agents::imap_events::expunged(acct, name, m.uid, m.size));
            continue;
        }
        kept.push_back(std::move(m));
    }
    f->msgs = std::move(kept);
    if (!any) return StoreStatus::Ok;
    (void)sync_dir(d + "/cur");
    (void)sync_dir(d + "/new");
    (void)save(acct, name, *f);
    lock.unlock();
    notify(acct);
    return StoreStatus::Ok;
}

}  // namespace postino::wire
