// outbound.hpp — the outbound relay of `postino serve`: mail that
// authenticated submitters send to domains that are not local is kept in a
// durable queue (DIR/spool/outbound/<id>), delivered by an SMTP client
// session (the simulator's smtp::ClientEngine over an Asio socket) to the
// host the config's static route names for the domain, and retried with a
// retry profile (agents/retry_profile.hpp) until it is delivered or its
// lifetime ends; failed recipients are returned to the sender as a DSN
// (RFC 3464, built by the message library) delivered into the sender's
// Maildir. When an attempt for a domain is due, the other messages waiting
// for that domain go in the same session (up to kMaxMessagesPerSession, as
// in the simulated MTA). The per-recipient decisions (2yz sent, 5yz bounced, else retry)
// and the bounce draft are the simulated MTA's (agents/delivery_outcome.hpp).
//
// RFC 5321 §4.5.4.1 (retry strategy, give up after the lifetime), §6.1 (an
// accepted message is delivered or returned; never lost), §4.4 (Received:),
// §3.6.2 and §5 (here: static routes instead of MX lookups), RFC 3464 (DSN).
//
// File format (one entry per file; rewritten durably after every attempt):
//   postino-outbound 1\n
//   from <reverse-path or empty>\n
//   deposit <unix ns>\n
//   attempts <n>\n
//   next <unix ns>\n
//   retry <failures> <rule> <last interval ns>\n
//   rcpt <address> <status or -> <last error or ->\n    (pending recipients)
//   \n
//   <message octets>
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "agents/spool.hpp"
#include "core/result.hpp"
#include "core/rng.hpp"
#include "proto/smtp/client_result.hpp"
#include "wire/asio.hpp"
#include "wire/clock.hpp"
#include "wire/maildir_store.hpp"
#include "wire/serve_config.hpp"
#include "wire/session.hpp"
#include "wire/trace_log.hpp"

namespace postino::wire {

// A TCP connect that takes longer is a temporary failure (a bound of ours;
// RFC 5321 §4.5.3.2 gives the greeting 5 minutes once connected).
inline constexpr std::chrono::seconds kConnectTimeout{30};

std::string encode_outbound(const agents::SpoolEntry& e);
Result<agents::SpoolEntry> decode_outbound(const std::string& id, const std::string& bytes);

class Outbound {
public:
    // `deliver_local(account, name, bytes)`: a DSN into a local Maildir.
    Outbound(const ServeConfig& config, MaildirStore& store, TraceLog& trace, std::function<void(std::string)> log,
             asio::io_context& io, const WallClock& clock);

    // Creates DIR/spool/outbound/ and loads what a previous run left there.
    Status open();
    [[nodiscard]] std::size_t recovered() const { return recovered_; }
    // Any thread: writes the entry durably (before the 250, RFC 5321 §6.1)
    // and wakes the queue runner.
    Status put(agents::SpoolEntry e);
    // Removes an entry put() wrote (the local half of the message failed).
    void drop(const std::string& id);
    void start();
    // Any thread: no new attempts; sessions in flight are ended, their mail stays queued.
    void stop();
    [[nodiscard]] bool has_route(const std::string& domain) const;

    // Unix time as the spool's Time (nanoseconds since 1970).
    static Time unix_time_now();

private:
    asio::awaitable<void> run_queue();
    // One SMTP session to the domain's route carrying every message in `ids`
    // (RFC 5321 §3.3: several transactions per session).
    asio::awaitable<void> attempt(std::vector<std::string> ids, std::string domain);
    // `txn`: the result of this message's transaction in the session (null when it never started).
    void finish(const std::string& id, const std::string& domain, const smtp::SessionResult& res,
                const smtp::TransactionResult* txn, const std::string& host);
    void bounce(agents::SpoolEntry& e, const std::vector<std::size_t>& rcpts);
    Status save(const agents::SpoolEntry& e);
    void remove_entry(const std::string& id);
    void wake();
    void trace_spool(const char* ev, const agents::SpoolEntry& e, const std::string& to = {});

    const ServeConfig& config_;
    MaildirStore& store_;
    TraceLog& trace_;
    std::function<void(std::string)> log_;
    asio::io_context& io_;
    const WallClock& clock_;
    asio::strand<asio::io_context::executor_type> strand_;
    asio::steady_timer timer_;
    std::string dir_, tmp_;
    std::mutex mutex_;  // entries_, in_flight_, rng_, sessions_
    std::map<std::string, agents::SpoolEntry> entries_;
    std::set<std::pair<std::string, std::string>> in_flight_;  // (queue id, domain)
    std::map<std::uint64_t, std::weak_ptr<Stoppable>> sessions_;
    Rng rng_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> next_conn_{1'000'000};  // trace conn ids of client sessions
    std::atomic<std::uint64_t> dsn_counter_{0};
    std::size_t recovered_ = 0;
};

}  // namespace postino::wire
