// message_view.cpp — ENVELOPE, BODYSTRUCTURE and BODY[section] of a message
// (RFC 3501 §7.4.2, §6.4.5). See message_view.hpp.
#include "proto/imap/message_view.hpp"

#include <algorithm>
#include <cctype>

#include "mail/address.hpp"
#include "mail/content_type.hpp"
#include "proto/imap/faults.hpp"

namespace postino::imap {

namespace {

std::string upper(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

// The root header and body only, no MIME structure: what ENVELOPE and
// SEARCH need (a tenth of the work of a whole MIME parse). Also the view of
// a message the MIME parser refuses even leniently: one text/plain part,
// the header as far as it goes, the rest the body.
mail::MimeMessage header_and_body(std::string bytes) {
    mail::MimeMessage m;
    m.raw = std::move(bytes);
    const auto sep = m.raw.find("\r\n\r\n");
    const std::size_t hdr = sep == std::string::npos ? m.raw.size() : sep + 2;
    m.root.whole = {0, m.raw.size()};
    m.root.header = {0, hdr};
    m.root.separator = {hdr, sep == std::string::npos ? std::size_t{0} : std::size_t{2}};
    m.root.body = {m.root.separator.end(), m.raw.size() - m.root.separator.end()};
    if (auto h = mail::parse_header_section(std::string_view(m.raw).substr(0, hdr), mail::ParseOptions::lenient()); h.ok())
        m.root.fields = std::move(h->header);
    m.root.type_defaulted = true;
    return m;
}

mail::MimeMessage parse_or_plain(std::string bytes) {
    auto r = mail::parse_mime(bytes, mail::ParseOptions::lenient());
    if (r.ok()) return std::move(r.value());
    return header_and_body(std::move(bytes));
}

std::optional<std::string> field(const mail::Header& h, std::string_view name) {
    const auto* f = h.find(name);
    if (!f) return std::nullopt;
    return f->value();
}

std::string address(const std::optional<std::string>& name, const mail::Mailbox& mb) {
    return "(" + nstring(name) + " NIL " + quote_string(mail::unquote_local_part(mb.local)) + " " +
           (mb.domain.empty() ? std::string("NIL") : quote_string(mb.domain)) + ")";
}

std::string named(const mail::NamedMailbox& m) {
    return address(m.display_name.empty() ? std::nullopt : std::optional<std::string>(m.display_name), m.address);
}

// An address list field as ENVELOPE writes it: a list of addresses, groups
// between a start marker (NIL NIL "group" NIL) and an end marker (NIL NIL NIL NIL).
std::string address_list(const mail::Header& h, std::string_view name) {
    const auto v = field(h, name);
    if (!v) return "NIL";
    auto list = mail::parse_address_list(*v, mail::Leniencies::all());
    if (!list.ok() || list->empty()) return "NIL";
    std::string out = "(";
    for (const auto& a : *list) {
        if (const auto* m = std::get_if<mail::NamedMailbox>(&a)) {
            out += named(*m);
        } else {
            const auto& g = std::get<mail::Group>(a);
            out += "(NIL NIL " + quote_string(g.display_name) + " NIL)";
            for (const auto& m2 : g.members) out += named(m2);
            out += "(NIL NIL NIL NIL)";
        }
    }
    return out + ")";
}

// An RFC 2231 parameter written back in its extended form (name*,
// charset'language'%XX): BODYSTRUCTURE reports parameters as RFC 2231
// text, not decoded. sim/mail has decoded the value to UTF-8, so the charset
// written is utf-8 (the same text as the message's own charset gave).
std::string extended_value(const mail::MimeParameter& p) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out = "utf-8'" + p.language + "'";
    for (char c : p.value) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || c == '.' || c == '-' || c == '_') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

std::string params_list(const mail::MimeParameters& ps) {
    if (ps.empty()) return "NIL";
    std::string out = "(";
    bool first = true;
    for (const auto& p : ps) {
        if (!first) out += ' ';
        first = false;
        if (p.extended) out += quote_string(p.name + "*") + " " + quote_string(extended_value(p));
        else out += quote_string(p.name) + " " + quote_string(p.value);
    }
    return out + ")";
}

std::string disposition(const mail::Part& p) {
    const auto v = field(p.fields, "Content-Disposition");
    if (!v) return "NIL";
    auto d = mail::parse_content_disposition(*v);
    if (!d.ok()) return "NIL";
    return "(" + quote_string(d->type) + " " + params_list(d->params) + ")";
}

std::string part_structure(const mail::MimeMessage& m, const mail::Part& p, bool ext, const ServerFaults& f);

std::string leaf_structure(const mail::MimeMessage& m, const mail::Part& p, bool ext, const ServerFaults& f) {
    mail::MimeParameters params = p.type.params;
    if (f.no_default_charset && p.type_defaulted) {
        params.clear();  // the fault: the defaulted charset left out
    } else if (p.type_defaulted && params.empty() && p.type.type == "text") {
        mail::MimeParameter cs;  // RFC 2045 §5.2: the default is charset=us-ascii
        cs.name = "charset";
        cs.value = "us-ascii";
        params.push_back(cs);
    }
    std::string out = "(" + quote_string(p.type.type) + " " + quote_string(p.type.subtype) + " " + params_list(params) +
                      " " + nstring(field(p.fields, "Content-ID")) + " " +
                      nstring(field(p.fields, "Content-Description")) + " " + quote_string(upper(p.encoding_name)) +
                      " " + std::to_string(p.body.size);
    if (p.kind == mail::PartKind::message && !p.children.empty()) {
        if (!f.rfc822_part_basic) {
            const auto& inner = p.children.front();
            out += " " + envelope_of(inner.fields) + " " + part_structure(m, inner, ext, f) + " " +
                   std::to_string(p.body_lines);
        }
    } else if (p.type.type == "text" && !f.text_no_lines) {
        out += " " + std::to_string(p.body_lines);
    }
    if (ext) {
        out += " " + nstring(field(p.fields, "Content-MD5")) + " " + disposition(p) + " " +
               nstring(field(p.fields, "Content-Language")) + " " + nstring(field(p.fields, "Content-Location"));
    }
    return out + ")";
}

std::string part_structure(const mail::MimeMessage& m, const mail::Part& p, bool ext, const ServerFaults& f) {
    if (p.kind != mail::PartKind::multipart || p.children.empty()) return leaf_structure(m, p, ext, f);
    std::string out = "(";
    for (const auto& c : p.children) out += part_structure(m, c, ext, f);
    if (!f.multipart_no_subtype) out += " " + quote_string(p.type.subtype);
    if (ext) {
        out += " " + params_list(p.type.params) + " " + disposition(p) + " " +
               nstring(field(p.fields, "Content-Language")) + " " + nstring(field(p.fields, "Content-Location"));
    }
    return out + ")";
}

std::string header_fields(const mail::MimeMessage& m, const mail::Part& p, const std::vector<std::string>& names,
                          bool exclude) {
    std::string out;
    for (const auto& f : p.fields.fields) {
        const auto n = upper(f.name());
        const bool listed = std::find(names.begin(), names.end(), n) != names.end();
        if (listed != exclude) out += f.raw();
    }
    (void)m;
    return out + "\r\n";
}

}  // namespace

MessageView::MessageView(std::string bytes, Depth depth)
    : mime_(depth == Depth::Mime ? parse_or_plain(std::move(bytes)) : header_and_body(std::move(bytes))) {}

std::string envelope_of(const mail::Header& h, const ServerFaults* faults) {
    const bool no_default = faults != nullptr && faults->envelope_no_sender_default;
    // The fault envelope_empty_not_nil writes an absent string as "".
    auto str = [&](std::string_view name) {
        auto v = field(h, name);
        return !v && faults != nullptr && faults->envelope_empty_not_nil ? std::string("\"\"") : nstring(v);
    };
    const std::string from = address_list(h, "From");
    std::string sender = h.find("Sender") ? address_list(h, "Sender") : from;
    std::string reply = h.find("Reply-To") ? address_list(h, "Reply-To") : from;
    if (sender == "NIL") sender = from;
    if (reply == "NIL") reply = from;
    if (no_default && !h.find("Sender")) sender = "NIL";
    if (no_default && !h.find("Reply-To")) reply = "NIL";
    return "(" + str("Date") + " " + str("Subject") + " " + from + " " + sender + " " + reply + " " +
           address_list(h, "To") + " " + address_list(h, "Cc") + " " + address_list(h, "Bcc") + " " +
           str("In-Reply-To") + " " + str("Message-ID") + ")";
}

std::string MessageView::envelope(const ServerFaults* faults) const { return envelope_of(mime_.root.fields, faults); }

std::string MessageView::body_structure(bool extensions, const ServerFaults& faults) const {
    return part_structure(mime_, mime_.root, extensions, faults);
}

std::string MessageView::header_value(std::string_view name) const {
    return field(mime_.root.fields, name).value_or("");
}

std::string_view MessageView::header_octets() const { return mime_.bytes(mime_.root.header); }
std::string_view MessageView::body_octets() const { return mime_.bytes(mime_.root.body); }

std::optional<std::string> MessageView::section(const Section& s) const {
    const mail::Part* cur = &mime_.root;
    bool is_message = true;  // cur is a message: its header is a message header
    for (std::uint32_t n : s.parts) {
        const mail::Part* container = cur;
        if (!is_message && cur->kind == mail::PartKind::message) {
            if (cur->children.empty()) return std::nullopt;
            container = &cur->children.front();  // the encapsulated message
        } else if (!is_message && cur->kind != mail::PartKind::multipart) {
            return std::nullopt;  // a leaf has no sub-parts
        }
        if (container->kind == mail::PartKind::multipart) {
            if (n == 0 || n > container->children.size()) return std::nullopt;
            cur = &container->children[n - 1];
        } else {
            if (n != 1) return std::nullopt;  // a single-part message has only part 1, its body
            cur = container;
        }
        is_message = false;
    }
    using T = Section::Text;
    auto bytes = [&](mail::Span sp) { return std::string(mime_.bytes(sp)); };
    if (s.text == T::All) return is_message ? mime_.raw : bytes(cur->body);
    if (s.text == T::Mime) return bytes(cur->header) + bytes(cur->separator);
    const mail::Part* msg = cur;
    if (!is_message) {
        if (cur->kind != mail::PartKind::message || cur->children.empty()) return std::nullopt;
        msg = &cur->children.front();
    }
    switch (s.text) {
        case T::Header: return bytes(msg->header) + bytes(msg->separator);
        case T::Text: return bytes(msg->body);
        case T::HeaderFields: return header_fields(mime_, *msg, s.fields, false);
        case T::HeaderFieldsNot: return header_fields(mime_, *msg, s.fields, true);
        default: return std::nullopt;
    }
}

std::string format_internal_date(Time t, const mail::DateContext& ctx) {
    static constexpr const char* kMon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto dt = mail::to_date_time(t, ctx);
    const auto c = mail::to_civil(dt);
    char buf[64];
    const int z = dt.zone_minutes < 0 ? -dt.zone_minutes : dt.zone_minutes;
    std::snprintf(buf, sizeof buf, "%02d-%s-%04lld %02d:%02d:%02d %c%02d%02d", c.day, kMon[c.month - 1],
                  static_cast<long long>(c.year), c.hour, c.minute, c.second, dt.zone_minutes < 0 ? '-' : '+', z / 60,
                  z % 60);
    return buf;
}

Day day_of(std::int64_t unix_seconds, int zone_minutes) {
    const std::int64_t local = unix_seconds + static_cast<std::int64_t>(zone_minutes) * 60;
    return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

}  // namespace postino::imap
