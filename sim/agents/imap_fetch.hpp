// imap_fetch.hpp — a user agent's IMAP session (RFC 3501): connects to port
// 143 of its mail server, logs in, selects INBOX, reads the headers
// (ENVELOPE) and structure of every message, then only what it needs — the
// first text part, or the whole message — and may move or delete what it
// read. The messages stay on the server unless moved or deleted.
//
// Every step is a "ua" trace event for the user: "fetch" (the session
// starts), "fetched" (one message: its subject and sender from ENVELOPE, the
// part read and its octets, against the message's full size), "fetch-done"
// (how many, and the octets moved compared with what POP3 would have
// downloaded), or "error". The IMAP lines are traced by the ImapClientLink.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agents/imap_link.hpp"
#include "net/host.hpp"
#include "proto/imap/client_engine.hpp"

namespace postino::agents {

struct ImapFetchRequest {
    net::Ip4 server;
    std::string server_name;
    std::uint16_t port = 143;
    imap::ClientConfig client;
};

class ImapFetcher {
public:
    explicit ImapFetcher(net::Host& host) : host_(host) {}
    void fetch(const ImapFetchRequest& r);
    [[nodiscard]] int fetched() const { return fetched_; }
    [[nodiscard]] int errors() const { return errors_; }

private:
    void report(const char* ev, const std::string& text, const imap::ClientMessage* m = nullptr);
    void finished(const std::shared_ptr<ImapClientLink>& link, const ImapFetchRequest& r, net::CloseReason reason);

    net::Host& host_;
    int fetched_ = 0;
    int errors_ = 0;
    std::vector<std::shared_ptr<ImapClientLink>> links_;
};

}  // namespace postino::agents
