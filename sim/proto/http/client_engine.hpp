// client_engine.hpp — the sans-I/O HTTP/1.1 client engine of the simulated
// browser (DESIGN.md §2.1): sends one request at a time on a persistent
// connection (RFC 9112 §9.3) and reads its response strictly (parser.hpp);
// a 1xx is interim (RFC 9110 §15.2), a response to HEAD has no content
// (§9.3.2), a response without Content-Length ends at the close (RFC 9112
// §6.3 item 8). The host queues requests with send() and asks to close with
// close(); "Connection: close" from the server, a malformed response, the
// peer's close or no response within the timeout end the connection.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "proto/http/events.hpp"
#include "proto/http/limits.hpp"
#include "proto/http/parser.hpp"

namespace postino::http {

struct ClientConfig {
    Duration timeout = kDefaultResponseTimeout;
};

class ClientEngine {
public:
    explicit ClientEngine(ClientConfig config = {}) : config_(config) {}

    void start(Time now);
    // Queues a request; it is written once the previous response is read.
    void send(Time now, Request request);
    // No more requests: close once the queue is answered (at once if idle).
    void close(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);

    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const { return deadline_; }
    [[nodiscard]] bool closed() const { return done_; }
    // Why the connection ended ("" while open, "done" after a clean close).
    [[nodiscard]] const std::string& failure() const { return failure_; }

private:
    void next(Time now);
    void finish(std::string reason);
    void fail(std::string why);

    ClientConfig config_;
    ResponseReader reader_;
    std::deque<Request> queue_;
    bool started_ = false;
    bool in_flight_ = false;
    bool closing_ = false;
    bool done_ = false;
    std::string in_;
    std::string out_;
    std::deque<Event> events_;
    std::optional<Time> deadline_;
    std::string failure_;
};

}  // namespace postino::http
