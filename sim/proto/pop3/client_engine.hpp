// client_engine.hpp — the sans-I/O POP3 client engine (DESIGN.md §2.1).
//
// Drives one session, one command at a time: waits for the +OK greeting,
// asks CAPA (RFC 2449 §5), switches to TLS with STLS when configured and
// offered (RFC 2595 §4; then CAPA again), logs in with USER/PASS or APOP (RFC 1939 §7),
// reads STAT, UIDL and LIST (§5, §7), then RETRs each message to fetch —
// every message in "download and delete" mode, followed by DELE; only those
// whose unique-id it has not seen in "leave on server" mode — and ends with
// QUIT, which makes the server's UPDATE state remove the deleted messages
// (§6). Every step is recorded in result(); a refusal ends the session with
// QUIT, a broken one records where it broke.
//
// Use like the server engine: start(now), handle_* with the current time,
// then drain poll_output() and poll_event() and re-arm next_deadline().
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "proto/pop3/client_config.hpp"
#include "proto/pop3/client_result.hpp"
#include "proto/pop3/events.hpp"
#include "proto/pop3/response_parser.hpp"

namespace postino::pop3 {

class ClientEngine {
public:
    explicit ClientEngine(ClientConfig config);

    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);
    // After a StartTlsEvent: the host finished the TLS handshake; the client
    // asks CAPA again (RFC 2595 §4: forget the capabilities seen before TLS).
    void handle_tls_started(Time now);

    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const;

    [[nodiscard]] const ClientResult& result() const { return result_; }
    [[nodiscard]] ClientStep step() const { return result_.finished ? ClientStep::Done : waiting_; }
    [[nodiscard]] bool finished() const { return result_.finished; }
    [[nodiscard]] bool close_requested() const { return close_requested_; }
    [[nodiscard]] bool tls_active() const { return tls_active_; }
    [[nodiscard]] std::size_t buffered_octets() const { return out_.size() + parser_.buffered(); }

private:
    void on_response();
    void on_greeting(const Response& r);
    void on_stat(const Response& r);
    void on_listing(const Response& r, bool uidl);
    void after_capa(bool stls_listed);
    void login();
    void fetch_next();
    void send(ClientStep step, std::string line, bool multiline, std::uint32_t message = 0);
    void quit();
    void fail(ClientFailure f, std::string detail);
    void finish(bool by_engine, std::string reason);

    struct Listed {
        std::uint32_t number = 0;
        std::uint64_t octets = 0;
        std::string uidl;
    };

    ClientConfig config_;
    ClientResult result_;
    ResponseParser parser_;
    ClientStep waiting_ = ClientStep::Greeting;
    std::uint32_t waiting_message_ = 0;
    std::string timestamp_;  // APOP timestamp from the greeting
    bool server_uidl_ = true;  // until CAPA or UIDL says otherwise
    std::vector<Listed> listed_;
    std::size_t next_fetch_ = 0;  // index into listed_
    std::string out_;
    std::deque<Event> events_;
    Time now_{};
    std::optional<Time> deadline_;
    bool started_ = false;
    bool close_requested_ = false;
    bool tls_pending_ = false;         // +OK to STLS read, handshake not done
    bool tls_active_ = false;
    std::uint64_t tls_discarded_ = 0;  // octets received in that time (never read)
};

}  // namespace postino::pop3
