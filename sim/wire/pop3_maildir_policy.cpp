// pop3_maildir_policy.cpp — POP3 sessions over Maildirs (RFC 1939 §4, §6, §7).
#include "wire/pop3_maildir_policy.hpp"

#include <algorithm>

#include "mail/mailbox.hpp"

namespace postino::wire {

Pop3MaildirPolicy::~Pop3MaildirPolicy() {
    if (!locked_.empty()) store_.unlock(locked_, session_);
}

std::string Pop3MaildirPolicy::account(std::string_view user) const {
    std::string u = mail::ascii_lower(user);
    const auto at = u.rfind('@');
    if (at != std::string::npos) {
        if (std::find(domains_.begin(), domains_.end(), u.substr(at + 1)) == domains_.end()) return {};
        u.resize(at);
    }
    return valid_account_name(u) ? u : std::string{};
}

bool Pop3MaildirPolicy::check_password(std::string_view user, std::string_view password) {
    const MaildirAccount* a = store_.find(account(user));
    // An account without a password only receives mail.
    return a != nullptr && !a->password.empty() && a->password == password;
}

std::optional<std::string> Pop3MaildirPolicy::apop_secret(std::string_view user) {
    const MaildirAccount* a = store_.find(account(user));
    if (a == nullptr || a->password.empty()) return std::nullopt;
    return a->password;
}

pop3::OpenResult Pop3MaildirPolicy::open(std::string_view user) {
    const std::string name = account(user);
    if (store_.find(name) == nullptr) return {pop3::OpenStatus::Failed, {}};
    if (!store_.lock(name, session_)) return {pop3::OpenStatus::InUse, {}};
    locked_ = name;
    pop3::OpenResult r;
    for (const auto& m : store_.list(name)) {
        auto bytes = store_.read(m);
        if (!bytes) continue;  // removed meanwhile: not part of this session
        r.messages.push_back({m.uid, std::move(*bytes)});
    }
    return r;
}

bool Pop3MaildirPolicy::update(std::string_view user, const std::vector<std::string>& deleted) {
    const std::string name = account(user);
    bool all = true;
    for (const auto& uid : deleted) {
        const std::uint32_t imap_uid = store_.imap_uid_of(name, uid).value_or(0);  // before the file is gone
        if (!store_.remove(name, uid)) {
            all = false;
            continue;
        }
        trace_.emit(trace::Event("mailbox", host_)
                        .set("ev", "deleted")
                        .set("mailbox", name)
                        .set("uid", static_cast<std::uint64_t>(imap_uid))
                        .set("file", uid)
                        .set("by", "pop3"));
    }
    return all;
}

void Pop3MaildirPolicy::release(std::string_view user) {
    store_.unlock(account(user), session_);
    locked_.clear();
}

}  // namespace postino::wire
