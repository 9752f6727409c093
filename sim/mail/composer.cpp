// composer.cpp — building a user agent's message (see composer.hpp).
#include "mail/composer.hpp"

#include <algorithm>

#include "mail/base64.hpp"
#include "mail/builder.hpp"
#include "mail/chars.hpp"
#include "mail/lines.hpp"
#include "mail/message_id.hpp"
#include "mail/quoted_printable.hpp"

namespace postino::mail {

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

EncodingChoice choose_encoding(std::string_view data, bool is_text) {
    EncodingChoice c;
    if (!is_text) {
        c.encoding = TransferEncoding::base64;
        c.reason = "binary data: base64, every 3 octets become 4 characters";
        return c;
    }
    std::size_t high = 0, controls = 0, longest = 0, line = 0;
    for (std::size_t i = 0; i < data.size(); ++i) {
        const auto u = static_cast<unsigned char>(data[i]);
        if (u == '\n') {
            longest = std::max(longest, line - (line > 0 && data[i - 1] == '\r' ? 1 : 0));
            line = 0;
            continue;
        }
        ++line;
        if (u >= 0x80) ++high;
        else if ((u < 0x20 && u != '\t' && u != '\r') || u == 0x7f) ++controls;
    }
    longest = std::max(longest, line);
    c.charset = high > 0 ? "utf-8" : "us-ascii";
    if (high == 0 && controls == 0 && longest <= kFoldLineOctets) {
        c.encoding = TransferEncoding::seven_bit;
        c.reason = "ASCII text with lines of at most 78 octets: sent as it is (7bit)";
        return c;
    }
    const std::size_t qp = qp_encode(data).size();
    const std::size_t b64 = base64_encoded_size(data.size(), Base64Lines::mime);
    const std::string counts = std::to_string(high) + " of " + std::to_string(data.size()) + " octets";
    if (qp <= b64) {
        c.encoding = TransferEncoding::quoted_printable;
        c.reason = high > 0 ? "text with a few octets outside ASCII (" + counts + "): quoted-printable keeps it readable"
                            : "ASCII text with lines longer than 78 octets or control characters: quoted-printable";
    } else {
        c.encoding = TransferEncoding::base64;
        c.reason = "text mostly outside ASCII (" + counts + "): base64 is shorter than quoted-printable";
    }
    return c;
}

namespace {

Result<BuiltPart> leaf(std::string_view data, ContentType type, bool is_text, std::vector<EncodingChoice>& choices,
                       const std::optional<ContentDisposition>& disposition) {
    BuiltPart p;
    const std::string canon = is_text ? to_crlf(data) : std::string(data);
    EncodingChoice c = choose_encoding(canon, is_text);
    if (is_text) type.set_param("charset", c.charset);
    p.type = std::move(type);
    switch (c.encoding) {
        case TransferEncoding::base64: p.body = base64_encode(canon); break;
        case TransferEncoding::quoted_printable: p.body = qp_encode(canon); break;
        default: p.body = canon; break;
    }
    if (c.encoding != TransferEncoding::seven_bit) {
        auto f = HeaderField::make("Content-Transfer-Encoding", to_string(c.encoding));
        if (!f.ok()) return f.error();
        p.fields.append(std::move(*f));
    }
    if (disposition) {
        auto f = HeaderField::make("Content-Disposition", format_content_disposition(*disposition));
        if (!f.ok()) return f.error();
        p.fields.append(std::move(*f));
    }
    choices.push_back(std::move(c));
    return p;
}

}  // namespace

Result<Composed> compose(const Draft& d, Rng& rng, std::string_view host, Time now, const DateContext& date) {
    Composed out;
    Header top;
    auto add = [&](std::string_view name, std::string_view value) -> Status {
        auto f = HeaderField::make(name, value);
        if (!f.ok()) return f.error();
        top.append(std::move(*f));
        return {};
    };
    if (Status s = validate_mailbox(d.from.address); !s.ok()) return s.error();
    if (Status s = add("Date", format_date(now, date)); !s.ok()) return s.error();
    if (Status s = add("From", format_mailbox(d.from)); !s.ok()) return s.error();
    if (!d.to.empty())
        if (Status s = add("To", format_address_list(d.to)); !s.ok()) return s.error();
    if (!d.cc.empty())
        if (Status s = add("Cc", format_address_list(d.cc)); !s.ok()) return s.error();
    {
        auto f = HeaderField::make_text("Subject", d.subject);
        if (!f.ok()) return f.error();
        top.append(std::move(*f));
    }
    out.message_id = make_message_id(rng, host, now, date);
    if (Status s = add("Message-ID", out.message_id); !s.ok()) return s.error();
    for (const auto& f : d.extra_fields) top.append(f);
    if (Status s = add("MIME-Version", "1.0"); !s.ok()) return s.error();

    ContentType plain;
    auto body = leaf(d.text, plain, true, out.choices, std::nullopt);
    if (!body.ok()) return body.error();
    BuiltPart main = std::move(*body);
    if (d.html) {
        ContentType html;
        html.subtype = "html";
        auto h = leaf(*d.html, html, true, out.choices, std::nullopt);
        if (!h.ok()) return h.error();
        BuiltPart alt;
        alt.type.type = "multipart";
        alt.type.subtype = "alternative";
        alt.children.push_back(std::move(main));
        alt.children.push_back(std::move(*h));
        main = std::move(alt);
    }
    if (!d.attachments.empty()) {
        BuiltPart mixed;
        mixed.type.type = "multipart";
        mixed.type.subtype = "mixed";
        mixed.children.push_back(std::move(main));
        for (const Attachment& a : d.attachments) {
            auto ct = parse_content_type(a.content_type.empty() ? "application/octet-stream" : a.content_type);
            if (!ct.ok()) return ct.error();
            ct->set_param("name", a.filename);
            if (ct->is_message()) {
                // RFC 2046 §5.2.1: a message/rfc822 part is never encoded.
                BuiltPart fwd;
                fwd.type = *ct;
                fwd.type.params.clear();
                fwd.body = a.data;
                const bool eight = has_8bit(a.data);
                if (eight) {
                    auto f = HeaderField::make("Content-Transfer-Encoding", "8bit");
                    if (!f.ok()) return f.error();
                    fwd.fields.append(std::move(*f));
                }
                out.choices.push_back({eight ? TransferEncoding::eight_bit : TransferEncoding::seven_bit, "",
                                       "an attached message is never encoded (RFC 2046 section 5.2.1)"});
                mixed.children.push_back(std::move(fwd));
                continue;
            }
            ContentDisposition cd{"attachment", {}};
            cd.params.push_back(MimeParameter{"filename", a.filename, "", "", false});
            auto p = leaf(a.data, *ct, ct->type == "text", out.choices, cd);
            if (!p.ok()) return p.error();
            mixed.children.push_back(std::move(*p));
        }
        main = std::move(mixed);
    }
    auto bytes = serialize_message(top, main, rng);
    if (!bytes.ok()) return bytes.error();
    out.bytes = std::move(*bytes);
    return out;
}

}  // namespace postino::mail
