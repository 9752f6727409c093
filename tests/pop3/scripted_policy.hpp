// scripted_policy.hpp — a POP3 ServerPolicy for tests: accounts with
// passwords, maildrops, and switches for a locked or failing maildrop.
// Every decision that touches the maildrop is logged ("open alice 2",
// "update alice 1.1,1.3", "release alice"), so tests and golden
// transcripts (@expect) can check when UPDATE ran and what it removed.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "proto/pop3/policy.hpp"

namespace postino::pop3::testing {

class ScriptedPolicy : public ServerPolicy {
public:
    // Golden-file keys: "user NAME PASSWORD", "in-use NAME", "open-fails NAME", "update-fails NAME".
    Status configure(const std::string& key, const std::string& value);
    void add_user(const std::string& name, const std::string& password) { passwords_[name] = password; }
    void add_message(const std::string& user, std::string content, std::string uidl = {});

    bool check_password(std::string_view user, std::string_view password) override;
    std::optional<std::string> apop_secret(std::string_view user) override;
    OpenResult open(std::string_view user) override;
    bool update(std::string_view user, const std::vector<std::string>& deleted) override;
    void release(std::string_view user) override;

    [[nodiscard]] const std::vector<std::string>& log() const { return log_; }
    [[nodiscard]] const Maildrop& maildrop(const std::string& user) { return drops_[user]; }
    [[nodiscard]] bool locked(const std::string& user) const { return locked_.count(user) != 0; }
    std::set<std::string> in_use, open_fails, update_fails;

private:
    std::map<std::string, std::string> passwords_;
    std::map<std::string, Maildrop> drops_;
    std::map<std::string, std::uint32_t> next_uid_;
    std::set<std::string> locked_;
    std::vector<std::string> log_;
};

}  // namespace postino::pop3::testing
