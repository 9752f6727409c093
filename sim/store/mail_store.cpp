// mail_store.cpp — in-memory accounts, folders and messages.
#include "store/mail_store.hpp"

#include <algorithm>

namespace postino::store {

bool StoredMessage::has_flag(const std::string& f) const {
    return std::binary_search(flags.begin(), flags.end(), f);
}

std::uint64_t Folder::octets() const {
    std::uint64_t n = 0;
    for (const auto& m : messages) n += m.bytes.size();
    return n;
}

std::uint64_t Account::octets() const {
    std::uint64_t n = 0;
    for (const auto& [folder_name, f] : folders) n += f.octets();
    return n;
}

const char* to_string(InsertStatus s) {
    switch (s) {
        case InsertStatus::Stored: return "stored";
        case InsertStatus::NoSuchAccount: return "no such mailbox";
        case InsertStatus::OverQuota: return "mailbox full";
        case InsertStatus::Failed: return "mailbox insertion failed";
    }
    return "?";
}

Account& MailStore::add_account(const std::string& name, const std::string& password, std::uint64_t quota) {
    Account& a = accounts_[name];
    a.name = name;
    a.password = password;
    a.quota_octets = quota;
    a.folders[kInbox];
    return a;
}

Account* MailStore::find(const std::string& name) {
    auto it = accounts_.find(name);
    return it == accounts_.end() ? nullptr : &it->second;
}

const Account* MailStore::find(const std::string& name) const {
    auto it = accounts_.find(name);
    return it == accounts_.end() ? nullptr : &it->second;
}

InsertStatus MailStore::can_accept(const std::string& account, std::uint64_t octets) const {
    const Account* a = find(account);
    if (a == nullptr) return InsertStatus::NoSuchAccount;
    if (auto it = full_faults_.find(account); it != full_faults_.end() && it->second) return InsertStatus::OverQuota;
    if (a->quota_octets != 0 && a->octets() + octets > a->quota_octets) return InsertStatus::OverQuota;
    return InsertStatus::Stored;
}

InsertResult MailStore::insert(const std::string& account, std::string bytes, Time now, const std::string& folder) {
    const InsertStatus ok = can_accept(account, bytes.size());
    if (ok != InsertStatus::Stored) return {ok, 0};
    if (auto it = insert_faults_.find(account); it != insert_faults_.end() && it->second) {
        return {InsertStatus::Failed, 0};
    }
    Folder& f = find(account)->folders[folder];
    StoredMessage m;
    m.uid = f.next_uid++;
    m.bytes = std::move(bytes);
    m.internal_date = now;
    f.messages.push_back(std::move(m));
    return {InsertStatus::Stored, f.messages.back().uid};
}

void MailStore::set_insert_fault(const std::string& account, bool failing) { insert_faults_[account] = failing; }

void MailStore::set_full_fault(const std::string& account, bool full) { full_faults_[account] = full; }

bool MailStore::lock(const std::string& account, std::uint64_t session, const std::string& folder) {
    Account* a = find(account);
    if (a == nullptr) return false;
    Folder& f = a->folders[folder];
    if (f.locked_by != 0 && f.locked_by != session) return false;
    f.locked_by = session;
    return true;
}

void MailStore::unlock(const std::string& account, std::uint64_t session, const std::string& folder) {
    Account* a = find(account);
    if (a == nullptr) return;
    auto it = a->folders.find(folder);
    if (it != a->folders.end() && it->second.locked_by == session) it->second.locked_by = 0;
}

}  // namespace postino::store
