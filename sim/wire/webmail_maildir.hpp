// webmail_maildir.hpp — the webmail of `postino serve --http` (docs/webmail.md):
// the same webmail App as the simulator's (sim/agents/webmail_app.hpp), over
// a backend that reads the accounts' Maildirs directly (MaildirStore: INBOX
// is new/ and cur/; a file in new/ is unread) and sends through the serve
// delivery path, exactly as an SMTP client's message after DATA: recipients
// checked as at RCPT (LocalDelivery::check_recipient), the message composed
// (sim/mail's composer: Message-ID, Date, MIME encodings), written to the
// durable spool and delivered (LocalDelivery::accept, deliver_pending).
// Logins check the account's password from the config; "alice" and
// "alice@<local domain>" name the same account.
#pragma once

#include <mutex>
#include <string>

#include "agents/webmail_app.hpp"
#include "core/rng.hpp"
#include "wire/local_delivery.hpp"
#include "wire/maildir_store.hpp"
#include "wire/serve_config.hpp"

namespace postino::wire {

class MaildirWebmail final : public agents::webmail::Backend {
public:
    MaildirWebmail(const ServeConfig& config, MaildirStore& store, LocalDelivery& delivery);

    void login(const agents::webmail::Credentials& c, std::function<void(Result<std::string>)> done) override;
    void list(const agents::webmail::Credentials& c,
              std::function<void(Result<std::vector<agents::webmail::Summary>>)> done) override;
    void message(const agents::webmail::Credentials& c, const std::string& id,
                 std::function<void(Result<std::string>)> done) override;
    void send(const agents::webmail::Credentials& c, const agents::webmail::Outgoing& m,
              std::function<void(Result<std::string>)> done) override;

    // A fresh session token: 128 bits from the OS (std::random_device), as hex.
    static std::string new_token();

private:
    // The account these credentials log in to, or an error for the user.
    Result<std::string> account_of(const agents::webmail::Credentials& c) const;

    const ServeConfig& config_;
    MaildirStore& store_;
    LocalDelivery& delivery_;
    std::mutex rng_mutex_;
    Rng rng_;  // Message-IDs and MIME boundaries (seeded from the OS)
};

}  // namespace postino::wire
