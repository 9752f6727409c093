// webmail_app.cpp — routing, sessions and form handling of the webmail
// (RFC 9110 §9.3 methods, §15 status codes; RFC 6265 §4.1 cookies; RFC 6454
// §7 Origin; the WHATWG URL form encoding). See webmail_app.hpp.
#include "agents/webmail_app.hpp"

#include <memory>

#include "agents/webmail_pages.hpp"
#include "mail/address.hpp"
#include "mail/header.hpp"
#include "proto/http/form.hpp"

namespace postino::agents::webmail {
namespace {

http::Response html(int status, std::string body) {
    http::Response r;
    r.status = status;
    r.fields.add("Content-Type", "text/html; charset=utf-8");
    r.fields.add("Cache-Control", "no-store");
    // The pages never run script; a message's text cannot either.
    r.fields.add("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'");
    r.fields.add("X-Content-Type-Options", "nosniff");
    r.body = std::move(body);
    return r;
}

http::Response redirect(const std::string& to) {
    http::Response r;
    r.status = 303;  // RFC 9110 §15.4.4: the answer to a POST is fetched with GET
    r.fields.add("Location", to);
    return r;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

}  // namespace

bool valid_message_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        if (!ok) return false;
    }
    return id.front() != '.';
}

Summary summarize(std::string id, std::string_view message, std::uint64_t size) {
    Summary s;
    s.id = std::move(id);
    s.size = size;
    auto h = mail::parse_header_section(message);
    if (!h) return s;
    if (const auto* f = h->header.find("From")) s.from = f->text();
    if (const auto* f = h->header.find("Subject")) s.subject = f->text();
    if (const auto* f = h->header.find("Date")) s.date = f->value();
    return s;
}

App::App(AppConfig config, Backend& backend, std::function<std::string()> new_token)
    : config_(std::move(config)), backend_(backend), new_token_(std::move(new_token)) {}

std::size_t App::sessions() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return sessions_.size();
}

bool App::session_of(const http::Request& r, Session& out) const {
    const auto cookie = r.fields.combined("Cookie");
    const auto token = http::cookie_value(cookie, kSessionCookie);
    if (!token) return false;
    const std::lock_guard<std::mutex> lock(mutex_);
    auto it = sessions_.find(*token);
    if (it == sessions_.end()) return false;
    out = it->second;
    return true;
}

void App::handle(const http::Request& r, bool password_ok, Reply reply) {
    PageInfo info{config_.title, "", config_.host_name};
    auto target = http::split_target(r.target);
    if (!target) return reply(html(400, error_page(info, 400, "bad request-target: " + target.error().message())));
    const std::string& path = target->path;
    const bool get = r.method == "GET" || r.method == "HEAD";
    const bool post = r.method == "POST";
    if (post) {
        // RFC 6454 §7: a browser names the page a form came from; one from another site is refused.
        if (auto origin = r.fields.get("Origin"); origin && *origin != "null") {
            const std::string host = r.fields.get("Host").value_or("");
            if (*origin != "http://" + host && *origin != "https://" + host)
                return reply(html(403, error_page(info, 403, "a form from another site (Origin " + *origin + ") is refused")));
        }
    }
    auto method_not_allowed = [&](const char* allow) {
        http::Response resp = html(405, error_page(info, 405, r.method + " is not allowed here"));
        resp.fields.add("Allow", allow);
        reply(std::move(resp));
    };
    if (path == "/login") {
        if (get) return reply(html(200, login_page(info, "", password_ok)));
        if (post) return login(r, password_ok, reply);
        return method_not_allowed("GET, HEAD, POST");
    }
    if (path == "/favicon.ico") {
        http::Response resp;
        resp.status = 204;
        return reply(resp);
    }
    Session s;
    if (!session_of(r, s)) {
        if (get) return reply(redirect("/login"));
        return reply(html(401, error_page(info, 401, "log in first")));
    }
    if (path == "/logout") {
        if (!post) return method_not_allowed("POST");
        return logout(r, reply);
    }
    if (path == "/") {
        if (!get) return method_not_allowed("GET, HEAD");
        std::string notice;
        if (target->query == "sent=1") notice = "Message sent.";
        return inbox(s, notice, reply);
    }
    if (path == "/compose") {
        if (!get) return method_not_allowed("GET, HEAD");
        info.address = s.address;
        return reply(html(200, compose_page(info, "", "", "", "")));
    }
    if (path == "/send") {
        if (!post) return method_not_allowed("POST");
        return send(s, r, reply);
    }
    if (path.rfind("/message/", 0) == 0) {
        if (!get) return method_not_allowed("GET, HEAD");
        std::string rest = path.substr(9);
        std::string part_path;
        if (const auto p = rest.find("/part/"); p != std::string::npos) {
            part_path = rest.substr(p + 6);
            rest = rest.substr(0, p);
            if (part_path.empty() || part_path.find_first_not_of("0123456789.") != std::string::npos)
                return reply(html(404, error_page(info, 404, "no such part")));
        }
        if (!valid_message_id(rest)) return reply(html(404, error_page(info, 404, "no such message")));
        if (!part_path.empty()) return part(s, rest, part_path, reply);
        return message(s, rest, reply);
    }
    reply(html(404, error_page(info, 404, "no page " + path)));
}

void App::login(const http::Request& r, bool password_ok, const Reply& reply) {
    PageInfo info{config_.title, "", config_.host_name};
    if (!password_ok) return reply(html(403, login_page(info, "", false)));
    auto form = http::parse_form(r.body);
    if (!form) return reply(html(400, login_page(info, "unreadable form: " + form.error().message(), true)));
    Credentials c{trim(http::form_value(*form, "user").value_or("")), http::form_value(*form, "password").value_or("")};
    if (c.user.empty() || c.password.empty()) return reply(html(401, login_page(info, "give a user name and a password", true)));
    auto self = this;
    backend_.login(c, [self, c, reply, info](Result<std::string> res) {
        if (!res) return reply(html(401, login_page(info, "login refused: " + res.error().message(), true)));
        const std::string token = self->new_token_();
        {
            const std::lock_guard<std::mutex> lock(self->mutex_);
            if (self->sessions_.size() >= kMaxSessions) {
                auto oldest = self->sessions_.begin();
                for (auto it = self->sessions_.begin(); it != self->sessions_.end(); ++it) {
                    if (it->second.order < oldest->second.order) oldest = it;
                }
                self->sessions_.erase(oldest);
            }
            self->sessions_[token] = Session{c, *res, self->next_order_++};
        }
        http::Response resp = redirect("/");
        resp.fields.add("Set-Cookie", std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        reply(std::move(resp));
    });
}

void App::logout(const http::Request& r, const Reply& reply) {
    if (auto token = http::cookie_value(r.fields.combined("Cookie"), kSessionCookie)) {
        const std::lock_guard<std::mutex> lock(mutex_);
        sessions_.erase(*token);
    }
    http::Response resp = redirect("/login");
    resp.fields.add("Set-Cookie", std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    reply(std::move(resp));
}

void App::inbox(const Session& s, const std::string& notice, const Reply& reply) {
    PageInfo info{config_.title, s.address, config_.host_name};
    backend_.list(s.credentials, [reply, info, notice](Result<std::vector<Summary>> res) {
        if (!res) return reply(html(502, error_page(info, 502, "cannot read the inbox: " + res.error().message())));
        reply(html(200, inbox_page(info, *res, notice)));
    });
}

void App::message(const Session& s, const std::string& id, const Reply& reply) {
    PageInfo info{config_.title, s.address, config_.host_name};
    backend_.message(s.credentials, id, [reply, info, id](Result<std::string> res) {
        if (!res) return reply(html(404, error_page(info, 404, "cannot open message " + id + ": " + res.error().message())));
        reply(html(200, message_page(info, id, *res)));
    });
}

void App::part(const Session& s, const std::string& id, const std::string& path, const Reply& reply) {
    PageInfo info{config_.title, s.address, config_.host_name};
    backend_.message(s.credentials, id, [reply, info, id, path](Result<std::string> res) {
        PartContent pc;
        if (!res || !find_part(*res, path, pc)) return reply(html(404, error_page(info, 404, "message " + id + " has no part " + path)));
        http::Response resp;
        resp.fields.add("Content-Type", pc.type.empty() ? "application/octet-stream" : pc.type);
        const bool inline_ok = pc.type.rfind("text/plain", 0) == 0 || pc.type.rfind("image/", 0) == 0;
        std::string name;
        for (char c : pc.filename) name += (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
        resp.fields.add("Content-Disposition", std::string(inline_ok ? "inline" : "attachment") +
                                                   (name.empty() ? "" : "; filename=\"" + name + "\""));
        // A part is the sender's content: it must never run as this site (no script, no sniffing).
        resp.fields.add("Content-Security-Policy", "sandbox");
        resp.fields.add("X-Content-Type-Options", "nosniff");
        resp.body = std::move(pc.bytes);
        reply(std::move(resp));
    });
}

void App::send(const Session& s, const http::Request& r, const Reply& reply) {
    PageInfo info{config_.title, s.address, config_.host_name};
    auto form = http::parse_form(r.body);
    if (!form) return reply(html(400, error_page(info, 400, "unreadable form: " + form.error().message())));
    Outgoing m;
    m.from = s.address;
    m.subject = http::form_value(*form, "subject").value_or("");
    m.body = http::form_value(*form, "body").value_or("");
    m.in_reply_to = trim(http::form_value(*form, "in-reply-to").value_or(""));
    const std::string to = http::form_value(*form, "to").value_or("");
    std::size_t p = 0;
    while (p <= to.size()) {
        std::size_t e = to.find(',', p);
        if (e == std::string::npos) e = to.size();
        std::string a = trim(to.substr(p, e - p));
        if (!a.empty()) {
            // "Alice <alice@a.example>" or "alice@a.example" (RFC 5322 §3.4); the envelope takes the addr-spec.
            auto named = mail::parse_mailbox(a);
            if (!named || named->address.domain.empty())
                return reply(html(400, error_page(info, 400, "not an address: '" + a + "'")));
            m.to.push_back(named->address.str());
        }
        p = e + 1;
    }
    if (m.to.empty() || m.to.size() > kMaxFormRecipients)
        return reply(html(400, error_page(info, 400, "give between 1 and " + std::to_string(kMaxFormRecipients) + " recipients")));
    if (m.in_reply_to.size() > 998 || m.subject.find_first_of("\r\n") != std::string::npos)
        return reply(html(400, error_page(info, 400, "a subject or In-Reply-To that does not fit in a header field")));
    auto to_list = m.to;
    auto subject = m.subject;
    backend_.send(s.credentials, m, [reply, info, to_list, subject](Result<std::string> res) {
        if (!res) return reply(html(502, error_page(info, 502, "the mail server did not take the message: " + res.error().message())));
        reply(html(200, sent_page(info, to_list, subject, *res)));
    });
}

}  // namespace postino::agents::webmail
