// browser.hpp — a scriptable simulated web browser (the course's third way
// to read mail, DESIGN.md §3): it speaks HTTP/1.1 (RFC 9112) to a webmail
// server on port 80. Each visit opens a connection, logs in first when it
// has no session cookie yet (POST /login, keeping the Set-Cookie of the
// answer, RFC 6265 §5.2), then sends its request — GET / (the inbox), GET
// /message/ID, or POST /send with a form (application/x-www-form-urlencoded,
// with Origin as browsers send it, RFC 6454 §7) — and closes.
//
// What the user sees is a "ua" trace event per page: ev "page" with the
// status and the page's <title> ("GET /message/1: 200 OK, “Ciao Bob —
// Postino webmail”"), or "error" (the server unreachable, a login refused, a
// 4xx/5xx page). The HTTP lines are traced by the HttpClientLink.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agents/http_link.hpp"
#include "net/host.hpp"
#include "proto/http/message.hpp"

namespace postino::agents {

struct BrowserConfig {
    std::string user;      // the login name
    std::string password;
    net::Ip4 server;       // the webmail host
    std::string server_name;
    std::uint16_t port = kHttpPort;
};

// One thing the user does.
struct BrowserAction {
    enum class Kind : std::uint8_t { Inbox, Open, Send };
    Kind kind = Kind::Inbox;
    std::string id;  // Open: the message id (the IMAP UID)
    // Send: the compose form.
    std::vector<std::string> to;
    std::string subject, body, in_reply_to;
};

class Browser {
public:
    Browser(net::Host& host, BrowserConfig config) : host_(host), config_(std::move(config)) {}
    void visit(const BrowserAction& a);
    [[nodiscard]] int pages() const { return pages_; }
    [[nodiscard]] int errors() const { return errors_; }
    [[nodiscard]] const std::string& cookie() const { return cookie_; }

private:
    struct Visit;
    void on_response(const std::shared_ptr<Visit>& v, const http::Response& r);
    void report(const char* ev, const std::string& text);
    http::Request base(std::string method, std::string target) const;

    net::Host& host_;
    BrowserConfig config_;
    std::string cookie_;  // "postino_session=..." once logged in
    int pages_ = 0;
    int errors_ = 0;
    std::uint64_t next_visit_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Visit>> visits_;
};

// The text of a page's <title>, character references for & < > " ' undone.
std::string page_title(const std::string& html);

}  // namespace postino::agents
