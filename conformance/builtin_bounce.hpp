// builtin_bounce.hpp — the builtin world's undeliverable domain, so the
// message/DSN suite (conformance/suites/message.yaml, items M7–M11) has a
// bounce to read with --builtin. Mail the builtin SMTP server accepts for
// `unreachable.invalid` (RFC 6761 §6.4: .invalid never resolves) cannot be
// delivered, and the world answers as an MTA must: a delivery status
// notification (RFC 3464 §2, RFC 6522 §3) built by the same mail::build_dsn
// the simulated MTA uses, sent with the null reverse-path to the envelope
// sender (RFC 5321 §6.1, §4.5.5), Status 5.1.2 (RFC 3463 §3.2: bad
// destination system address).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "mail/address.hpp"
#include "mail/mailbox.hpp"

namespace postino::conformance {

inline constexpr std::string_view kUndeliverableDomain = "unreachable.invalid";

// Deliberate defects of the world's bounces, off by default, to prove the
// DSN checks can fail (`postino check --builtin smtp --suite message --fault NAME`).
struct BounceFaults {
    bool dsn_sender_not_null = false;  // dsn-sender-not-null: the DSN carries the original sender (RFC 5321 §6.1)
    bool dsn_plain_text = false;       // dsn-plain-text: a text/plain note, no multipart/report (RFC 3464 §2)
    bool dsn_status_4 = false;         // dsn-status-4: Action failed with Status 4.1.2 (RFC 3464 §2.3.4: failed is 5.x.x)
    bool dsn_status_mailbox = false;   // dsn-status-mailbox: 5.1.1 (bad mailbox) for a domain that does not exist (RFC 3463 §3.2: 5.1.2)
    bool dsn_lf = false;               // dsn-lf: the DSN's header lines end in a bare LF (RFC 5322 §2.1, §2.2)
    bool dsn_no_date = false;          // dsn-no-date: the DSN has no Date: field (RFC 5322 §3.6: exactly one)
    bool dsn_no_message_id = false;    // dsn-no-message-id: the DSN has no Message-ID: (RFC 5322 §3.6.4 SHOULD)
};

// The fault unfold-headers: folded header lines joined into one (RFC 5322 §2.2.3).
std::string unfold_header(std::string_view content);

// `message` without the header field `name` (and its continuation lines):
// the faults dsn-no-date and dsn-no-message-id.
std::string drop_header_field(std::string_view message, std::string_view name);

// True for an address in kUndeliverableDomain.
bool undeliverable(const mail::Mailbox& m);

// The DSN for `failed` (undeliverable recipients of one message from
// `sender`), as the octets to store: Return-Path: <> first.
Result<std::string> builtin_dsn(const mail::Mailbox& sender, const std::vector<mail::Mailbox>& failed,
                                std::string_view content, std::string_view host, std::string_view queue_id,
                                Time now, std::uint64_t seed, const BounceFaults& faults = {});

}  // namespace postino::conformance
