// scripted_policy.cpp — the test POP3 policy.
#include "pop3/scripted_policy.hpp"

#include <algorithm>

namespace postino::pop3::testing {

Status ScriptedPolicy::configure(const std::string& key, const std::string& value) {
    if (key == "user") {
        const std::size_t sp = value.find(' ');
        if (sp == std::string::npos) return Error{"@policy user needs NAME PASSWORD", ""};
        add_user(value.substr(0, sp), value.substr(sp + 1));
    } else if (key == "in-use") {
        in_use.insert(value);
    } else if (key == "open-fails") {
        open_fails.insert(value);
    } else if (key == "update-fails") {
        update_fails.insert(value);
    } else {
        return Error{"unknown @policy key " + key, ""};
    }
    return {};
}

void ScriptedPolicy::add_message(const std::string& user, std::string content, std::string uidl) {
    std::uint32_t& uid = next_uid_[user];
    ++uid;
    if (uidl.empty()) uidl = "1." + std::to_string(uid);
    drops_[user].push_back(MaildropMessage{std::move(uidl), std::move(content)});
}

bool ScriptedPolicy::check_password(std::string_view user, std::string_view password) {
    auto it = passwords_.find(std::string(user));
    return it != passwords_.end() && it->second == password;
}

std::optional<std::string> ScriptedPolicy::apop_secret(std::string_view user) {
    auto it = passwords_.find(std::string(user));
    if (it == passwords_.end()) return std::nullopt;
    return it->second;
}

OpenResult ScriptedPolicy::open(std::string_view user) {
    const std::string u(user);
    if (in_use.count(u) != 0 || locked_.count(u) != 0) {
        log_.push_back("open " + u + " in-use");
        return {OpenStatus::InUse, {}};
    }
    if (open_fails.count(u) != 0) {
        log_.push_back("open " + u + " failed");
        return {OpenStatus::Failed, {}};
    }
    locked_.insert(u);
    log_.push_back("open " + u + " " + std::to_string(drops_[u].size()));
    return {OpenStatus::Opened, drops_[u]};
}

bool ScriptedPolicy::update(std::string_view user, const std::vector<std::string>& deleted) {
    const std::string u(user);
    std::string ids;
    for (const auto& d : deleted) ids += (ids.empty() ? "" : ",") + d;
    if (update_fails.count(u) != 0) {
        log_.push_back("update " + u + " failed");
        return false;
    }
    log_.push_back("update " + u + " " + ids);
    std::erase_if(drops_[u], [&](const MaildropMessage& m) {
        return std::find(deleted.begin(), deleted.end(), m.uidl) != deleted.end();
    });
    return true;
}

void ScriptedPolicy::release(std::string_view user) {
    locked_.erase(std::string(user));
    log_.push_back("release " + std::string(user));
}

}  // namespace postino::pop3::testing
