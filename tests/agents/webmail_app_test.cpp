// webmail_app_test.cpp — the webmail application (sim/agents/webmail_app.*)
// over a scripted backend: login and the session cookie (RFC 6265 §4.1),
// the inbox, a message page with its MIME parts (text decoded, attachment
// as a link, nothing from the message rendered as HTML), a part download,
// the compose form, cross-site POSTs refused (RFC 6454 §7), and routes
// that do not exist.
#include <catch2/catch.hpp>

#include "agents/browser.hpp"
#include "agents/webmail_app.hpp"
#include "proto/http/form.hpp"

using namespace postino;
using namespace postino::agents::webmail;

namespace {
struct FakeBackend final : Backend {
    std::vector<Outgoing> sent;
    void login(const Credentials& c, std::function<void(Result<std::string>)> done) override {
        if (c.user == "bob" && c.password == "secret") return done(std::string("bob@b.example"));
        done(Error{"LOGIN refused", ""});
    }
    void list(const Credentials&, std::function<void(Result<std::vector<Summary>>)> done) override {
        done(std::vector<Summary>{Summary{"7", "Alice <alice@a.example>", "<script>alert(1)</script>", "", 2048, false}});
    }
    void message(const Credentials&, const std::string& id, std::function<void(Result<std::string>)> done) override {
        if (id != "7") return done(Error{"no such message", ""});
        done(std::string(
            "From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: =?UTF-8?Q?Il_francobollo_=C3=A8?=\r\n"
            "Message-ID: <m1@a.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            "--b\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            "Ciao <b>Bob</b>, =C3=A8 bello.\r\n--b\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=stamp.png\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"));
    }
    void send(const Credentials&, const Outgoing& m, std::function<void(Result<std::string>)> done) override {
        sent.push_back(m);
        done(std::string("handed to mx.b.example: Ok: queued as Q1"));
    }
};

struct Fixture {
    FakeBackend backend;
    int tokens = 0;
    App app{AppConfig{"Postino webmail", "web.example"}, backend, [this] { return "tok" + std::to_string(++tokens); }};
    http::Response call(const std::string& method, const std::string& target, const std::string& body = {},
                        const std::string& cookie = {}, const std::string& origin = {}, bool password_ok = true) {
        http::Request r;
        r.method = method;
        r.target = target;
        r.fields.add("Host", "web.example");
        if (!cookie.empty()) r.fields.add("Cookie", cookie);
        if (!origin.empty()) r.fields.add("Origin", origin);
        r.body = body;
        http::Response out;
        bool answered = false;
        app.handle(r, password_ok, [&](http::Response resp) {
            out = std::move(resp);
            answered = true;
        });
        REQUIRE(answered);
        return out;
    }
    std::string login() {
        auto r = call("POST", "/login", "user=bob&password=secret");
        REQUIRE(r.status == 303);
        auto sc = r.fields.get("Set-Cookie");
        REQUIRE(sc);
        CHECK(sc->find("HttpOnly") != std::string::npos);
        CHECK(sc->find("SameSite=Strict") != std::string::npos);
        return sc->substr(0, sc->find(';'));
    }
};
}  // namespace

TEST_CASE("webmail app: login, inbox, message, part, send", "[webmail]") {
    Fixture f;
    CHECK(f.call("GET", "/").status == 303);
    CHECK(f.call("GET", "/").fields.get("Location") == "/login");
    CHECK(f.call("POST", "/login", "user=bob&password=wrong").status == 401);
    CHECK(f.call("POST", "/login", "user=bob&password=secret", "", "", false).status == 403);
    const std::string cookie = f.login();
    CHECK(f.app.sessions() == 1);

    auto inbox = f.call("GET", "/", "", cookie);
    CHECK(inbox.status == 200);
    CHECK(inbox.fields.get("Content-Type") == "text/html; charset=utf-8");
    CHECK(agents::page_title(inbox.body) == "Inbox — Postino webmail");
    CHECK(inbox.body.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    CHECK(inbox.body.find("<script>") == std::string::npos);
    CHECK(inbox.body.find("href=\"/message/7\"") != std::string::npos);

    auto msg = f.call("GET", "/message/7", "", cookie);
    CHECK(msg.status == 200);
    CHECK(agents::page_title(msg.body) == "Il francobollo è — Postino webmail");
    CHECK(msg.body.find("Ciao &lt;b&gt;Bob&lt;/b&gt;, è bello.") != std::string::npos);  // QP decoded, escaped
    CHECK(msg.body.find("href=\"/message/7/part/2\"") != std::string::npos);
    CHECK(msg.body.find("stamp.png") != std::string::npos);
    CHECK(msg.body.find("value=\"Re: Il francobollo è\"") != std::string::npos);
    CHECK(msg.body.find("value=\"alice@a.example\"") != std::string::npos);
    CHECK(msg.body.find("value=\"&lt;m1@a.example&gt;\"") != std::string::npos);

    auto part = f.call("GET", "/message/7/part/2", "", cookie);
    CHECK(part.status == 200);
    CHECK(part.fields.get("Content-Type") == "image/png");
    CHECK(part.fields.get("Content-Security-Policy") == "sandbox");
    CHECK(part.body == std::string("\x89PNG\r\n\x1a\n", 8));
    CHECK(f.call("GET", "/message/7/part/9", "", cookie).status == 404);
    CHECK(f.call("GET", "/message/8", "", cookie).status == 404);
    CHECK(f.call("GET", "/message/..%2f", "", cookie).status == 400);  // a dot segment (RFC 3986 §3.3)
    CHECK(f.call("GET", "/message/a%2fb", "", cookie).status == 404);

    auto sent = f.call("POST", "/send", "to=Alice+%3Calice%40a.example%3E%2C+carol%40c.example&subject=Re%3A+Hi&body=Grazie&in-reply-to=%3Cm1%40a.example%3E",
                       cookie, "http://web.example");
    CHECK(sent.status == 200);
    REQUIRE(f.backend.sent.size() == 1);
    CHECK(f.backend.sent[0].from == "bob@b.example");
    CHECK(f.backend.sent[0].to == std::vector<std::string>{"alice@a.example", "carol@c.example"});
    CHECK(f.backend.sent[0].subject == "Re: Hi");
    CHECK(f.backend.sent[0].in_reply_to == "<m1@a.example>");
    CHECK(agents::page_title(sent.body) == "Message sent — Postino webmail");

    SECTION("a form from another site is refused") {
        CHECK(f.call("POST", "/send", "to=x%40y.example", cookie, "http://evil.example").status == 403);
        CHECK(f.backend.sent.size() == 1);
    }
    SECTION("bad forms and addresses are 400") {
        CHECK(f.call("POST", "/send", "to=%zz", cookie).status == 400);
        CHECK(f.call("POST", "/send", "to=nobody", cookie).status == 400);
        CHECK(f.call("POST", "/send", "subject=x", cookie).status == 400);
    }
    SECTION("routes and methods") {
        CHECK(f.call("GET", "/nothing", "", cookie).status == 404);
        auto r = f.call("DELETE", "/", "", cookie);
        CHECK(r.status == 405);
        CHECK(r.fields.get("Allow") == "GET, HEAD");
        CHECK(f.call("GET", "/send", "", cookie).status == 405);
        CHECK(f.call("GET", "/compose", "", cookie).body.find("action=\"/send\"") != std::string::npos);
    }
    SECTION("logout ends the session") {
        CHECK(f.call("POST", "/logout", "", cookie).status == 303);
        CHECK(f.call("GET", "/", "", cookie).status == 303);
        CHECK(f.app.sessions() == 0);
    }
}

TEST_CASE("webmail summaries from a header section", "[webmail]") {
    auto s = summarize("1796299573.M1P2Q000001", "From: =?UTF-8?Q?Andr=C3=A9?= <a@a.example>\r\nSubject: Ciao\r\nDate: Mon, 1 Jan 2024 00:00:01 +0000\r\n\r\nbody", 99);
    CHECK(s.from == "André <a@a.example>");
    CHECK(s.subject == "Ciao");
    CHECK(s.date == "Mon, 1 Jan 2024 00:00:01 +0000");
    CHECK(valid_message_id(s.id));
    CHECK_FALSE(valid_message_id("../x"));
    CHECK_FALSE(valid_message_id(".hidden"));
}
