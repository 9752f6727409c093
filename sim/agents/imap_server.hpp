// imap_server.hpp — the IMAP server agent (RFC 3501): listens on port 143 of
// an MTA host and serves that host's mailbox store — the same store the
// MTA's local delivery and the POP3 server use — one imap::ServerEngine per
// connection, all sharing one store adapter (imap_mailstore.hpp), so a
// change one session makes reaches the others at the moments RFC 3501
// §7.4.1 allows, and a session in IDLE (RFC 2177) hears of it at once.
//
// Deliveries by the MTA do not go through the adapter; while some session
// idles the server looks at the store every kIdlePoll of simulated time and
// wakes the sessions when a folder changed. A crash of the host ends every
// session. Each line is traced ("line", proto "imap") by the ImapLink; each
// change to a message (flags, expunge, copy, append) as a "mailbox" event
// naming the account's address at the host's first domain.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agents/imap_link.hpp"
#include "agents/imap_mailstore.hpp"
#include "net/host.hpp"
#include "proto/imap/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::agents {

inline constexpr std::uint16_t kImapPort = 143;  // RFC 3501 §2.1
// How often an idling session's folders are compared with the store (a
// choice of ours: simulated time, so it costs nothing real).
inline constexpr Duration kIdlePoll = seconds(1);

struct ImapServerConfig {
    std::string hostname;
    imap::ServerConfig engine;         // hostname is set from `hostname`
    std::vector<std::string> domains;  // the MTA's domains: the first names the accounts' addresses in the trace
};

class ImapServer {
public:
    ImapServer(net::Host& host, store::MailStore& store, ImapServerConfig config);
    ~ImapServer();
    ImapServer(const ImapServer&) = delete;
    ImapServer& operator=(const ImapServer&) = delete;

    void start();
    [[nodiscard]] std::uint64_t sessions() const { return next_session_ - 1; }
    [[nodiscard]] ImapMailStore& adapter() { return adapter_; }

private:
    using Link = ImapLink;
    void on_accept(const std::shared_ptr<net::TcpConnection>& c);
    void wake_all();
    void arm_poll();
    [[nodiscard]] std::uint64_t store_fingerprint() const;

    net::Host& host_;
    store::MailStore& store_;
    ImapServerConfig config_;
    ImapMailStore adapter_;
    std::uint64_t next_session_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Link>> sessions_;
    std::uint64_t down_watch_ = 0;
    EventId poll_;
    std::uint64_t last_fingerprint_ = 0;
    bool waking_ = false;
};

}  // namespace postino::agents
