// server_engine.hpp — the sans-I/O SMTP server engine (DESIGN.md §2.1).
//
// RFC 5321 §3 (the SMTP procedures), §4.1 (commands), §4.2–4.3 (replies and
// the sequence of commands and replies), §4.5.3 (limits and timeouts);
// RFC 2920 (PIPELINING: commands that arrive together are answered in
// order), RFC 1870 (SIZE), RFC 6152 (8BITMIME), RFC 2034 (enhanced status
// codes), RFC 6531 (SMTPUTF8, optional), RFC 4954 (AUTH, optional; the
// PLAIN mechanism of RFC 4616; server_auth.cpp), RFC 3207 (STARTTLS: the
// host switches the connection when a StartTlsEvent says so).
//
// Use: construct with a config and a policy, call start(now) when the TCP
// connection is up, then feed it with handle_bytes / handle_closed /
// handle_timeout / handle_shutdown; after every call drain poll_output()
// (octets to send) and poll_event() (what happened), and arm a timer for
// next_deadline(). Time passed in must never decrease. When a CloseEvent
// with by_engine arrives, send what poll_output() returned and close.
//
// The engine owns no socket, clock, thread or random generator, and every
// buffer it holds is bounded (buffered_octets()). docs/smtp.md describes the
// state table, every reply, and the leniencies.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "proto/smtp/command.hpp"
#include "proto/smtp/command_reader.hpp"
#include "proto/smtp/data_reader.hpp"
#include "proto/smtp/envelope.hpp"
#include "proto/smtp/events.hpp"
#include "proto/smtp/path.hpp"
#include "proto/smtp/policy.hpp"
#include "proto/smtp/server_config.hpp"
#include "proto/smtp/server_states.hpp"

namespace postino::smtp {

class ServerEngine {
public:
    ServerEngine(ServerConfig config, ServerPolicy& policy);

    // --- inputs ---
    // The connection is up: asks the policy and writes the greeting.
    void start(Time now);
    // Octets from the client, split anywhere.
    void handle_bytes(Time now, std::string_view bytes);
    // The client closed the connection, or it broke.
    void handle_closed(Time now);
    // A deadline the host armed from next_deadline() expired (early calls are ignored).
    void handle_timeout(Time now);
    // The host is shutting down: 421 and close (§3.8).
    void handle_shutdown(Time now);
    // After a StartTlsEvent: the TLS handshake is done, input from now on is
    // what TLS carries. The session starts again from before EHLO (RFC 3207 §4.2).
    void handle_tls_started(Time now);

    // --- outputs ---
    // Octets to send, in order (empty when there are none).
    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const;

    // --- state, for hosts and tests ---
    [[nodiscard]] ServerState state() const { return state_; }
    [[nodiscard]] const SessionInfo& session() const { return session_; }
    [[nodiscard]] const Envelope& envelope() const { return envelope_; }
    [[nodiscard]] const ServerConfig& config() const { return config_; }
    [[nodiscard]] bool close_requested() const { return close_requested_; }
    [[nodiscard]] int errors() const { return errors_; }
    // STARTTLS accepted, the handshake not finished yet: input is discarded.
    [[nodiscard]] bool tls_pending() const { return tls_pending_; }
    // Octets held: unread input, unsent output, a partial line, a message being received.
    [[nodiscard]] std::size_t buffered_octets() const;

private:
    enum class PolicyStep : std::uint8_t { Mail, Rcpt, Message, Vrfy };
    struct MailCheck {
        ParsedPath path;
        MailParams params;
    };
    struct RcptCheck {
        ParsedPath path;
        bool postmaster = false;
    };

    // Input processing.
    void drain_input();
    std::size_t process(std::string_view in);
    [[nodiscard]] bool paused() const;
    void on_command_line(std::string_view line, std::string_view raw, std::size_t octets);
    void dispatch(const CommandLine& cmd);
    void finish_data();

    // Each command: check (no state change; a reply on failure), then proceed.
    std::optional<Reply> check_helo(const CommandLine& cmd) const;
    void proceed_helo(const CommandLine& cmd);
    std::optional<Reply> check_mail(const CommandLine& cmd, MailCheck& out) const;
    void proceed_mail(MailCheck&& mail);
    std::optional<Reply> check_rcpt(const CommandLine& cmd, RcptCheck& out) const;
    void proceed_rcpt(RcptCheck&& rcpt);
    std::optional<Reply> check_data(const CommandLine& cmd) const;
    void proceed_data();
    void on_simple(const CommandLine& cmd);  // RSET NOOP VRFY HELP QUIT
    // AUTH (RFC 4954 §4): the command, the client's response to 334, the outcome.
    void on_auth(const CommandLine& cmd);
    void on_auth_response(std::string_view line);
    void finish_auth_plain(std::string_view base64);
    void on_starttls(const CommandLine& cmd);
    void discard_before_tls(std::string_view in);

    // Replies and events.
    void send(Reply r);
    void protocol_error(Reply r);
    void refuse(Reply r);
    void violation(std::string what, std::string rfc);
    void request_close(std::string reason);
    Reply finalize(const Decision& d, PolicyStep step);
    Reply ehlo_reply(std::string_view client) const;
    void reset_transaction();
    [[nodiscard]] std::string_view strip_colon_space(std::string_view s) const;

    ServerConfig config_;
    ServerPolicy& policy_;
    ServerState state_ = ServerState::Start;
    SessionInfo session_;
    Envelope envelope_;
    std::size_t rcpt_attempts_ = 0;  // RCPTs that reached a decision in this transaction
    int errors_ = 0;
    bool close_requested_ = false;
    bool auth_pending_ = false;  // 334 sent: the next line is the SASL response
    bool greeting_out_ = false;  // poll_output() has been called since the greeting (fault early-input-lost)
    bool tls_pending_ = false;           // 220 to STARTTLS sent, handshake not done
    std::uint64_t tls_discarded_ = 0;    // octets received in that time (never read)
    std::string tls_held_;               // fault starttls-injection-answered: those octets, kept

    CommandReader reader_;
    DataReader data_;
    std::string in_;  // unread input while paused
    std::size_t in_off_ = 0;
    std::string out_;
    std::deque<Event> events_;
    Time now_{};
    std::optional<Time> deadline_;
};

}  // namespace postino::smtp
