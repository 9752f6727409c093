// envelope.hpp — what a server engine knows about its session and the mail
// transaction in progress, as handed to its policy and reported in events.
//
// RFC 5321 §3.3 (a mail transaction: the reverse-path of MAIL, the
// forward-paths of RCPT, the data), §4.1.1.1 (the client's EHLO/HELO name).
#pragma once

#include <string>
#include <vector>

#include "mail/mailbox.hpp"
#include "proto/smtp/params.hpp"

namespace postino::smtp {

struct SessionInfo {
    std::string helo_name;  // the EHLO/HELO argument; empty before the client greeted
    bool esmtp = false;     // greeted with EHLO
    std::string auth_user;  // the identity a successful AUTH proved (RFC 4954 §4); empty before
    bool tls = false;       // the session runs inside TLS (after STARTTLS, RFC 3207)
};

struct Envelope {
    mail::Mailbox sender;                   // empty() for the null reverse-path "<>"
    MailParams params;                      // SIZE, BODY, SMTPUTF8 of MAIL
    std::vector<mail::Mailbox> recipients;  // accepted forward-paths, in order
    bool operator==(const Envelope&) const = default;
};

}  // namespace postino::smtp
