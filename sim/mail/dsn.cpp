// dsn.cpp — RFC 3464 delivery-status fields, RFC 6522 reports.
#include "mail/dsn.hpp"

#include "mail/builder.hpp"
#include "mail/charset.hpp"
#include "mail/chars.hpp"
#include "mail/error.hpp"
#include "mail/lines.hpp"
#include "mail/message_id.hpp"
#include "mail/quoted_printable.hpp"

namespace postino::mail {
namespace {

std::optional<DsnAction> parse_action(std::string_view v) {
    for (DsnAction a : {DsnAction::failed, DsnAction::delayed, DsnAction::delivered, DsnAction::relayed,
                        DsnAction::expanded})
        if (chars::iequals(v, to_string(a))) return a;
    return std::nullopt;
}

// "5.1.1 (comment)" -> code and comment.
Status parse_status_field(std::string_view v, std::size_t at, DsnRecipient& r) {
    v = chars::trim_wsp(v);
    std::size_t end = 0;
    while (end < v.size() && !chars::is_wsp(v[end]) && v[end] != '(') ++end;
    auto st = EnhancedStatus::parse(v.substr(0, end));
    if (!st.ok()) return make_error(Errc::dsn_syntax, at, "bad Status value \"" + std::string(v) + "\" (RFC 3464 §2.3.4)");
    r.status = *st;
    std::string_view rest = chars::trim_wsp(v.substr(end));
    if (!rest.empty()) {
        if (rest.front() != '(' || rest.back() != ')')
            return make_error(Errc::dsn_syntax, at, "only a comment may follow the Status code (RFC 3464 §2.3.4)");
        r.status_comment = std::string(rest.substr(1, rest.size() - 2));
    }
    return {};
}

}  // namespace

std::string_view to_string(DsnAction a) {
    switch (a) {
        case DsnAction::failed: return "failed";
        case DsnAction::delayed: return "delayed";
        case DsnAction::delivered: return "delivered";
        case DsnAction::relayed: return "relayed";
        case DsnAction::expanded: return "expanded";
    }
    return "failed";
}

Result<DeliveryStatus> parse_delivery_status(std::string_view body, const ParseOptions& options) {
    DeliveryStatus ds;
    std::size_t pos = 0;
    bool per_message = true;
    while (pos < body.size()) {
        // Blank lines between (and after) groups.
        if (body.substr(pos, 2) == "\r\n") {
            pos += 2;
            continue;
        }
        if (body[pos] == '\n' && options.allows(Leniency::bare_lf)) {
            ++pos;
            continue;
        }
        const std::size_t start = pos;
        auto sec = parse_header_section(body.substr(pos), options, pos);
        if (!sec.ok()) return sec.error();
        pos += sec->consumed;
        const std::size_t at = start;
        if (per_message) {
            per_message = false;
            for (const HeaderField& f : sec->header.fields) {
                const std::string v = f.value();
                if (f.is("Reporting-MTA")) ds.reporting_mta = v;
                else if (f.is("Original-Envelope-Id")) ds.original_envelope_id = v;
                else if (f.is("DSN-Gateway")) ds.dsn_gateway = v;
                else if (f.is("Received-From-MTA")) ds.received_from_mta = v;
                else if (f.is("Arrival-Date")) ds.arrival_date = v;
                else ds.extensions.append(f);
            }
            if (ds.reporting_mta.empty())
                return make_error(Errc::dsn_syntax, at, "the per-message fields lack Reporting-MTA (RFC 3464 §2.2.2)");
            continue;
        }
        DsnRecipient r;
        bool has_action = false, has_status = false;
        std::size_t field_at = start;
        for (const HeaderField& f : sec->header.fields) {
            const std::string v = f.value();
            if (f.is("Final-Recipient")) {
                r.final_recipient = v;
            } else if (f.is("Original-Recipient")) {
                r.original_recipient = v;
            } else if (f.is("Action")) {
                auto a = parse_action(chars::trim_wsp(v));
                if (!a) return make_error(Errc::dsn_syntax, field_at, "unknown Action \"" + v + "\" (RFC 3464 §2.3.3)");
                r.action = *a;
                has_action = true;
            } else if (f.is("Status")) {
                if (Status s = parse_status_field(v, field_at, r); !s.ok()) return s.error();
                has_status = true;
            } else if (f.is("Remote-MTA")) {
                r.remote_mta = v;
            } else if (f.is("Diagnostic-Code")) {
                r.diagnostic_code = v;
            } else if (f.is("Last-Attempt-Date")) {
                r.last_attempt_date = v;
            } else if (f.is("Final-Log-ID")) {
                r.final_log_id = v;
            } else if (f.is("Will-Retry-Until")) {
                r.will_retry_until = v;
            } else {
                r.extensions.append(f);
            }
            field_at += f.raw().size();
        }
        if (r.final_recipient.empty() || !has_action || !has_status)
            return make_error(Errc::dsn_syntax, at,
                              "a recipient group needs Final-Recipient, Action and Status (RFC 3464 §2.3)");
        ds.recipients.push_back(std::move(r));
    }
    if (per_message) return make_error(Errc::dsn_syntax, 0, "empty delivery-status body (RFC 3464 §2.1)");
    if (ds.recipients.empty())
        return make_error(Errc::dsn_syntax, body.size(), "no per-recipient fields (RFC 3464 §2.1)");
    return ds;
}

std::string format_delivery_status(const DeliveryStatus& ds) {
    std::string out;
    auto field = [&out](std::string_view name, std::string_view value) {
        if (value.empty()) return;
        auto f = fold_field(name, value);
        out += f.ok() ? *f : std::string(name) + ": " + std::string(value) + "\r\n";
    };
    field("Original-Envelope-Id", ds.original_envelope_id);
    field("Reporting-MTA", ds.reporting_mta);
    field("DSN-Gateway", ds.dsn_gateway);
    field("Received-From-MTA", ds.received_from_mta);
    field("Arrival-Date", ds.arrival_date);
    out += ds.extensions.serialize();
    for (const DsnRecipient& r : ds.recipients) {
        out += "\r\n";
        field("Original-Recipient", r.original_recipient);
        field("Final-Recipient", r.final_recipient);
        field("Action", to_string(r.action));
        field("Status", r.status.str() + (r.status_comment.empty() ? "" : " (" + r.status_comment + ")"));
        field("Remote-MTA", r.remote_mta);
        field("Diagnostic-Code", r.diagnostic_code);
        field("Last-Attempt-Date", r.last_attempt_date);
        field("Final-Log-ID", r.final_log_id);
        field("Will-Retry-Until", r.will_retry_until);
        out += r.extensions.serialize();
    }
    return out;
}

Result<DsnReport> parse_dsn(const MimeMessage& m, const ParseOptions& options) {
    const Part& root = m.root;
    if (!root.type.is("multipart", "report") || !chars::iequals(root.type.param_value("report-type"), "delivery-status"))
        return make_error(Errc::not_a_report, 0,
                          "not multipart/report; report-type=delivery-status (RFC 6522 §3, RFC 3464 §2)");
    DsnReport rep;
    const Part* status = nullptr;
    for (std::size_t i = 0; i < root.children.size(); ++i) {
        const Part& c = root.children[i];
        if (c.type.is("message", "delivery-status") && status == nullptr) {
            status = &c;
        } else if (i == 0 && c.type.type == "text") {
            auto d = decode_body(m, c, options);
            if (!d.ok()) return d.error();
            const auto cs = charset_from_name(c.type.param_value("charset").empty() ? "us-ascii"
                                                                                      : c.type.param_value("charset"));
            rep.human_text = cs ? to_utf8(d->bytes, *cs).text : d->bytes;
        } else if (c.type.is("text", "rfc822-headers")) {
            auto d = decode_body(m, c, options);
            if (!d.ok()) return d.error();
            rep.original_headers = std::move(d->bytes);
        } else if (c.kind == PartKind::message && !c.children.empty()) {
            rep.original_message = true;
            rep.original_headers = std::string(m.bytes(c.children[0].header));
        }
    }
    if (status == nullptr)
        return make_error(Errc::not_a_report, root.body.offset, "no message/delivery-status part (RFC 3464 §2)");
    auto d = decode_body(m, *status, options);
    if (!d.ok()) return d.error();
    auto ds = parse_delivery_status(d->bytes, options);
    if (!ds.ok()) return shift_error(ds.error(), status->body.offset);
    rep.status = std::move(*ds);
    return rep;
}

std::string describe_delivery_status(const DeliveryStatus& ds) {
    std::string out;
    for (const DsnRecipient& r : ds.recipients) {
        const std::size_t semi = r.final_recipient.find(';');
        const std::string addr(chars::trim_wsp(semi == std::string::npos ? std::string_view(r.final_recipient)
                                                                          : std::string_view(r.final_recipient).substr(semi + 1)));
        out += "<" + addr + ">: ";
        switch (r.action) {
            case DsnAction::failed: out += "delivery failed"; break;
            case DsnAction::delayed: out += "delivery delayed, still trying"; break;
            case DsnAction::delivered: out += "delivered"; break;
            case DsnAction::relayed: out += "relayed to a system that sends no notifications"; break;
            case DsnAction::expanded: out += "delivered and expanded to more recipients"; break;
        }
        out += "\r\n    " + r.status.str() + " " + std::string(r.status.meaning()) + " (" +
               std::string(r.status.class_meaning()) + ")\r\n";
        if (!r.diagnostic_code.empty()) out += "    " + r.diagnostic_code + "\r\n";
        if (!r.will_retry_until.empty()) out += "    will retry until " + r.will_retry_until + "\r\n";
        out += "\r\n";
    }
    return out;
}

Result<Composed> build_dsn(const DsnDraft& d, Rng& rng, std::string_view host, Time now, const DateContext& date) {
    if (d.status.reporting_mta.empty() || d.status.recipients.empty())
        return make_error(Errc::dsn_syntax, 0, "a DSN needs Reporting-MTA and at least one recipient (RFC 3464 §2)");
    bool any_failed = false;
    for (const auto& r : d.status.recipients) any_failed = any_failed || r.action == DsnAction::failed;
    Composed out;
    Header top;
    auto add = [&](std::string_view name, std::string_view value) -> Status {
        auto f = HeaderField::make(name, value);
        if (!f.ok()) return f.error();
        top.append(std::move(*f));
        return {};
    };
    if (Status s = add("Date", format_date(now, date)); !s.ok()) return s.error();
    if (Status s = add("From", format_mailbox(d.from)); !s.ok()) return s.error();
    if (Status s = add("To", d.to.empty() ? std::string("<>") : d.to.str()); !s.ok()) return s.error();
    const std::string subject = !d.subject.empty() ? d.subject
                                : any_failed       ? "Undelivered Mail Returned to Sender"
                                                   : "Delayed Mail (still being retried)";
    {
        auto f = HeaderField::make_text("Subject", subject);
        if (!f.ok()) return f.error();
        top.append(std::move(*f));
    }
    out.message_id = make_message_id(rng, host, now, date);
    if (Status s = add("Message-ID", out.message_id); !s.ok()) return s.error();
    if (Status s = add("Auto-Submitted", "auto-replied"); !s.ok()) return s.error();
    if (Status s = add("MIME-Version", "1.0"); !s.ok()) return s.error();

    BuiltPart report;
    report.type.type = "multipart";
    report.type.subtype = "report";
    report.type.set_param("report-type", "delivery-status");

    BuiltPart human;
    std::string text = d.human_text.empty()
                           ? "This is the mail system at host " + std::string(host) + ".\r\n\r\n" +
                                 (any_failed ? "I'm sorry to have to inform you that your message could not\r\n"
                                               "be delivered to one or more recipients.\r\n\r\n"
                                             : "Your message has not been delivered yet; the mail system\r\n"
                                               "will keep trying.\r\n\r\n") +
                                 describe_delivery_status(d.status)
                           : to_crlf(d.human_text);
    const EncodingChoice choice = choose_encoding(text, true);
    human.type.set_param("charset", choice.charset);
    if (choice.encoding == TransferEncoding::seven_bit) {
        human.body = text;
    } else {
        human.body = qp_encode(text);
        auto f = HeaderField::make("Content-Transfer-Encoding", "quoted-printable");
        if (!f.ok()) return f.error();
        human.fields.append(std::move(*f));
    }
    out.choices.push_back(choice);

    BuiltPart status;
    status.type.type = "message";
    status.type.subtype = "delivery-status";
    status.body = format_delivery_status(d.status);
    out.choices.push_back({TransferEncoding::seven_bit, "", "delivery status fields are ASCII header lines"});

    report.children.push_back(std::move(human));
    report.children.push_back(std::move(status));
    if (!d.original_headers.empty()) {
        BuiltPart orig;
        orig.type.type = "text";
        orig.type.subtype = "rfc822-headers";
        orig.body = d.original_headers;
        if (has_8bit(orig.body)) {
            // RFC 6532 headers: the part cannot claim 7bit (RFC 2045 §2.7).
            auto f = HeaderField::make("Content-Transfer-Encoding", "8bit");
            if (!f.ok()) return f.error();
            orig.fields.append(std::move(*f));
        }
        report.children.push_back(std::move(orig));
        out.choices.push_back({TransferEncoding::seven_bit, "", "the original header fields, as they were"});
    }
    auto bytes = serialize_message(top, report, rng);
    if (!bytes.ok()) return bytes.error();
    out.bytes = std::move(*bytes);
    return out;
}

}  // namespace postino::mail
