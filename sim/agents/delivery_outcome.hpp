// delivery_outcome.hpp — what an SMTP client session's result means for a
// spooled recipient, and the DSN draft that returns failed recipients to
// the sender: the queue-manager decisions shared by the simulated MTA
// (agents/mta.cpp) and the outbound relay of `postino serve`
// (wire/outbound.cpp), so both behave alike.
//
// RFC 5321 §4.2.1 and §4.5.4.1 (2yz delivered, 5yz permanent, 4yz or a broken
// session temporary: retry), §6.1 (a message accepted is delivered or
// returned), RFC 3464 §2.3 (per-recipient fields of the DSN: final
// recipient, action, status, remote MTA, diagnostic code, will-retry-until),
// RFC 3463 (status codes).
#pragma once

#include <string>
#include <vector>

#include "agents/spool.hpp"
#include "mail/dsn.hpp"
#include "proto/smtp/client_result.hpp"

namespace postino::agents {

struct RecipientOutcome {
    smtp::Outcome outcome = smtp::Outcome::TempFail;  // never Pending
    std::string error;   // the reply or the session failure, for the DSN's Diagnostic-Code
    std::string status;  // its enhanced status code, "" when none
};

// The outcome of `address` in one attempt at `host`: its own RCPT/DATA reply
// when the transaction `txn` (nullptr: never reached) has one, else the
// session's failure.
RecipientOutcome recipient_outcome(const std::string& address, const smtp::SessionResult& res,
                                   const smtp::TransactionResult* txn, const std::string& host);

// Applies an outcome: Sent, Bounced (status 5.0.0 when the reply had none)
// or still Pending with the last error (4.4.2 when none).
void apply_outcome(Recipient& r, const RecipientOutcome& o, const std::string& host);

// The DSN for recipients `rcpts` of `e` (failed, or delayed with the retry
// limit `lifetime`), from MAILER-DAEMON@hostname to the envelope sender.
mail::DsnDraft bounce_draft(const SpoolEntry& e, const std::vector<std::size_t>& rcpts, bool delayed,
                            const std::string& hostname, Duration lifetime);

// "local@domain" as a Mailbox (the domain is what follows the last '@').
mail::Mailbox to_mailbox(const std::string& address);

}  // namespace postino::agents
