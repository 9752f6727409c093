// pop3_maildir_policy.hpp — the POP3 engine's host decisions over the
// Maildirs of `postino serve` (RFC 1939 §4 lock, §6 UPDATE, §7 UIDL): the
// same choices as the simulator's agents::Pop3Server, on files. The
// snapshot of a session is the Maildir listing when the lock is taken;
// UPDATE unlinks the marked files; one user never opens another's Maildir.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wire/trace_log.hpp"
#include "proto/pop3/policy.hpp"
#include "wire/maildir_store.hpp"

namespace postino::wire {

class Pop3MaildirPolicy final : public pop3::ServerPolicy {
public:
    Pop3MaildirPolicy(MaildirStore& store, std::vector<std::string> domains, std::uint64_t session,
                      TraceLog& trace, std::string host)
        : store_(store), domains_(std::move(domains)), session_(session), trace_(trace), host_(std::move(host)) {}
    ~Pop3MaildirPolicy() override;
    Pop3MaildirPolicy(const Pop3MaildirPolicy&) = delete;
    Pop3MaildirPolicy& operator=(const Pop3MaildirPolicy&) = delete;

    bool check_password(std::string_view user, std::string_view password) override;
    std::optional<std::string> apop_secret(std::string_view user) override;
    pop3::OpenResult open(std::string_view user) override;
    bool update(std::string_view user, const std::vector<std::string>& deleted) override;
    void release(std::string_view user) override;

    // "alice" or "alice@<local domain>" → "alice"; "" when not ours.
    [[nodiscard]] std::string account(std::string_view user) const;

private:
    MaildirStore& store_;
    std::vector<std::string> domains_;
    std::uint64_t session_;
    TraceLog& trace_;
    std::string host_;
    std::string locked_;
};

}  // namespace postino::wire
