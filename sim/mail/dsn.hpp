// dsn.hpp — delivery status notifications: build one, parse one back.
//
// RFC 3464 §2 (message/delivery-status: per-message fields, a blank line,
// then one group of per-recipient fields per recipient), §2.2 (Reporting-MTA,
// Original-Envelope-Id, DSN-Gateway, Received-From-MTA, Arrival-Date), §2.3
// (Original-Recipient, Final-Recipient, Action, Status, Remote-MTA,
// Diagnostic-Code, Last-Attempt-Date, Final-Log-ID, Will-Retry-Until), RFC
// 6522 §3 (multipart/report; report-type=...: a human-readable part first,
// the report second, the original message or its headers third), RFC 3462 /
// RFC 6522 §4 (text/rfc822-headers), RFC 3463 (Status codes), RFC 5321 §6.1
// (a DSN is sent with the null reverse-path, to the original sender).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"
#include "mail/address.hpp"
#include "mail/composer.hpp"
#include "mail/date.hpp"
#include "mail/header.hpp"
#include "mail/mime.hpp"
#include "mail/status_code.hpp"

namespace postino::mail {

// RFC 3464 §2.3.3.
enum class DsnAction : std::uint8_t { failed, delayed, delivered, relayed, expanded };
std::string_view to_string(DsnAction a);

struct DsnRecipient {
    std::string original_recipient;  // "rfc822;alice@a.example" as written; empty if absent
    std::string final_recipient;     // required, e.g. "rfc822;bob@b.example"
    DsnAction action = DsnAction::failed;
    EnhancedStatus status;
    std::string status_comment;      // "(permanent failure)" text after the code, without parentheses
    std::string remote_mta;          // "dns; mx.b.example"
    std::string diagnostic_code;     // "smtp; 550 5.1.1 <bob@b.example>: no such user"
    std::string last_attempt_date;
    std::string final_log_id;
    std::string will_retry_until;    // delayed only (§2.3.9)
    Header extensions;               // other fields, kept in order
};

struct DeliveryStatus {
    std::string original_envelope_id;
    std::string reporting_mta;       // required, e.g. "dns; mx.a.example"
    std::string dsn_gateway;
    std::string received_from_mta;
    std::string arrival_date;
    Header extensions;
    std::vector<DsnRecipient> recipients;  // at least one
};

// The body of a message/delivery-status part (any fold, strict line rules).
Result<DeliveryStatus> parse_delivery_status(std::string_view body, const ParseOptions& options = {});
std::string format_delivery_status(const DeliveryStatus& ds);

struct DsnReport {
    DeliveryStatus status;
    std::string human_text;         // decoded first part (UTF-8 when its charset is known)
    std::string original_headers;   // text/rfc822-headers body, or the returned message's header
    bool original_message = false;  // the whole original message was returned
};
// Reads a parsed multipart/report; report-type=delivery-status.
Result<DsnReport> parse_dsn(const MimeMessage& m, const ParseOptions& options = {});

struct DsnDraft {
    NamedMailbox from;             // e.g. "Mail Delivery System" <MAILER-DAEMON@mx.a.example>
    Mailbox to;                    // the original envelope sender
    std::string subject;           // empty: "Undelivered Mail Returned to Sender" / "Delayed Mail ..."
    std::string human_text;        // empty: written from the recipients' statuses
    DeliveryStatus status;
    std::string original_headers;  // the original header section, as text/rfc822-headers
};

// Builds the whole notification. Message-ID and boundary come from `rng`.
Result<Composed> build_dsn(const DsnDraft& draft, Rng& rng, std::string_view host, Time now,
                           const DateContext& date = {});

// The explanation a teacher would read out, one paragraph per recipient.
std::string describe_delivery_status(const DeliveryStatus& ds);

}  // namespace postino::mail
