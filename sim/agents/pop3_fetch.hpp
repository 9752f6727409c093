// pop3_fetch.hpp — a user agent's POP3 fetch (RFC 1939): opens a
// connection to port 110 of its mail server, logs in, and downloads its
// mail, either "download and delete" (RETR + DELE, removed at QUIT) or
// "leave on server" (RETR only the messages whose UIDL it has not seen in an
// earlier session; RFC 1939 §7). The unique-ids seen are kept per user
// across sessions.
//
// Every step is a "ua" trace event for the user: "fetch" (the session
// starts), "fetched" (one message, with its bytes, uidl and size),
// "fetch-done" (how many, and whether the deletions were committed), or
// "error" (wrong password, mailbox in use, server unreachable, connection
// lost). The POP3 lines themselves are traced by the Pop3Link.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agents/pop3_link.hpp"
#include "net/host.hpp"
#include "proto/pop3/client_engine.hpp"

namespace postino::agents {

struct FetchRequest {
    net::Ip4 server;
    std::string server_name;
    std::uint16_t port = 110;
    std::string user;  // the POP3 user name (the mailbox)
    std::string password;
    pop3::FetchMode mode = pop3::FetchMode::DownloadAndDelete;
    bool apop = false;
    // The client drops the connection after its last step instead of QUIT
    // (a client crash): the server never enters UPDATE.
    bool drop_before_quit = false;
};

class Pop3Fetcher {
public:
    explicit Pop3Fetcher(net::Host& host) : host_(host) {}
    void fetch(const FetchRequest& r);

    [[nodiscard]] int fetched() const { return fetched_; }
    [[nodiscard]] int errors() const { return errors_; }
    // Unique-ids already downloaded for a user (leave-on-server memory).
    [[nodiscard]] const std::set<std::string>& known(const std::string& user) { return known_[user]; }

private:
    using Link = Pop3Link<pop3::ClientEngine>;
    void report(const char* ev, const std::string& text, const pop3::FetchedEvent* m = nullptr);
    void finished(const std::shared_ptr<Link>& link, const FetchRequest& r, net::CloseReason reason);
    void report_result(const pop3::ClientResult& res, const FetchRequest& r, net::CloseReason reason);

    net::Host& host_;
    int fetched_ = 0;
    int errors_ = 0;
    std::map<std::string, std::set<std::string>> known_;
    std::vector<std::shared_ptr<Link>> links_;
};

}  // namespace postino::agents
