// scripted_policy.hpp — a server policy configured by `@policy` lines of a
// golden transcript (docs/transcript-format.md): which domains are local,
// which users exist, whose mailbox is full, what to refuse.
#pragma once

#include <set>
#include <string>

#include "core/result.hpp"
#include "proto/smtp/policy.hpp"

namespace postino::smtp::testing {

class ScriptedPolicy : public ServerPolicy {
public:
    // Keys: connect (accept|refuse|shutdown|bogus), local-domains, users, full,
    // full-temp, reject-sender (comma-separated lists of addresses or domains),
    // reject-message (permanent|temporary|bogus), vrfy (verify), passwords
    // (user:password,… for AUTH PLAIN).
    Status configure(const std::string& key, const std::string& value);

    Decision on_connect() override;
    Decision on_mail(const SessionInfo& session, const mail::Mailbox& sender, const MailParams& params) override;
    Decision on_rcpt(const SessionInfo& session, const Envelope& envelope, const mail::Mailbox& recipient) override;
    Decision on_message(const SessionInfo& session, const Envelope& envelope, std::string_view content) override;
    Decision on_vrfy(std::string_view argument) override;
    bool check_password(std::string_view user, std::string_view password) override;

private:
    std::string connect_ = "accept";
    std::string reject_message_;
    bool vrfy_verify_ = false;
    std::set<std::string> local_domains_, users_, full_, full_temp_, reject_sender_;
    std::set<std::string> passwords_;  // "user:password"
    int next_queue_id_ = 1;
};

}  // namespace postino::smtp::testing
