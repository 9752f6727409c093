// server_engine.hpp — the sans-I/O HTTP/1.1 server engine (DESIGN.md §2.1):
// reads requests strictly (parser.hpp), hands each whole one to its host as
// a RequestEvent, and writes the host's answer (respond()) framed with
// Content-Length. Persistent connections (RFC 9112 §9.3): HTTP/1.1 stays
// open unless the request says "Connection: close"; HTTP/1.0 closes after
// the response. Pipelined requests (§9.3.2) are answered in order: the next
// one is read only once the previous one has its response. A request with
// "Expect: 100-continue" gets "100 Continue" before its body (RFC 9110
// §10.1.1). Input the parser refuses gets the status the error names (400,
// 413, 414, 417, 431, 501, 505) with "Connection: close", and the
// connection closes (RFC 9112 §9.6: the framing can no longer be trusted).
// A connection idle for idle_timeout closes; one with a partial request then
// gets 408 first (RFC 9110 §15.5.9). HEAD is answered without content (RFC
// 9110 §9.3.2). The engine sends no Date: it has no clock (RFC 9110 §6.6.1).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "proto/http/events.hpp"
#include "proto/http/limits.hpp"
#include "proto/http/parser.hpp"

namespace postino::http {

struct ServerConfig {
    std::string server = "Postino";  // the Server field (RFC 9110 §10.2.4); "" for none
    Duration idle_timeout = kDefaultIdleTimeout;
    std::uint64_t max_body = kMaxRequestBodyOctets;
};

class ServerEngine {
public:
    explicit ServerEngine(ServerConfig config = {}) : config_(std::move(config)), reader_(config_.max_body) {}

    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);
    // The answer to the request of the last RequestEvent. Ignored when no
    // request is waiting (the host answered twice, or after the close).
    void respond(Time now, Response response);

    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const { return deadline_; }
    // A request is waiting for respond().
    [[nodiscard]] bool awaiting_response() const { return awaiting_; }
    [[nodiscard]] bool closed() const { return done_; }
    [[nodiscard]] std::uint64_t requests() const { return requests_; }

private:
    void pump(Time now);
    void refuse(const ParseError& e);
    void write(Response r, bool head_only);
    void finish(std::string reason, bool by_engine);

    ServerConfig config_;
    RequestReader reader_;
    std::string in_;
    std::string out_;
    std::deque<Event> events_;
    std::optional<Time> deadline_;
    bool awaiting_ = false;
    bool head_request_ = false;   // the waiting request is HEAD
    bool close_after_ = false;    // the waiting request's response ends the connection
    bool continue_sent_ = false;  // 100 Continue written for the request being read
    bool done_ = false;
    std::uint64_t requests_ = 0;
};

}  // namespace postino::http
