// server_engine.hpp — the sans-I/O POP3 server engine (DESIGN.md §2.1).
//
// RFC 1939 §3 (commands, responses, byte-stuffing, the autologout timer),
// §4 (AUTHORIZATION and the maildrop lock), §5 (TRANSACTION: STAT, LIST,
// RETR, DELE, NOOP, RSET), §6 (UPDATE after QUIT only), §7 (TOP, UIDL,
// USER/PASS, APOP); RFC 2449 §5–6 (CAPA, RESP-CODES, PIPELINING), §8.1.1
// ([IN-USE]); RFC 3206 §4–6 ([SYS/TEMP], [AUTH], AUTH-RESP-CODE); RFC 2595
// §4 (STLS: the host switches the connection when a StartTlsEvent says so).
//
// Use: construct with a config and a policy, call start(now) when the TCP
// connection is up, then feed it with handle_bytes / handle_closed /
// handle_timeout; after every call drain poll_output() and poll_event() and
// arm a timer for next_deadline(). Time passed in must never decrease. When
// a CloseEvent with by_engine arrives, send what poll_output() returned and
// close. Commands are answered in the order they arrive, so pipelined input
// (RFC 2449 §6.6) works; a failed PASS/APOP is answered only after the
// bad-password delay, and input waits meanwhile. docs/pop3.md has the
// state table and every response.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "proto/pop3/command.hpp"
#include "proto/pop3/command_reader.hpp"
#include "proto/pop3/events.hpp"
#include "proto/pop3/policy.hpp"
#include "proto/pop3/server_config.hpp"

namespace postino::pop3 {

enum class ServerState : std::uint8_t {
    Start,          // before start()
    Authorization,  // §4
    Transaction,    // §5
    Update,         // §6, only while QUIT is handled
    Closed,
};
const char* to_string(ServerState s);

class ServerEngine {
public:
    ServerEngine(ServerConfig config, ServerPolicy& policy);

    // --- inputs ---
    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);
    // After a StartTlsEvent: the TLS handshake is done; input from now on is
    // what TLS carries. The session stays in AUTHORIZATION (RFC 2595 §4).
    void handle_tls_started(Time now);

    // --- outputs ---
    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const;

    // --- state, for hosts and tests ---
    [[nodiscard]] ServerState state() const { return state_; }
    [[nodiscard]] const ServerConfig& config() const { return config_; }
    [[nodiscard]] bool close_requested() const { return close_requested_; }
    [[nodiscard]] const std::string& apop_timestamp() const { return timestamp_; }
    [[nodiscard]] const std::string& user() const { return user_; }
    [[nodiscard]] int errors() const { return errors_; }
    [[nodiscard]] bool tls_active() const { return tls_active_; }
    [[nodiscard]] bool tls_pending() const { return tls_pending_; }
    [[nodiscard]] int auth_failures() const { return auth_failures_; }
    // Messages of the session's maildrop and which are marked deleted.
    [[nodiscard]] std::size_t message_count() const { return messages_.size(); }
    [[nodiscard]] bool marked_deleted(std::size_t index) const { return messages_.at(index).deleted; }
    // Octets held: unread input, unsent output, a partial line.
    [[nodiscard]] std::size_t buffered_octets() const;

private:
    struct Message {
        std::string uidl;
        std::string content;  // normalized (RFC 1939 §10): what RETR sends, before stuffing
        bool deleted = false;
    };

    void drain_input();
    std::size_t process(std::string_view in);
    [[nodiscard]] bool paused() const;
    void on_line(std::string_view line, std::string_view raw, std::size_t octets);
    void dispatch(const CommandLine& cmd);

    // AUTHORIZATION (§4, §7)
    void on_user(const CommandLine& cmd);
    void on_pass(const CommandLine& cmd);
    void on_apop(const CommandLine& cmd);
    void login(const std::string& user, const char* method);
    void auth_failed(const std::string& user);
    // TRANSACTION (§5, §7)
    void on_stat();
    void on_list(const CommandLine& cmd, bool uidl);
    void on_retr(const CommandLine& cmd);
    void on_top(const CommandLine& cmd);
    void on_dele(const CommandLine& cmd);
    void on_rset();
    void on_quit();
    void on_capa();
    void on_stls();
    [[nodiscard]] bool user_pass_now() const { return config_.user_pass && (tls_active_ || !config_.tls.user_pass_needs_tls); }
    // A message-number argument that names an existing, undeleted message
    // (§5); otherwise sends -ERR and returns nullopt.
    std::optional<std::size_t> message_arg(std::string_view arg, bool deleted_error = true);

    void send(const Response& r);
    void send_multiline(const Response& r, std::string_view content);
    void protocol_error(std::string text);
    void violation(std::string what, std::string rfc);
    void request_close(std::string reason);
    void overflow();
    void end_session();  // releases the maildrop lock, without UPDATE
    [[nodiscard]] std::string maildrop_summary() const;
    [[nodiscard]] std::uint64_t live_octets() const;
    [[nodiscard]] std::size_t live_count() const;

    ServerConfig config_;
    ServerPolicy& policy_;
    ServerState state_ = ServerState::Start;
    std::string timestamp_;  // APOP greeting timestamp, "" when APOP is off
    std::string user_;       // USER given (AUTHORIZATION), or the logged-in user
    bool have_user_ = false;
    bool locked_ = false;  // the policy opened the maildrop (release() owed)
    std::vector<Message> messages_;
    int errors_ = 0;
    int auth_failures_ = 0;
    bool close_requested_ = false;
    bool tls_pending_ = false;         // +OK to STLS sent, handshake not done
    bool tls_active_ = false;
    std::uint64_t tls_discarded_ = 0;  // octets received in that time (never read)
    std::string tls_held_;             // fault stls-injection-answered: those octets, kept

    CommandReader reader_;
    std::string in_;  // unread input while paused
    std::size_t in_off_ = 0;
    std::string out_;
    std::deque<Event> events_;
    Time now_{};
    std::optional<Time> deadline_;       // autologout (§3)
    std::optional<Time> delay_until_;    // a failed authentication's response is held until then
    std::optional<Response> delayed_;    // that response
    bool close_after_delay_ = false;     // the attempt limit was reached
};

}  // namespace postino::pop3
