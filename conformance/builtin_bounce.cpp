// builtin_bounce.cpp — DSNs of the builtin world (builtin_bounce.hpp;
// RFC 3464 §2.2–2.3, RFC 6522 §3, RFC 5321 §6.1).
#include "conformance/builtin_bounce.hpp"

#include "core/rng.hpp"
#include "mail/date.hpp"
#include "mail/dsn.hpp"

namespace postino::conformance {

bool undeliverable(const mail::Mailbox& m) { return mail::ascii_lower(m.domain) == kUndeliverableDomain; }

std::string unfold_header(std::string_view content) {
    const auto end = content.find("\r\n\r\n");
    const std::string_view head = content.substr(0, end == std::string_view::npos ? content.size() : end);
    std::string out;
    for (std::size_t i = 0; i < head.size(); ++i) {
        if (head.compare(i, 2, "\r\n") == 0 && i + 2 < head.size() && (head[i + 2] == ' ' || head[i + 2] == '\t')) {
            ++i;  // drop the CRLF, keep the whitespace
            continue;
        }
        out += head[i];
    }
    if (end != std::string_view::npos) out.append(content.substr(end));
    return out;
}

std::string drop_header_field(std::string_view message, std::string_view name) {
    const std::size_t end = message.find("\r\n\r\n");
    const std::size_t head_end = end == std::string_view::npos ? message.size() : end + 2;
    std::string out;
    bool dropping = false;
    std::size_t from = 0;
    while (from < head_end) {
        const std::size_t crlf = message.find("\r\n", from);
        const std::size_t next = crlf == std::string_view::npos || crlf + 2 > head_end ? head_end : crlf + 2;
        const std::string_view line = message.substr(from, next - from);
        const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        if (!continuation) {
            dropping = line.size() > name.size() && line[name.size()] == ':' &&
                       mail::ascii_lower(line.substr(0, name.size())) == mail::ascii_lower(name);
        }
        if (!dropping) out.append(line);
        from = next;
    }
    out.append(message.substr(head_end));
    return out;
}

Result<std::string> builtin_dsn(const mail::Mailbox& sender, const std::vector<mail::Mailbox>& failed,
                                std::string_view content, std::string_view host, std::string_view queue_id,
                                Time now, std::uint64_t seed, const BounceFaults& faults) {
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
        if (faults.dsn_status_4) dr.status = mail::EnhancedStatus{4, 1, 2};
        if (faults.dsn_status_mailbox) dr.status = mail::EnhancedStatus{5, 1, 1};
        dr.diagnostic_code = "x-postino; the domain " + r.domain + " does not exist (RFC 6761 section 6.4)";
        draft.status.recipients.push_back(std::move(dr));
    }
    const auto end = content.find("\r\n\r\n");
    draft.original_headers = std::string(end == std::string_view::npos ? content : content.substr(0, end + 2));
    const std::string trace = "Return-Path: <" + (faults.dsn_sender_not_null ? sender.str() : std::string()) +
                              ">\r\nReceived: by " + std::string(host) + " id " + std::string(queue_id) +
                              "-dsn; Thu, 1 Jan 2026 00:00:00 +0000\r\n";
    if (faults.dsn_plain_text) {
        return trace + "From: MAILER-DAEMON@" + std::string(host) + "\r\nTo: " + sender.str() +
               "\r\nSubject: Undelivered Mail\r\nDate: " + mail::format_date(now) + "\r\nMessage-ID: <" +
               std::string(queue_id) + "-dsn@" + std::string(host) + ">\r\n\r\nYour message could not be delivered.\r\n\r\n" +
               draft.original_headers;
    }
    Rng rng(seed);
    auto built = mail::build_dsn(draft, rng, host, now);
    if (!built) return built.error();
    // RFC 5321 §4.4: delivery records the (null) reverse-path.
    std::string out = trace + built->bytes;
    if (faults.dsn_no_date) out = drop_header_field(out, "Date");
    if (faults.dsn_no_message_id) out = drop_header_field(out, "Message-ID");
    if (const std::size_t blank = out.find("\r\n\r\n"); faults.dsn_lf && blank != std::string::npos) {
        std::string head = out.substr(0, blank);
        for (std::size_t at = head.find("\r\n"); at != std::string::npos; at = head.find("\r\n", at + 1)) {
            head.erase(at, 1);
        }
        out = head + "\n\n" + out.substr(blank + 4);
    }
    return out;
}

}  // namespace postino::conformance
