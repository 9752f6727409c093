// user_agent.hpp — a simple, scriptable user agent: composes a message
// (sim/mail's composer picks the encodings) and submits it to its own mail
// server over SMTP (RFC 6409 submission, port 587 by default). When its own
// server is unreachable or refuses, the user agent tells its user at once —
// the first failure point of the course (DESIGN.md §3) — as a "ua error"
// trace event. A scenario may also hand it a raw message (sent as written)
// or, for the smuggling lesson, raw DATA octets sent verbatim.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agents/pop3_fetch.hpp"
#include "agents/smtp_link.hpp"
#include "proto/smtp/client_config.hpp"
#include "core/rng.hpp"
#include "mail/composer.hpp"
#include "net/host.hpp"
#include "proto/smtp/client_engine.hpp"

namespace postino::agents {

struct UserAgentConfig {
    std::string user;          // alice@a.example
    std::string display_name;  // "Alice"
    net::Ip4 server;           // its mail server
    std::string server_name;
    std::uint16_t port = 587;
    smtp::StartTls starttls = smtp::StartTls::Off;  // STARTTLS on submission (RFC 3207)
    // The STARTTLS command-injection lesson (CVE-2011-0411): a man in the
    // middle appends these octets to the STARTTLS command. Empty: none.
    std::string starttls_inject{};
};

struct OutgoingMail {
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::string from;  // empty: the configured user
    std::vector<mail::Attachment> attachments;  // composed as multipart/mixed (RFC 2046 §5.1.3)
    // A message written by hand, sent as is instead of composed (subject,
    // body and attachments then unused). The client still normalizes CRLF
    // and dot-stuffs it — unless `verbatim` (UNSAFE: the octets go out
    // exactly as given, with their own end of data; smtp::Transaction::verbatim).
    std::optional<std::string> raw;
    bool verbatim = false;
    std::string in_reply_to;  // a reply: In-Reply-To and References (RFC 5322 §3.6.4), "" for none
};

// What became of a submission, for a host that acts on it (the webmail):
// ok, and the server's answer or the problem, as told to the user.
using SubmitDone = std::function<void(bool ok, const std::string& text)>;

class UserAgent {
public:
    UserAgent(net::Host& host, UserAgentConfig config);
    // Composes and submits now; `done` (optional) hears the outcome.
    void send(const OutgoingMail& m, const SubmitDone& done = {});
    [[nodiscard]] int submitted() const { return submitted_; }
    [[nodiscard]] int errors() const { return errors_; }
    [[nodiscard]] const UserAgentConfig& config() const { return config_; }
    // Fetches its mail by POP3 now (pop3_fetch.hpp); UIDLs seen are kept across fetches.
    void fetch(const FetchRequest& r) { fetcher_.fetch(r); }
    [[nodiscard]] Pop3Fetcher& fetcher() { return fetcher_; }

private:
    void report(const char* ev, const std::string& text, const std::string& to = {});
    void finished(const std::shared_ptr<SmtpLink<smtp::ClientEngine>>& link, net::CloseReason reason,
                  const std::string& to, const SubmitDone& done);

    net::Host& host_;
    UserAgentConfig config_;
    Rng rng_;
    int submitted_ = 0;
    int errors_ = 0;
    std::vector<std::shared_ptr<SmtpLink<smtp::ClientEngine>>> links_;
    Pop3Fetcher fetcher_{host_};
};

}  // namespace postino::agents
