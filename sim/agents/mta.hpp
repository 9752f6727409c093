// mta.hpp — the mail transfer agent that runs on a simulated host: it
// receives mail over SMTP (port 25, and 587 for its own users' submission),
// keeps it in its spool, delivers local recipients into the mail store
// (with aliases), relays the rest to the next hop found by DNS MX (RFC 5321
// §5.1, with the A-record fallback), retries on temporary failures by its
// retry profile, and returns DSNs (RFC 3464) to the sender when delivery
// fails for good or the lifetime ends (DESIGN.md §2.5, §3).
//
// Everything it does is reported as trace events ("spool", "mailbox",
// "message", the SMTP "line"s through SmtpLink); the conservation check
// reads them back.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agents/aliases.hpp"
#include "agents/retry_profile.hpp"
#include "agents/smtp_link.hpp"
#include "agents/spool.hpp"
#include "net/host.hpp"
#include "net/resolver.hpp"
#include "proto/smtp/client_engine.hpp"
#include "proto/smtp/server_config.hpp"
#include "proto/smtp/server_engine.hpp"
#include "store/mail_store.hpp"

namespace postino::agents {

inline constexpr std::uint16_t kSmtpPort = 25;        // RFC 5321 §4.5.4.2
inline constexpr std::uint16_t kSubmissionPort = 587; // RFC 6409 §3.1
// Received: header count above which a message is taken to be looping
// (RFC 5321 §6.3 asks for a hop count; Postfix's hopcount_limit is 50).
inline constexpr int kDefaultMaxHops = 50;
// Messages one outbound session may carry (a bound of ours; Postfix's
// smtp_destination_recipient_limit plays a similar role).
inline constexpr std::size_t kMaxMessagesPerSession = 20;

struct MtaConfig {
    std::string hostname;                 // the MTA's name (greeting, Received:, Reporting-MTA)
    std::vector<std::string> domains;     // local domains (lower-case)
    AliasTable aliases;                   // full addresses
    RetryProfile profile;
    std::vector<net::Ip4> relay_clients;  // may relay to any domain (its user agents)
    smtp::ServerConfig server;
    smtp::ClientTimeouts client_timeouts;
    smtp::StartTls client_starttls = smtp::StartTls::Off;  // STARTTLS when relaying (RFC 3207)
    int max_hops = kDefaultMaxHops;
    std::string postmaster = "postmaster";  // local account that receives double bounces
    // Test-only planted bug (scenario key x-test-bug: delete-before-250): the
    // spool drops its copy once the content is sent, without waiting for the
    // 250 — the sweep must find the mail this loses.
    bool test_bug_delete_before_250 = false;
};

class Mta {
public:
    Mta(net::Host& host, net::dns::Resolver& resolver, store::MailStore& store, MtaConfig config);
    ~Mta();
    Mta(const Mta&) = delete;
    Mta& operator=(const Mta&) = delete;

    // Listens on 25 and 587 and follows crashes and restarts of the host.
    void start();

    [[nodiscard]] const Spool& spool() const { return spool_; }
    [[nodiscard]] const MtaConfig& config() const { return config_; }
    [[nodiscard]] bool is_local_domain(const std::string& domain) const;
    [[nodiscard]] net::Host& host() { return host_; }
    store::MailStore& store() { return store_; }

    // Puts a message in the spool (what a 250 after DATA means, RFC 5321
    // §6.1) and starts delivering it. Returns the queue id. `sender` "" is <>.
    std::string enqueue(const std::string& sender, const std::vector<std::string>& recipients, std::string content,
                        bool is_bounce = false, const std::string& dsn_for = {});

    // Injected SMTP faults (scenario faults `smtp-reply` and `drop-connection`):
    // answer `command` (CONNECT, MAIL, RCPT or DATA) with `decision` for the
    // next `times` sessions' commands (-1: while active); or drop the
    // connection after accepting a message, before the 250 is sent (the
    // RFC 1047 duplicate-delivery lesson).
    std::uint64_t add_reply_override(const std::string& command, smtp::Decision decision, int times);
    std::uint64_t add_drop_after_data(int times);
    // Drop the connection at a protocol stage (scenario fault
    // `drop-connection` with `stage`): "greeting" (before the 220), "mail",
    // "rcpt" (when that command arrives, before its reply), "mid-data" (in
    // the middle of the message content: the partial message is discarded,
    // RFC 5321 §4.1.1.4) or "after-data" (add_drop_after_data).
    std::uint64_t add_drop(const std::string& stage, int times);
    // Slow replies (scenario fault `slow-reply`): the reply to `command`
    // (CONNECT, MAIL, RCPT, DATA; "" for every reply) leaves `delay` late.
    std::uint64_t add_slow_reply(const std::string& command, Duration delay, int times);
    void remove_fault(std::uint64_t id);

    // The decision for RCPT TO (used by the SMTP policy): 250, or why not.
    smtp::Decision check_recipient(const mail::Mailbox& rcpt, net::Ip4 client) const;

private:
    void enqueue_with_id(const std::string& id, const std::string& sender, const std::vector<std::string>& recipients,
                         std::string content, bool is_bounce, const std::string& dsn_for);
    struct ServerConn;
    struct Delivery;
    class Policy;

    void on_accept(const std::shared_ptr<net::TcpConnection>& c, std::uint16_t port);
    void schedule(SpoolEntry& e, Time at);
    void attempt(const std::string& queue_id);
    void deliver_local(SpoolEntry& e);
    void start_remote(SpoolEntry& e, const std::string& domain);
    void resolved_mx(const std::string& queue_id, const std::string& domain, std::vector<std::string> hosts);
    void try_host(const std::shared_ptr<Delivery>& d);
    void finish_delivery(const std::shared_ptr<Delivery>& d);
    void finish_entry(const Delivery& d, const std::string& queue_id, const smtp::SessionResult& res,
                      const smtp::TransactionResult* txn);
    void join_waiting(Delivery& d);
    void retire(const std::shared_ptr<Delivery>& d);  // forget a finished delivery (one event later)
    void attempt_done(const std::string& queue_id);
    void fail_rcpts(SpoolEntry& e, const std::string& domain, bool permanent, const std::string& status,
                    const std::string& error);
    void bounce(SpoolEntry& e, const std::vector<std::size_t>& rcpts, bool delayed);
    void trace_spool(const char* ev, const SpoolEntry& e, const std::string& to = {}) const;
    trace::Event spool_event(const char* ev, const SpoolEntry& e) const;
    void on_host_down();
    void on_host_up();

    net::Host& host_;
    net::dns::Resolver& resolver_;
    store::MailStore& store_;
    MtaConfig config_;
    Spool spool_;
    Rng queue_rng_;
    Rng mx_rng_;
    Rng dsn_rng_;
    std::map<std::string, EventId> timers_;             // next attempt per queue id
    std::map<std::string, int> in_flight_;              // outstanding deliveries per queue id
    std::map<std::uint64_t, std::shared_ptr<void>> links_;  // live SMTP sessions by connection id
    struct InjectedFault {
        std::string command;  // CONNECT, MAIL, RCPT, DATA, DROP:<stage> or SLOW:<command>
        smtp::Decision decision;
        int remaining = -1;
        Duration delay{};     // SLOW:
    };
    // Consumes one use of a matching injected fault, if any.
    std::optional<smtp::Decision> injected(const std::string& command);
    bool take_drop_after_data();
    bool take_drop(const std::string& stage);
    Duration take_slow(const std::string& command);  // zero when none
    // The injected faults that act when `command` arrives (or at CONNECT):
    // a drop at that stage, then a delay of its reply.
    void stage_faults(const std::string& command, SmtpLink<smtp::ServerEngine>& link);
    std::map<std::uint64_t, InjectedFault> injected_;
    std::uint64_t next_injected_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Delivery>> deliveries_;  // outbound attempts in progress, by id
    std::uint64_t next_delivery_ = 1;
    std::uint64_t generation_ = 0;                      // bumped on crash: stale callbacks ignore themselves
    std::uint64_t down_watch_ = 0, up_watch_ = 0;
};

}  // namespace postino::agents
