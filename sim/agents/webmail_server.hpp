// webmail_server.hpp — the simulated webmail server (DESIGN.md §3:
// "the browser speaks HTTP to a webmail server, which speaks IMAP and SMTP
// behind it"). It listens on port 80 (RFC 9110 §4.2.1), runs one
// http::ServerEngine per connection and the webmail App (webmail_app.hpp)
// over a backend that opens, for every page, an IMAP session (RFC 3501) to
// the user's mail server with the user's own credentials — LOGIN, SELECT
// INBOX, UID FETCH of ENVELOPE and BODYSTRUCTURE (the inbox), or of one
// message's BODY[] (a message page), LOGOUT — and submits composed mail
// over SMTP (RFC 6409, port 587) to its MTA as a user agent would. So one
// click in the browser shows in the trace as HTTP, then IMAP or SMTP, then
// HTTP again. Session tokens come from the host's own RNG stream.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "agents/http_link.hpp"
#include "agents/user_agent.hpp"
#include "agents/webmail_app.hpp"
#include "core/rng.hpp"
#include "net/host.hpp"
#include "proto/imap/client_engine.hpp"
#include "agents/imap_link.hpp"

namespace postino::agents {

struct WebmailServerConfig {
    std::string hostname;
    net::Ip4 imap_server;  // the mail store (port 143)
    std::string imap_name;
    std::uint16_t imap_port = 143;
    net::Ip4 submit_server;  // where composed mail goes (port 587)
    std::string submit_name;
    std::uint16_t submit_port = 587;
    std::string domain;  // a user "bob" is bob@<domain>
};

class WebmailServer final : public webmail::Backend {
public:
    WebmailServer(net::Host& host, WebmailServerConfig config);
    ~WebmailServer() override;
    WebmailServer(const WebmailServer&) = delete;
    WebmailServer& operator=(const WebmailServer&) = delete;

    void start();
    [[nodiscard]] std::uint64_t connections() const { return next_conn_ - 1; }

    void login(const webmail::Credentials& c, std::function<void(Result<std::string>)> done) override;
    void list(const webmail::Credentials& c, std::function<void(Result<std::vector<webmail::Summary>>)> done) override;
    void message(const webmail::Credentials& c, const std::string& id, std::function<void(Result<std::string>)> done) override;
    void send(const webmail::Credentials& c, const webmail::Outgoing& m, std::function<void(Result<std::string>)> done) override;

private:
    void on_accept(const std::shared_ptr<net::TcpConnection>& c);
    // One IMAP session; `done` gets its result when the connection is over.
    void imap(imap::ClientConfig cc, const std::function<void(const imap::ClientResult&, bool reached)>& done);

    net::Host& host_;
    WebmailServerConfig config_;
    Rng rng_;
    webmail::App app_;
    UserAgent submitter_;
    std::uint64_t next_conn_ = 1;
    std::map<std::uint64_t, std::shared_ptr<HttpServerLink>> sessions_;
    std::uint64_t next_imap_ = 1;
    std::map<std::uint64_t, std::shared_ptr<ImapClientLink>> imap_links_;
};

}  // namespace postino::agents
