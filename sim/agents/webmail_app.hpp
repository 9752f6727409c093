// webmail_app.hpp — the webmail application: what a browser's HTTP request
// (already parsed by http::ServerEngine) asks for, and the HTML page that
// answers it. The same code runs in the simulator (webmail_server.hpp: IMAP
// to the mail store and SMTP submission to the MTA, over simulated TCP) and
// in `postino serve --http` (sim/wire: the Maildir store and the serve
// delivery path); only the Backend differs. Answers may come later than the
// request (the simulated backend waits for its IMAP and SMTP sessions), so
// every route replies through a callback.
//
// Routes: GET / (the inbox), GET /message/ID (one message: its header and
// MIME parts, text parts shown decoded, the others as links), GET
// /message/ID/part/N (a part's decoded content), GET /compose, POST /send
// (application/x-www-form-urlencoded: to, subject, body, in-reply-to),
// GET/POST /login, POST /logout. Login sets a session cookie (RFC 6265
// §4.1: HttpOnly, SameSite=Strict, Path=/); a POST whose Origin (RFC 6454
// §7) is not this host is refused (cross-site request forgery). The host
// says per request whether a password may be taken (plaintext HTTP only on
// loopback unless allowed: the webmail twin of RFC 2595 §2.1's rule).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "proto/http/message.hpp"

namespace postino::agents::webmail {

// One message of the inbox list.
struct Summary {
    std::string id;  // IMAP UID in decimal, or a Maildir unique name: [A-Za-z0-9._-]
    std::string from;
    std::string subject;
    std::string date;
    std::uint64_t size = 0;
    bool seen = false;
};

struct Credentials {
    std::string user;
    std::string password;
};

struct Outgoing {
    std::string from;  // the logged-in user's address
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::string in_reply_to;  // a Message-ID, or ""
};

// Where the mail is. Every call answers through its callback exactly once,
// now or later; the Result's error text is shown to the user.
class Backend {
public:
    virtual ~Backend() = default;
    // Checks the credentials; the user's address on success.
    virtual void login(const Credentials& c, std::function<void(Result<std::string>)> done) = 0;
    virtual void list(const Credentials& c, std::function<void(Result<std::vector<Summary>>)> done) = 0;
    // The whole message (RFC 5322 octets).
    virtual void message(const Credentials& c, const std::string& id, std::function<void(Result<std::string>)> done) = 0;
    // Submits; the server's answer ("queued as ...") on success.
    virtual void send(const Credentials& c, const Outgoing& m, std::function<void(Result<std::string>)> done) = 0;
};

// A summary from a message's header section (the Maildir backend's list).
Summary summarize(std::string id, std::string_view message, std::uint64_t size);
// True for an id the routes accept ([A-Za-z0-9._-], 1 to 128 octets).
bool valid_message_id(std::string_view id);

inline constexpr const char* kSessionCookie = "postino_session";
// Sessions kept at once (a bound of ours); the oldest goes first.
inline constexpr std::size_t kMaxSessions = 1024;
// Recipients of one compose form (a bound of ours, below RFC 5321 §4.5.3.1.8's 100).
inline constexpr std::size_t kMaxFormRecipients = 20;

struct AppConfig {
    std::string title = "Postino webmail";
    std::string host_name;  // shown in the page footer
};

class App {
public:
    // `new_token` gives a fresh unguessable session token each call (the
    // simulator draws it from a named RNG stream, serve from the OS).
    App(AppConfig config, Backend& backend, std::function<std::string()> new_token);

    using Reply = std::function<void(http::Response)>;
    // `password_ok`: this connection may carry a password (loopback, or allowed).
    void handle(const http::Request& request, bool password_ok, Reply reply);

    [[nodiscard]] std::size_t sessions() const;

private:
    struct Session {
        Credentials credentials;
        std::string address;
        std::uint64_t order = 0;
    };
    bool session_of(const http::Request& r, Session& out) const;
    void login(const http::Request& r, bool password_ok, const Reply& reply);
    void logout(const http::Request& r, const Reply& reply);
    void inbox(const Session& s, const std::string& notice, const Reply& reply);
    void message(const Session& s, const std::string& id, const Reply& reply);
    void part(const Session& s, const std::string& id, const std::string& path, const Reply& reply);
    void send(const Session& s, const http::Request& r, const Reply& reply);

    AppConfig config_;
    Backend& backend_;
    std::function<std::string()> new_token_;
    mutable std::mutex mutex_;  // serve calls from several threads
    std::map<std::string, Session> sessions_;
    std::uint64_t next_order_ = 1;
};

}  // namespace postino::agents::webmail
