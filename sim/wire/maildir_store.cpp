// maildir_store.cpp — Maildir delivery (tmp → fsync → rename into new/),
// listing, removal and the in-process POP3 lock (RFC 1939 §8).
#include "wire/maildir_store.hpp"

#include <algorithm>

#include "mail/mailbox.hpp"
#include "wire/durable_file.hpp"

namespace postino::wire {
namespace {

bool name_chars(const std::string& s, bool upper) {
    if (s.empty() || s[0] == '.') return false;
    for (char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
                        (upper && c >= 'A' && c <= 'Z');
        if (!ok) return false;
    }
    return true;
}

std::string uid_of(const std::string& file) {
    const auto colon = file.find(':');
    return colon == std::string::npos ? file : file.substr(0, colon);
}

}  // namespace

bool valid_account_name(const std::string& name) {
    return name.size() <= mail::kMaxLocalPartOctets && name_chars(name, false);
}

bool valid_message_name(const std::string& name) {
    return name.size() <= kMaxMaildirNameOctets && name_chars(name, true);
}

Result<MaildirStore> MaildirStore::open(const std::string& data_dir, std::vector<MaildirAccount> accounts) {
    MaildirStore s;
    s.root_ = data_dir + "/mailboxes";
    for (auto& a : accounts) {
        if (!valid_account_name(a.name)) {
            return Error{"account name '" + a.name + "' may hold only a-z 0-9 . _ - and must not start with '.'",
                         data_dir};
        }
        const std::string dir = s.root_ + "/" + a.name;
        for (const char* sub : {"tmp", "new", "cur"}) {
            if (Status st = make_dirs(dir + "/" + sub); !st) return st.error();
        }
        if (Status st = check_writable(dir + "/tmp"); !st) return st.error();
        if (auto stale = list_files(dir + "/tmp")) {
            for (const auto& f : *stale) remove_file(path_in(dir, "tmp", f));
        }
        s.accounts_[a.name] = std::move(a);
    }
    return s;
}

const MaildirAccount* MaildirStore::find(const std::string& account) const {
    auto it = accounts_.find(account);
    return it == accounts_.end() ? nullptr : &it->second;
}

std::uint64_t MaildirStore::octets(const std::string& account) const {
    std::uint64_t total = 0;
    for (const auto& m : list(account)) total += m.octets;
    return total;
}

store::InsertStatus MaildirStore::can_accept(const std::string& account, std::uint64_t more) const {
    const MaildirAccount* a = find(account);
    if (a == nullptr) return store::InsertStatus::NoSuchAccount;
    if (a->quota_octets == 0) return store::InsertStatus::Stored;
    const std::uint64_t used = octets(account);
    // At RCPT time (more == 0) a mailbox that is exactly full refuses too.
    if (used + more > a->quota_octets || (more == 0 && used >= a->quota_octets)) return store::InsertStatus::OverQuota;
    return store::InsertStatus::Stored;
}

Result<bool> MaildirStore::insert(const std::string& account, const std::string& name, std::string_view bytes,
                                  bool once) {
    if (find(account) == nullptr) return Error{"no such account", account};
    if (!valid_message_name(name)) return Error{"invalid Maildir file name", name};
    const std::string dir = dir_of(account);
    if (once) {
        for (const auto& m : list(account)) {
            if (m.uid == name) return false;  // delivered before a crash: exactly once
        }
    } else if (file_exists(dir + "/new/" + name)) {
        return false;
    }
    if (Status st = write_durably(dir + "/tmp/" + name, dir + "/new/" + name, bytes); !st) return st.error();
    if (on_change) on_change(account);
    return true;
}

std::vector<MaildirMessage> MaildirStore::list(const std::string& account) const {
    std::vector<MaildirMessage> out;
    if (find(account) == nullptr) return out;
    const std::string dir = dir_of(account);
    for (const char* sub : {"cur", "new"}) {
        auto files = list_files(dir + "/" + sub);
        if (!files) continue;
        for (const auto& f : *files) {
            const std::string path = path_in(dir, sub, f);
            out.push_back({uid_of(f), path, file_size(path)});
        }
    }
    // Names begin with the delivery time, zero-padded: name order is arrival order.
    std::sort(out.begin(), out.end(), [](const MaildirMessage& a, const MaildirMessage& b) { return a.uid < b.uid; });
    return out;
}

Result<std::string> MaildirStore::read(const MaildirMessage& m) const { return read_file(m.path); }

bool MaildirStore::remove(const std::string& account, const std::string& uid) {
    for (const auto& m : list(account)) {
        if (m.uid != uid) continue;
        if (!remove_file(m.path)) return false;
        const auto slash = m.path.rfind('/');
        (void)sync_dir(m.path.substr(0, slash));
        if (on_change) on_change(account);
        return true;
    }
    return false;
}

bool MaildirStore::lock(const std::string& account, std::uint64_t session) {
    const std::lock_guard<std::mutex> lock(locks_->mutex);
    auto [it, fresh] = locks_->owner.emplace(account, session);
    return fresh || it->second == session;
}

void MaildirStore::unlock(const std::string& account, std::uint64_t session) {
    const std::lock_guard<std::mutex> lock(locks_->mutex);
    auto it = locks_->owner.find(account);
    if (it != locks_->owner.end() && it->second == session) locks_->owner.erase(it);
}

}  // namespace postino::wire
