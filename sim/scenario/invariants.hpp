// invariants.hpp — the invariants checked after every run besides the
// scenario's own expectations, and the scenarios that break one on purpose
// (DESIGN.md §2.5, docs/scenario-format.md "breaks").
//
// - conservation: no accepted mail is lost (agents/conservation.hpp);
// - message-boundaries: a server reads as commands only what its client sent
//   as commands. When a client and a server disagree on where the message
//   data ends (RFC 5321 §2.3.8 bare LF, §4.1.1.4 end of data), text the
//   client sent inside a message is executed by the server as commands and
//   can become a second, smuggled message (SMTP smuggling,
//   CVE-2023-51764/5/6). Each such message is named by its server and queue
//   id, with the commands that were smuggled.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agents/conservation.hpp"
#include "core/trace.hpp"
#include "scenario/expectations.hpp"
#include "scenario/scenario.hpp"

namespace postino::scenario {

inline constexpr const char* kConservation = "conservation";
inline constexpr const char* kMessageBoundaries = "message-boundaries";

struct InvariantViolation {
    std::string invariant;  // kConservation or kMessageBoundaries
    agents::ConservationViolation what;
};

// Follows the SMTP command lines of both ends of every connection.
class BoundaryTracker final : public trace::Sink {
public:
    void on_event(const trace::Event& e) override;
    // Packet events carry no SMTP command: nothing to follow, no Event built.
    void on_packet_line(const trace::PacketRecord&, std::string_view, const trace::LazyPacketEvent&) override {}
    // Nor do TCP connection events.
    void on_tcp_line(const trace::TcpRecord&, std::string_view, const trace::LazyTcpEvent&) override {}
    // SMTP lines are read from their record, no Event built.
    void on_smtp_line(const trace::SmtpLineRecord& r, std::string_view, const trace::LazySmtpLineEvent&) override;
    // One violation per smuggled message (and one per connection whose
    // smuggled commands made no message).
    [[nodiscard]] std::vector<agents::ConservationViolation> violations() const;

private:
    // A command line of connection `conn` written (`send`) or read by `host`.
    void command(std::uint64_t conn, std::string_view host, std::string_view peer, bool send, std::string_view bytes);
    struct Conn {
        std::vector<std::string> sent;  // command lines the client sent, not yet read by the server
        std::size_t next = 0;           // the next of `sent` the server should read
        std::vector<std::string> smuggled;  // commands read since the last accepted message
        std::string client, server;
    };
    std::map<std::uint64_t, Conn> conns_;
    std::map<std::pair<std::string, std::string>, std::string> message_ids_;  // (host, queue id) -> Message-ID
    std::vector<agents::ConservationViolation> found_;
};

// Applies the scenario's `breaks` expectations: the violations they declare
// move from report.violations to report.declared (with the declared reason);
// each `breaks` expectation passes when its invariant was really broken.
// `all` holds every violation of every invariant.
std::vector<ExpectationResult> apply_declared_breaks(const Scenario& s, const std::vector<InvariantViolation>& all,
                                                     agents::ConservationReport& report);

}  // namespace postino::scenario
