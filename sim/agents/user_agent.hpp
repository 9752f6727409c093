// user_agent.hpp — a simple, scriptable user agent: composes a message
// (sim/mail's composer picks the encodings) and submits it to its own mail
// server over SMTP (RFC 6409 submission, port 587 by default). When its own
// server is unreachable or refuses, the user agent tells its user at once —
// the first failure point of the course (DESIGN.md §3) — as a "ua error"
// trace event.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "agents/smtp_link.hpp"
#include "core/rng.hpp"
#include "net/host.hpp"
#include "proto/smtp/client_engine.hpp"

namespace postino::agents {

struct UserAgentConfig {
    std::string user;          // alice@a.example
    std::string display_name;  // "Alice"
    net::Ip4 server;           // its mail server
    std::string server_name;
    std::uint16_t port = 587;
};

struct OutgoingMail {
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::string from;  // empty: the configured user
};

class UserAgent {
public:
    UserAgent(net::Host& host, UserAgentConfig config);
    // Composes and submits now.
    void send(const OutgoingMail& m);
    [[nodiscard]] int submitted() const { return submitted_; }
    [[nodiscard]] int errors() const { return errors_; }
    [[nodiscard]] const UserAgentConfig& config() const { return config_; }

private:
    void report(const char* ev, const std::string& text, const std::string& to = {});
    void finished(const std::shared_ptr<SmtpLink<smtp::ClientEngine>>& link, net::CloseReason reason,
                  const std::string& to);

    net::Host& host_;
    UserAgentConfig config_;
    Rng rng_;
    int submitted_ = 0;
    int errors_ = 0;
    std::vector<std::shared_ptr<SmtpLink<smtp::ClientEngine>>> links_;
};

}  // namespace postino::agents
