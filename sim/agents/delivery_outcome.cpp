// delivery_outcome.cpp — per-recipient outcomes and bounce drafts (RFC 5321
// §4.2.1, §4.5.4.1, §6.1; RFC 3464 §2.3). See delivery_outcome.hpp.
#include "agents/delivery_outcome.hpp"

#include "mail/date.hpp"

namespace postino::agents {
namespace {

std::string header_section(const std::string& content) {
    const auto end = content.find("\r\n\r\n");
    return end == std::string::npos ? content : content.substr(0, end + 2);
}

}  // namespace

mail::Mailbox to_mailbox(const std::string& address) {
    const auto at = address.rfind('@');
    if (at == std::string::npos) return mail::Mailbox{address, ""};
    return mail::Mailbox{address.substr(0, at), address.substr(at + 1)};
}

RecipientOutcome recipient_outcome(const std::string& address, const smtp::SessionResult& res,
                                   const smtp::TransactionResult* txn, const std::string& host) {
    const smtp::RecipientResult* rr = nullptr;
    if (txn != nullptr) {
        for (const auto& x : txn->recipients) {
            if (x.recipient == to_mailbox(address)) rr = &x;
        }
    }
    RecipientOutcome o;
    o.outcome = rr != nullptr ? rr->outcome : smtp::Outcome::TempFail;
    if (rr != nullptr && rr->reply) {
        o.error = std::to_string(rr->reply->code) + " " + (rr->reply->enhanced.empty() ? "" : rr->reply->enhanced + " ") +
                  rr->reply->text();
        o.status = rr->reply->enhanced;
    } else if (res.failure.kind != smtp::FailureKind::None) {
        o.error = std::string(smtp::to_string(res.failure.kind)) + " at " + smtp::to_string(res.failure.stage) +
                  (res.failure.detail.empty() ? "" : ": " + res.failure.detail) + " (" + host + ")";
        if (res.failure.reply) {
            o.status = res.failure.reply->enhanced;
            o.error = std::to_string(res.failure.reply->code) + " " + res.failure.reply->text() + " (" + host + ")";
        }
    } else if (rr != nullptr) {
        o.error = rr->detail;
    }
    if (o.outcome == smtp::Outcome::Pending) o.outcome = smtp::Outcome::TempFail;
    return o;
}

void apply_outcome(Recipient& r, const RecipientOutcome& o, const std::string& host) {
    r.remote_mta = host;
    if (o.outcome == smtp::Outcome::Accepted) {
        r.state = RcptState::Sent;
    } else if (o.outcome == smtp::Outcome::PermFail) {
        r.state = RcptState::Bounced;
        r.status = o.status.empty() ? "5.0.0" : o.status;
        r.last_error = o.error;
    } else {
        r.status = o.status.empty() ? "4.4.2" : o.status;
        r.last_error = o.error.empty() ? "temporary failure" : o.error;
    }
}

mail::DsnDraft bounce_draft(const SpoolEntry& e, const std::vector<std::size_t>& rcpts, bool delayed,
                            const std::string& hostname, Duration lifetime) {
    mail::DsnDraft draft;
    draft.from.display_name = "Mail Delivery System";
    draft.from.address = mail::Mailbox{"MAILER-DAEMON", hostname};
    draft.to = to_mailbox(e.sender);
    draft.status.reporting_mta = "dns; " + hostname;
    draft.status.arrival_date = mail::format_date(e.deposit);
    for (auto i : rcpts) {
        const Recipient& r = e.rcpts[i];
        mail::DsnRecipient dr;
        dr.final_recipient = "rfc822; " + r.address;
        dr.action = delayed ? mail::DsnAction::delayed : mail::DsnAction::failed;
        auto st = mail::EnhancedStatus::parse(r.status.empty() ? (delayed ? "4.0.0" : "5.0.0") : r.status);
        dr.status = st ? *st : mail::EnhancedStatus{delayed ? 4 : 5, 0, 0};
        if (!r.remote_mta.empty() && r.remote_mta != "local") dr.remote_mta = "dns; " + r.remote_mta;
        if (!r.last_error.empty()) dr.diagnostic_code = "smtp; " + r.last_error;
        if (delayed) dr.will_retry_until = mail::format_date(e.deposit + lifetime);
        draft.status.recipients.push_back(dr);
    }
    draft.original_headers = header_section(e.message);
    return draft;
}

}  // namespace postino::agents
