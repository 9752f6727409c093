// sweep_checks.hpp — two trace sinks of `postino sweep` (docs/sweep.md):
//
// - ProtocolViolationCheck: the protocol-violation invariant. Every
//   violation an engine reports about Postino's own peer counts, except an
//   abrupt end of a connection that an injected fault explains. A server
//   engine reports a connection that ends without QUIT (RFC 5321 §3.8) or
//   inside DATA (RFC 5321 §4.1.1.4). That is expected when the transport
//   failed — the host's TCP gave up retransmitting (timed out, RFC 9293
//   §3.8.3) or the peer's stack answered with RST (it crashed and restarted
//   and no longer knows the connection, RFC 9293 §3.5.2) — while a fault that
//   breaks connections (host-down, link-down, link loss, drop-connection) hit
//   one of the connection's two hosts during its life. Such violations are
//   counted apart and reported, not failures. So is a close (FIN) by a
//   client that gave up waiting (RFC 5321 §4.5.3.2) for replies the server
//   sent and it never received. A FIN without QUIT from a client that had
//   every reply, or any violation on a connection no fault touched, counts.
// - RetransmissionCheck: the messages a server accepted more often than its
//   client learned (the 250 after the final dot was lost, RFC 1047, so the
//   client sent the message again), per (client, server, Message-ID).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>

#include "core/time.hpp"
#include "core/trace.hpp"

namespace postino::scenario {

class ProtocolViolationCheck final : public trace::Sink {
public:
    void on_event(const trace::Event& e) override;

    [[nodiscard]] int count() const { return count_; }                  // violations that count
    [[nodiscard]] const std::string& first() const { return first_; }   // "host: what (RFC …)"
    [[nodiscard]] int fault_closes() const { return fault_closes_; }    // attributed to a fault
    [[nodiscard]] const std::string& fault_close_first() const { return fault_close_first_; }

private:
    struct FaultState {
        int active = 0;      // connection-breaking faults on the host now
        Time last_end{};     // when the last of them ended
        bool ended = false;
        std::string kinds;   // of the faults that hit the host, for the report
    };
    void on_fault(const trace::Event& e);
    [[nodiscard]] const FaultState* hit_since(const std::string& host, Time since) const;
    [[nodiscard]] std::string fault_cause(const trace::Event& e) const;

    int count_ = 0;
    std::string first_;
    int fault_closes_ = 0;
    std::string fault_close_first_;
    std::map<std::uint64_t, Time> conn_start_;  // first event of each connection
    std::map<std::pair<std::string, std::uint64_t>, std::pair<Time, std::string>> transport_failed_;  // (host, conn)
    std::map<std::string, FaultState> faults_;  // by target host
    std::map<std::uint64_t, int> replies_sent_, replies_read_;  // SMTP replies per connection, server and client
};

class RetransmissionCheck final : public trace::Sink {
public:
    void on_event(const trace::Event& e) override;
    struct Retransmitted {
        int extra = 0;     // acceptances beyond those the clients learned of, over every hop
        std::string what;  // the first hop, described
    };
    // By Message-ID: each message some server accepted again after its client
    // lost the 250.
    [[nodiscard]] std::map<std::string, Retransmitted> retransmitted() const;

private:
    using Hop = std::tuple<std::string, std::string, std::string>;  // (client, server, Message-ID)
    std::map<std::pair<std::string, std::string>, std::string> ids_;  // (host, queue id) -> Message-ID
    std::map<Hop, int> accepted_;                 // the server's "message accepted"
    std::map<Hop, std::set<std::string>> handed_;  // the client's hand-offs it saw accepted
};

}  // namespace postino::scenario
