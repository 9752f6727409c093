// webmail_pages.cpp — the webmail's HTML (MIME per RFC 2045 §6, RFC 2046
// §5.1, RFC 2047 §6, RFC 2183 via sim/mail). See webmail_pages.hpp.
#include "agents/webmail_pages.hpp"

#include "mail/charset.hpp"
#include "mail/header.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"
#include "proto/http/form.hpp"

namespace postino::agents::webmail {
namespace {

using http::html_escape;

constexpr const char* kStyle = R"(
body{margin:0;font:15px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#1d2430;background:#eef1f5}
header{background:#24405e;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:18px}
header h1{font-size:19px;margin:0;font-weight:600}header .who{margin-left:auto;opacity:.9}
header a,header button{color:#fff;background:none;border:1px solid #8fa8c4;border-radius:4px;padding:3px 10px;font:inherit;cursor:pointer;text-decoration:none}
main{max-width:960px;margin:22px auto;background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:18px 24px}
h2{font-size:18px;margin:4px 0 14px}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid #e2e6ec}th{color:#5b6675;font-weight:600;font-size:13px}
tr.unseen td{font-weight:600}td.size{text-align:right;color:#5b6675;white-space:nowrap}
a{color:#1f5fa8}dl.hdr{display:grid;grid-template-columns:110px 1fr;margin:0 0 12px;gap:2px 10px}
dl.hdr dt{color:#5b6675}dl.hdr dd{margin:0}pre.text{white-space:pre-wrap;font:14px/1.5 "DejaVu Sans Mono",monospace;background:#f7f8fa;border:1px solid #e2e6ec;border-radius:4px;padding:12px}
.part{margin:12px 0}img.preview{max-width:240px;max-height:160px;margin-top:6px;border:1px solid #e2e6ec;border-radius:4px}.part .meta{font-size:13px;color:#5b6675;margin-bottom:4px}
form.compose label{display:block;margin:10px 0 3px;color:#5b6675;font-size:13px}
form.compose input[type=text],form.compose input[type=password],form.compose textarea{width:100%;box-sizing:border-box;padding:7px;border:1px solid #c5ccd6;border-radius:4px;font:inherit}
form.compose textarea{height:140px}button.primary{margin-top:12px;background:#2d6cdf;color:#fff;border:0;border-radius:4px;padding:8px 18px;font:inherit;cursor:pointer}
.notice{background:#e6f4ea;border:1px solid #9fd3ae;padding:8px 12px;border-radius:4px;margin-bottom:14px}
.error{background:#fdecea;border:1px solid #f1a9a0;padding:8px 12px;border-radius:4px;margin-bottom:14px}
footer{text-align:center;color:#7a8594;font-size:12px;margin:10px 0 24px}
)";

std::string page(const PageInfo& p, const std::string& heading, const std::string& body) {
    std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
    h += "<title>" + html_escape(heading) + " \xE2\x80\x94 " + html_escape(p.title) + "</title>";
    h += "<style>" + std::string(kStyle) + "</style></head><body>\n<header><h1>" + html_escape(p.title) + "</h1>";
    if (!p.address.empty()) {
        h += "<a href=\"/\">Inbox</a><a href=\"/compose\">Compose</a><span class=\"who\">" + html_escape(p.address) +
             "</span><form method=\"post\" action=\"/logout\"><button>Log out</button></form>";
    }
    h += "</header>\n<main>\n" + body + "</main>\n<footer>Postino webmail on " + html_escape(p.host_name) +
         " \xC2\xB7 HTTP in front of IMAP and SMTP</footer>\n</body></html>\n";
    return h;
}

std::string size_text(std::uint64_t n) {
    if (n < 1024) return std::to_string(n) + " B";
    constexpr std::uint64_t kKiB = 1024;
    constexpr std::uint64_t kMiB = kKiB * kKiB;
    if (n < kMiB) return std::to_string((n + kKiB / 2) / kKiB) + " KB";
    return std::to_string((n + kMiB / 2) / kMiB) + " MB";
}

std::string field_text(const mail::Header& h, std::string_view name) {
    const mail::HeaderField* f = h.find(name);
    return f == nullptr ? std::string() : f->text();
}

// A text part's octets as UTF-8 (its charset parameter; US-ASCII by default, RFC 2046 §4.1.2).
std::string as_utf8(const mail::PartView& v) {
    const mail::MimeParameter* cs = find_parameter(v.params, "charset");
    auto c = cs ? mail::charset_from_name(cs->value) : std::optional<mail::Charset>(mail::Charset::us_ascii);
    if (!c) c = mail::Charset::utf8;  // unknown charset: show what decodes, invalid octets as U+FFFD
    return mail::to_utf8(v.decoded, *c).text;
}

std::string part_name(const mail::PartView& v) {
    if (v.disposition) {
        if (const auto* f = v.disposition->param("filename")) return f->value;
    }
    if (const auto* n = find_parameter(v.params, "name")) return n->value;
    return {};
}

}  // namespace

std::string login_page(const PageInfo& p, const std::string& error, bool password_ok) {
    std::string b = "<h2>Log in</h2>\n";
    if (!error.empty()) b += "<div class=\"error\">" + html_escape(error) + "</div>\n";
    if (!password_ok) {
        b += "<div class=\"error\">This connection is plain HTTP from another machine: a password sent over it could be "
             "read on the way, so logging in is refused here (use loopback, or start serve with "
             "--allow-plaintext-auth).</div>\n";
    }
    b += "<form class=\"compose\" method=\"post\" action=\"/login\">\n"
         "<label for=\"user\">User</label><input type=\"text\" id=\"user\" name=\"user\" autocomplete=\"username\">\n"
         "<label for=\"password\">Password</label><input type=\"password\" id=\"password\" name=\"password\" "
         "autocomplete=\"current-password\">\n"
         "<button class=\"primary\" type=\"submit\">Log in</button>\n</form>\n";
    return page(p, "Log in", b);
}

std::string inbox_page(const PageInfo& p, const std::vector<Summary>& messages, const std::string& notice) {
    std::string b;
    if (!notice.empty()) b += "<div class=\"notice\">" + html_escape(notice) + "</div>\n";
    b += "<h2>Inbox (" + std::to_string(messages.size()) + (messages.size() == 1 ? " message" : " messages") + ")</h2>\n";
    if (messages.empty()) {
        b += "<p>No messages.</p>\n";
    } else {
        b += "<table id=\"inbox\">\n<tr><th>From</th><th>Subject</th><th>Date</th><th>Size</th></tr>\n";
        for (const auto& m : messages) {
            const std::string subject = m.subject.empty() ? "(no subject)" : m.subject;
            b += std::string("<tr") + (m.seen ? "" : " class=\"unseen\"") + "><td>" + html_escape(m.from) +
                 "</td><td><a href=\"/message/" + html_escape(m.id) + "\">" + html_escape(subject) + "</a></td><td>" +
                 html_escape(m.date) + "</td><td class=\"size\">" + size_text(m.size) + "</td></tr>\n";
        }
        b += "</table>\n";
    }
    return page(p, "Inbox", b);
}

std::string message_page(const PageInfo& p, const std::string& id, const std::string& raw) {
    auto parsed = mail::parse_mime(raw);
    std::string b;
    std::string subject, from, message_id;
    if (!parsed) {
        // Not MIME we can read: the octets as text, so the user still sees the mail.
        b += "<div class=\"error\">This message is not well-formed MIME (" + html_escape(parsed.error().message()) +
             "); shown as it is stored.</div>\n<pre class=\"text\">" + html_escape(mail::to_utf8(raw, mail::Charset::utf8).text) +
             "</pre>\n";
        return page(p, "Message", b);
    }
    const mail::Header& h = parsed->root.fields;
    subject = field_text(h, "Subject");
    from = field_text(h, "From");
    message_id = h.get("Message-ID").value_or("");
    b += "<h2>" + html_escape(subject.empty() ? "(no subject)" : subject) + "</h2>\n<dl class=\"hdr\">";
    for (const char* name : {"From", "To", "Cc", "Date"}) {
        const std::string v = field_text(h, name);
        if (!v.empty()) b += std::string("<dt>") + name + "</dt><dd>" + html_escape(v) + "</dd>";
    }
    b += "</dl>\n";
    int shown_text = 0;
    for (const auto& v : mail::mime_tree(*parsed)) {
        if (v.kind != mail::PartKind::leaf) continue;
        const bool attachment = v.disposition && v.disposition->type == "attachment";
        const std::string name = part_name(v);
        b += "<div class=\"part\"><div class=\"meta\">part " + html_escape(v.path) + " \xC2\xB7 " + html_escape(v.mime_type) +
             " \xC2\xB7 " + html_escape(v.encoding) + " \xC2\xB7 " + size_text(v.size) +
             (name.empty() ? "" : " \xC2\xB7 " + html_escape(name)) + "</div>";
        if (v.mime_type == "text/plain" && !attachment && !v.decode_error) {
            b += "<pre class=\"text\">" + html_escape(as_utf8(v)) + "</pre>";
            ++shown_text;
        } else {
            const std::string href = "/message/" + html_escape(id) + "/part/" + html_escape(v.path);
            b += "<a href=\"" + href + "\">" + html_escape(name.empty() ? "open part " + v.path : name) + "</a> (" +
                 html_escape(v.mime_type) + ")";
            // A picture is shown small: the browser fetches it as an image (never as a page of this site).
            if (v.mime_type.rfind("image/", 0) == 0 && !v.decode_error)
                b += "<br><img class=\"preview\" src=\"" + href + "\" alt=\"" + html_escape(name) + "\">";
        }
        b += "</div>\n";
    }
    if (shown_text == 0) b += "<p>(no text part)</p>\n";
    // The reply form: to the sender, "Re: " once (RFC 5322 §3.6.5), In-Reply-To the original (§3.6.4).
    std::string reply_to = field_text(h, "Reply-To");
    if (reply_to.empty()) reply_to = from;
    if (const auto lt = reply_to.find('<'); lt != std::string::npos) {
        const auto gt = reply_to.find('>', lt);
        reply_to = reply_to.substr(lt + 1, gt == std::string::npos ? std::string::npos : gt - lt - 1);
    }
    const bool has_re = subject.size() >= 3 && (subject.compare(0, 3, "Re:") == 0 || subject.compare(0, 3, "RE:") == 0);
    const std::string re = has_re ? subject : "Re: " + subject;
    b += "<h2>Reply</h2>\n<form class=\"compose\" method=\"post\" action=\"/send\">\n"
         "<input type=\"hidden\" name=\"in-reply-to\" value=\"" + html_escape(message_id) + "\">\n"
         "<label for=\"to\">To</label><input type=\"text\" id=\"to\" name=\"to\" value=\"" + html_escape(reply_to) + "\">\n"
         "<label for=\"subject\">Subject</label><input type=\"text\" id=\"subject\" name=\"subject\" value=\"" +
         html_escape(re) + "\">\n<label for=\"body\">Message</label><textarea id=\"body\" name=\"body\"></textarea>\n"
         "<button class=\"primary\" type=\"submit\">Send</button>\n</form>\n";
    return page(p, subject.empty() ? "Message" : subject, b);
}

std::string compose_page(const PageInfo& p, const std::string& to, const std::string& subject, const std::string& body,
                         const std::string& in_reply_to) {
    std::string b = "<h2>New message</h2>\n<form class=\"compose\" method=\"post\" action=\"/send\">\n";
    if (!in_reply_to.empty())
        b += "<input type=\"hidden\" name=\"in-reply-to\" value=\"" + html_escape(in_reply_to) + "\">\n";
    b += "<label for=\"to\">To (addresses separated by commas)</label><input type=\"text\" id=\"to\" name=\"to\" value=\"" +
         html_escape(to) + "\">\n<label for=\"subject\">Subject</label><input type=\"text\" id=\"subject\" name=\"subject\" "
         "value=\"" + html_escape(subject) + "\">\n<label for=\"body\">Message</label><textarea id=\"body\" name=\"body\">" +
         html_escape(body) + "</textarea>\n<button class=\"primary\" type=\"submit\">Send</button>\n</form>\n";
    return page(p, "Compose", b);
}

std::string sent_page(const PageInfo& p, const std::vector<std::string>& to, const std::string& subject,
                      const std::string& server_answer) {
    std::string list;
    for (const auto& t : to) list += (list.empty() ? "" : ", ") + t;
    std::string b = "<h2>Message sent</h2>\n<div class=\"notice\">\xE2\x80\x9C" + html_escape(subject) +
                    "\xE2\x80\x9D to " + html_escape(list) + ": " + html_escape(server_answer) +
                    "</div>\n<p><a href=\"/\">Back to the inbox</a></p>\n";
    return page(p, "Message sent", b);
}

std::string error_page(const PageInfo& p, int status, const std::string& text) {
    std::string b = "<h2>" + std::to_string(status) + " " + std::string(http::reason_phrase(status)) +
                    "</h2>\n<div class=\"error\">" + html_escape(text) + "</div>\n<p><a href=\"/\">Back to the inbox</a></p>\n";
    return page(p, std::to_string(status) + " " + std::string(http::reason_phrase(status)), b);
}

bool find_part(const std::string& raw, const std::string& path, PartContent& out) {
    auto parsed = mail::parse_mime(raw);
    if (!parsed) return false;
    for (const auto& v : mail::mime_tree(*parsed)) {
        if (v.kind != mail::PartKind::leaf || v.path != path || v.decode_error) continue;
        out.bytes = v.decoded;
        out.type = v.mime_type;
        if (const auto* cs = find_parameter(v.params, "charset"); cs && v.mime_type.rfind("text/", 0) == 0)
            out.type += "; charset=" + cs->value;
        out.filename = part_name(v);
        return true;
    }
    return false;
}

}  // namespace postino::agents::webmail
