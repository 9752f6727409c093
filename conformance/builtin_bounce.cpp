// builtin_bounce.cpp — DSNs of the builtin world (builtin_bounce.hpp;
// RFC 3464 §2.2–2.3, RFC 6522 §3, RFC 5321 §6.1).
#include "conformance/builtin_bounce.hpp"

#include "core/rng.hpp"
#include "mail/date.hpp"
#include "mail/dsn.hpp"

namespace postino::conformance {

bool undeliverable(const mail::Mailbox& m) { return mail::ascii_lower(m.domain) == kUndeliverableDomain; }

Result<std::string> builtin_dsn(const mail::Mailbox& sender, const std::vector<mail::Mailbox>& failed,
                                std::string_view content, std::string_view host, std::string_view queue_id,
                                Time now, std::uint64_t seed) {
    mail::DsnDraft draft;
    draft.from.display_name = "Mail Delivery System";
    draft.from.address = mail::Mailbox{"MAILER-DAEMON", std::string(host)};
    draft.to = sender;
    draft.status.reporting_mta = "dns; " + std::string(host);
    draft.status.arrival_date = mail::format_date(now);
    for (const auto& r : failed) {
        mail::DsnRecipient dr;
        dr.final_recipient = "rfc822; " + r.str();
        dr.action = mail::DsnAction::failed;
        dr.status = mail::EnhancedStatus{5, 1, 2};  // RFC 3463 §3.2: bad destination system address
        dr.diagnostic_code = "x-postino; the domain " + r.domain + " does not exist (RFC 6761 section 6.4)";
        draft.status.recipients.push_back(std::move(dr));
    }
    const auto end = content.find("\r\n\r\n");
    draft.original_headers = std::string(end == std::string_view::npos ? content : content.substr(0, end + 2));
    Rng rng(seed);
    auto built = mail::build_dsn(draft, rng, host, now);
    if (!built) return built.error();
    // RFC 5321 §4.4: delivery records the (null) reverse-path.
    return "Return-Path: <>\r\nReceived: by " + std::string(host) + " id " + std::string(queue_id) +
           "-dsn; Thu, 1 Jan 2026 00:00:00 +0000\r\n" + built->bytes;
}

}  // namespace postino::conformance
