// pop3_server.hpp — the POP3 server agent (RFC 1939): listens on port 110
// of an MTA host and serves that host's mailbox store — the same store the
// MTA's local delivery writes into — one pop3::ServerEngine per connection.
//
// Each session authenticates against the store's accounts (USER/PASS, and
// APOP when enabled, with the account password as the shared secret), takes
// the per-mailbox lock of the store (RFC 1939 §4; a second session gets
// -ERR [IN-USE]), works on a snapshot numbered 1..n, and in UPDATE removes
// the marked messages from the store, each reported as a "mailbox" trace
// event with ev "deleted" (§6). Unique-ids are "<uidvalidity>.<uid>" of the
// store's folder, so they are stable across sessions and never reused
// (§7). A crash of the host ends every session without UPDATE.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agents/pop3_link.hpp"
#include "net/host.hpp"
#include "proto/pop3/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::agents {

inline constexpr std::uint16_t kPop3Port = 110;  // RFC 1939 §3

struct Pop3ServerConfig {
    std::string hostname;              // the greeting's host name
    std::vector<std::string> domains;  // local domains; the first names the mailboxes in trace events
    pop3::ServerConfig engine;         // hostname and session_tag are set per session
};

// The UIDL of a stored message (RFC 1939 §7): "<uidvalidity>.<uid>".
std::string pop3_uidl(const store::Folder& folder, const store::StoredMessage& m);

class Pop3Server {
public:
    Pop3Server(net::Host& host, store::MailStore& store, Pop3ServerConfig config);
    ~Pop3Server();
    Pop3Server(const Pop3Server&) = delete;
    Pop3Server& operator=(const Pop3Server&) = delete;

    void start();
    [[nodiscard]] std::uint64_t sessions() const { return next_session_ - 1; }

private:
    class Policy;
    void on_accept(const std::shared_ptr<net::TcpConnection>& c);
    [[nodiscard]] std::string domain() const;

    net::Host& host_;
    store::MailStore& store_;
    Pop3ServerConfig config_;
    std::uint64_t next_session_ = 1;
    std::map<std::uint64_t, std::shared_ptr<void>> sessions_;  // live sessions by session id
    std::uint64_t down_watch_ = 0;
};

}  // namespace postino::agents
