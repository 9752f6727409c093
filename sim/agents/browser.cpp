// browser.cpp — the simulated browser's visits (RFC 9112; RFC 6265 §5.2
// Set-Cookie, §5.4 Cookie; RFC 6454 §7 Origin). See browser.hpp.
#include "agents/browser.hpp"

#include "proto/http/form.hpp"

namespace postino::agents {

std::string page_title(const std::string& html) {
    const auto b = html.find("<title>");
    if (b == std::string::npos) return {};
    const auto e = html.find("</title>", b);
    if (e == std::string::npos) return {};
    std::string t = html.substr(b + 7, e - b - 7);
    std::string out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '&') {
            const auto semi = t.find(';', i);
            const std::string ref = semi == std::string::npos ? "" : t.substr(i, semi - i + 1);
            const char* rep = ref == "&amp;" ? "&" : ref == "&lt;" ? "<" : ref == "&gt;" ? ">" : ref == "&quot;" ? "\"" : ref == "&#39;" ? "'" : nullptr;
            if (rep != nullptr) {
                out += rep;
                i = semi;
                continue;
            }
        }
        out += t[i];
    }
    return out;
}

struct Browser::Visit {
    BrowserAction action;
    std::shared_ptr<HttpClientLink> link;
    bool logging_in = false;
    std::string what;  // "GET /message/1"
    bool answered = false;
};

http::Request Browser::base(std::string method, std::string target) const {
    http::Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.fields.add("Host", config_.server_name);
    r.fields.add("User-Agent", "Postino-browser/1.0");
    r.fields.add("Accept", "text/html");
    if (!cookie_.empty()) r.fields.add("Cookie", cookie_);
    return r;
}

void Browser::report(const char* ev, const std::string& text) {
    trace::Event e("ua", host_.name());
    e.set("ev", ev).set("text", text);
    host_.network().trace().emit(std::move(e));
}

namespace {
http::Request form(http::Request r, const http::FormFields& fields, const std::string& host) {
    r.fields.add("Origin", "http://" + host);
    r.fields.add("Content-Type", "application/x-www-form-urlencoded");
    r.body = http::encode_form(fields);
    return r;
}
}  // namespace

void Browser::visit(const BrowserAction& a) {
    auto v = std::make_shared<Visit>();
    v->action = a;
    const std::uint64_t id = next_visit_++;
    visits_[id] = v;
    auto conn = host_.connect(config_.server, config_.port);
    v->link = std::make_shared<HttpClientLink>(host_.network(), conn, std::make_unique<http::ClientEngine>());
    std::weak_ptr<Visit> weak = v;
    auto* self = this;
    conn->on_connected = [weak, self] {
        auto vis = weak.lock();
        if (!vis) return;
        vis->link->start();
        const Time now = self->host_.network().now();
        if (self->cookie_.empty()) {
            vis->logging_in = true;
            vis->link->engine().send(now, form(self->base("POST", "/login"),
                                               {{"user", self->config_.user}, {"password", self->config_.password}},
                                               self->config_.server_name));
        } else {
            self->on_response(vis, http::Response{});  // no login needed: go straight to the page
            return;
        }
        vis->link->pump();
    };
    v->link->attach(
        [weak, self](const http::Event& ev) {
            auto vis = weak.lock();
            if (!vis) return;
            if (const auto* r = std::get_if<http::ResponseEvent>(&ev); r && !r->interim) self->on_response(vis, r->response);
        },
        [weak, self, id](net::CloseReason reason) {
            if (auto vis = weak.lock(); vis && !vis->answered) {
                ++self->errors_;
                self->report("error", "cannot reach the webmail " + self->config_.server_name + " on port " +
                                          std::to_string(self->config_.port) + " (" + net::to_string(reason) + ")");
            }
            self->host_.network().scheduler().schedule_in(Duration{}, [self, id] { self->visits_.erase(id); });
        });
}

void Browser::on_response(const std::shared_ptr<Visit>& v, const http::Response& r) {
    const Time now = host_.network().now();
    auto& engine = v->link->engine();
    if (v->logging_in) {
        v->logging_in = false;
        if (r.status != 303) {
            v->answered = true;
            ++errors_;
            report("error", "login to " + config_.server_name + " refused: " + std::to_string(r.status) + " " +
                                std::string(http::reason_phrase(r.status)) + ", \u201c" + page_title(r.body) + "\u201d");
            engine.close(now);
            v->link->pump();
            return;
        }
        if (auto sc = r.fields.get("Set-Cookie")) cookie_ = sc->substr(0, sc->find(';'));
    }
    if (v->what.empty()) {  // send the visit's own request
        const BrowserAction& a = v->action;
        http::Request req;
        if (a.kind == BrowserAction::Kind::Inbox) {
            req = base("GET", "/");
        } else if (a.kind == BrowserAction::Kind::Open) {
            req = base("GET", "/message/" + a.id);
        } else {
            std::string to;
            for (const auto& t : a.to) to += (to.empty() ? "" : ", ") + t;
            http::FormFields f{{"to", to}, {"subject", a.subject}, {"body", a.body}};
            if (!a.in_reply_to.empty()) f.emplace_back("in-reply-to", a.in_reply_to);
            req = form(base("POST", "/send"), f, config_.server_name);
        }
        v->what = req.method + " " + req.target;
        engine.send(now, std::move(req));
        engine.close(now);  // one visit, one connection
        v->link->pump();
        return;
    }
    v->answered = true;
    const std::string text = v->what + ": " + std::to_string(r.status) + " " + std::string(http::reason_phrase(r.status)) +
                             ", \u201c" + page_title(r.body) + "\u201d";
    if (r.status >= 400) {
        ++errors_;
        report("error", text);
    } else {
        ++pages_;
        report("page", text);
    }
}

}  // namespace postino::agents
