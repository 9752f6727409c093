// codec_test.cpp — the HTTP/1.1 readers, writers and form helpers beyond
// the goldens: the size bounds of limits.hpp (RFC 9112 §3, RFC 9110 §5.4,
// §15.5.14), the client engine's response reading (RFC 9112 §4, §6.3; RFC
// 9110 §9.3.2, §15.2) fed whole, one octet at a time and at seeded random
// points, the engine pair, and urlencoded forms, targets and cookies.
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "proto/http/client_engine.hpp"
#include "proto/http/form.hpp"
#include "proto/http/server_engine.hpp"

using namespace postino;
using namespace postino::http;

namespace {
std::vector<std::string> pieces(const std::string& s, int how, std::uint64_t seed) {
    std::vector<std::string> out;
    if (how == 0) return {s};
    Rng rng(seed);
    std::size_t p = 0;
    while (p < s.size()) {
        const std::size_t n = how == 1 ? 1 : static_cast<std::size_t>(rng.uniform_int(1, 29));
        out.push_back(s.substr(p, n));
        p += n;
    }
    return out;
}

// Feeds a server engine; returns the status of its first response and whether it closed.
std::pair<int, bool> serve_once(const std::string& input) {
    ServerEngine e;
    e.start(Time{});
    e.handle_bytes(Time{}, input);
    int status = 0;
    bool closed = false;
    while (auto ev = e.poll_event()) {
        if (std::get_if<RequestEvent>(&*ev)) {
            Response r;
            r.body = "ok";
            e.respond(Time{}, r);
        }
        if (const auto* r = std::get_if<ResponseEvent>(&*ev); r && status == 0) status = r->response.status;
        if (std::get_if<CloseEvent>(&*ev)) closed = true;
    }
    return {status, closed};
}

std::vector<Response> read_responses(const std::string& wire, int how, std::uint64_t seed, const std::string& method = "GET",
                                     int requests = 1, bool close_at_end = false) {
    ClientEngine c;
    c.start(Time{});
    for (int i = 0; i < requests; ++i) {
        Request r;
        r.method = method;
        r.target = "/";
        r.fields.add("Host", "web.example");
        c.send(Time{}, r);
    }
    (void)c.poll_output();
    std::vector<Response> out;
    auto drain = [&] {
        while (auto ev = c.poll_event()) {
            if (const auto* r = std::get_if<ResponseEvent>(&*ev); r && !r->interim) out.push_back(r->response);
        }
    };
    for (const auto& p : pieces(wire, how, seed)) {
        c.handle_bytes(Time{}, p);
        drain();
    }
    if (close_at_end) c.handle_closed(Time{});
    drain();
    return out;
}
}  // namespace

TEST_CASE("http limits: request line, head size and field count", "[http]") {
    SECTION("a request line over 8000 octets is 414 (RFC 9112 §3)") {
        const auto [status, closed] = serve_once("GET /" + std::string(kMaxRequestLineOctets, 'a') + " HTTP/1.1\r\n");
        CHECK(status == 414);
        CHECK(closed);
    }
    SECTION("a request line of 7990 octets is read") {
        const std::string target = "/" + std::string(kMaxRequestLineOctets - 20, 'a');
        const auto [status, closed] = serve_once("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
        CHECK(status == 200);
        CHECK_FALSE(closed);
    }
    SECTION("a head over 64 KiB is 431 (RFC 9110 §5.4, RFC 6585 §5)") {
        std::string in = "GET / HTTP/1.1\r\nHost: h\r\n";
        for (int i = 0; i < 40; ++i) in += "X-F" + std::to_string(i) + ": " + std::string(2000, 'v') + "\r\n";
        CHECK(serve_once(in).first == 431);
    }
    SECTION("more than 100 field lines is 431") {
        std::string in = "GET / HTTP/1.1\r\nHost: h\r\n";
        for (std::size_t i = 0; i < kMaxFieldLines; ++i) in += "X-F: 1\r\n";
        CHECK(serve_once(in + "\r\n").first == 431);
    }
    SECTION("a body over the bound is 413 before it arrives (RFC 9110 §15.5.14)") {
        CHECK(serve_once("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + std::to_string(kMaxRequestBodyOctets + 1) +
                         "\r\n\r\n").first == 413);
    }
    SECTION("a CR not followed by LF, and a NUL, are 400 (RFC 9112 §2.2)") {
        CHECK(serve_once("GET / HTTP/1.1\rHost: h\r\n\r\n").first == 400);
        CHECK(serve_once(std::string("GET / HTTP/1.1\r\nHost: h\0\r\n\r\n", 27)).first == 400);
    }
    SECTION("a control octet in a field value is 400 (RFC 9110 §5.5)") {
        CHECK(serve_once("GET / HTTP/1.1\r\nHost: h\x01\r\n\r\n").first == 400);
    }
    SECTION("a target with a space or 8-bit octet is 400 (RFC 9112 §3.2)") {
        CHECK(serve_once("GET /a\xC3\xA9 HTTP/1.1\r\nHost: h\r\n\r\n").first == 400);
        CHECK(serve_once("GET a HTTP/1.1\r\nHost: h\r\n\r\n").first == 400);
    }
    SECTION("a method longer than any implemented is 501 (RFC 9110 §9.1)") {
        CHECK(serve_once("ABCDEFGHIJKLMNOPQ / HTTP/1.1\r\nHost: h\r\n\r\n").first == 501);
    }
}

TEST_CASE("http errors name the octet, the rule and the RFC section", "[http]") {
    RequestReader r;
    const std::string in = "GET / HTTP/1.1\r\nHost : x\r\n\r\n";
    REQUIRE(r.read(in).kind == ReadKind::Error);
    CHECK(r.error().kind == ErrorKind::SpaceBeforeColon);
    CHECK(r.error().offset == 16);
    CHECK(r.error().message() == "at octet 16: whitespace between the field name and the colon (RFC 9112 §5.1): 'Host :'");
    CHECK(r.error().status() == 400);
}

TEST_CASE("http client engine reads responses split anywhere", "[http]") {
    const std::string two =
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello"
        "HTTP/1.1 303 See Other\r\nLocation: /\r\nContent-Length: 0\r\n\r\n";
    for (int how = 0; how < 3; ++how) {
        for (std::uint64_t seed = 1; seed <= (how == 2 ? 8u : 1u); ++seed) {
            INFO("how " << how << " seed " << seed);
            const auto rs = read_responses(two, how, seed, "GET", 2);
            REQUIRE(rs.size() == 2);
            CHECK(rs[0].status == 200);
            CHECK(rs[0].body == "hello");
            CHECK(rs[0].fields.get("content-type") == "text/html");
            CHECK(rs[1].status == 303);
            CHECK(rs[1].fields.get("Location") == "/");
        }
    }
    SECTION("100 Continue is interim (RFC 9110 §15.2)") {
        const auto rs = read_responses("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", 1, 1);
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].status == 204);
    }
    SECTION("the response to HEAD has no content (RFC 9110 §9.3.2)") {
        const auto rs = read_responses("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n", 0, 1, "HEAD");
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].body.empty());
    }
    SECTION("no Content-Length: the body ends at the close (RFC 9112 §6.3 item 8)") {
        const auto rs = read_responses("HTTP/1.0 200 OK\r\n\r\nto the end", 1, 1, "GET", 1, true);
        REQUIRE(rs.size() == 1);
        CHECK(rs[0].body == "to the end");
    }
    SECTION("a malformed status line ends the connection") {
        ClientEngine c;
        c.start(Time{});
        Request r;
        r.method = "GET";
        r.target = "/";
        c.send(Time{}, r);
        c.handle_bytes(Time{}, "HTTP/1.1 2OO OK\r\n\r\n");
        CHECK(c.closed());
        CHECK(c.failure().find("malformed response") == 0);
    }
    SECTION("no response within the timeout") {
        ClientEngine c;
        c.start(Time{});
        Request r;
        r.method = "GET";
        r.target = "/";
        c.send(Time{}, r);
        REQUIRE(c.next_deadline());
        c.handle_timeout(*c.next_deadline());
        CHECK(c.closed());
        CHECK(c.failure() == "no response in 1m");
    }
}

TEST_CASE("http engine pair: client and server engines talk", "[http]") {
    ClientEngine c;
    ServerEngine s;
    c.start(Time{});
    s.start(Time{});
    Request post;
    post.method = "POST";
    post.target = "/send";
    post.fields.add("Host", "web.example").add("Content-Type", "application/x-www-form-urlencoded");
    post.body = encode_form({{"to", "alice@a.example"}, {"body", "Ciao & a presto!"}});
    c.send(Time{}, post);
    c.close(Time{});
    std::vector<Response> got;
    for (int round = 0; round < 10 && !c.closed(); ++round) {
        s.handle_bytes(Time{}, c.poll_output());
        while (auto ev = s.poll_event()) {
            if (const auto* r = std::get_if<RequestEvent>(&*ev)) {
                auto form = parse_form(r->request.body);
                REQUIRE(form.ok());
                Response resp;
                resp.body = "sent to " + form_value(*form, "to").value_or("?") + ": " + form_value(*form, "body").value_or("?");
                s.respond(Time{}, resp);
            }
        }
        c.handle_bytes(Time{}, s.poll_output());
        while (auto ev = c.poll_event()) {
            if (const auto* r = std::get_if<ResponseEvent>(&*ev)) got.push_back(r->response);
        }
    }
    REQUIRE(got.size() == 1);
    CHECK(got[0].body == "sent to alice@a.example: Ciao & a presto!");
    CHECK(got[0].fields.get("Server") == "Postino");
    CHECK(c.closed());
    CHECK(c.failure() == "done");
}

TEST_CASE("http forms, targets and cookies", "[http]") {
    auto f = parse_form("to=bob%40b.example&subject=Re%3A+Ciao&body=riga+1%0D%0Ariga+2&empty=&flag");
    REQUIRE(f.ok());
    CHECK(form_value(*f, "to") == "bob@b.example");
    CHECK(form_value(*f, "subject") == "Re: Ciao");
    CHECK(form_value(*f, "body") == "riga 1\r\nriga 2");
    CHECK(form_value(*f, "empty") == "");
    CHECK(form_value(*f, "flag") == "");
    CHECK_FALSE(form_value(*f, "none"));
    CHECK_FALSE(parse_form("a=%G1").ok());
    CHECK_FALSE(parse_form("a=%4").ok());
    CHECK(encode_form({{"subject", "è & ok"}}) == "subject=%C3%A8+%26+ok");
    CHECK(*parse_form(encode_form({{"x", "a+b=c&d%"}})) == FormFields{{"x", "a+b=c&d%"}});

    auto t = split_target("/message/12?part=1.2");
    REQUIRE(t.ok());
    CHECK(t->path == "/message/12");
    CHECK(t->query == "part=1.2");
    CHECK(split_target("http://web.example/a%20b")->path == "/a b");
    CHECK(split_target("http://web.example")->path == "/");
    CHECK_FALSE(split_target("/a/../b").ok());
    CHECK_FALSE(split_target("/a/%2e%2e/b").ok());
    CHECK_FALSE(split_target("/a%00").ok());
    CHECK_FALSE(split_target("*").ok());

    CHECK(cookie_value("a=1; postino_session=xyz; b=2", "postino_session") == "xyz");
    CHECK(cookie_value("postino_session=\"q\"", "postino_session") == "q");
    CHECK_FALSE(cookie_value("xpostino_session=1", "postino_session"));
    CHECK(html_escape("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}
