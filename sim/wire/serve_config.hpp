// serve_config.hpp — everything `postino serve` needs to run, already
// validated (sim/app/serve_command.cpp fills it from the command line and
// the YAML config, whose keys are those of a scenario's mta host).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agents/retry_profile.hpp"
#include "proto/imap/server_config.hpp"
#include "proto/pop3/server_config.hpp"
#include "proto/smtp/server_config.hpp"
#include "wire/maildir_store.hpp"

namespace postino::wire {

// Sessions served at once (SMTP, POP3 and IMAP together); the next client gets
// 421 (RFC 5321 §3.1) or -ERR [SYS/TEMP] (RFC 3206 §4). A bound of ours,
// Postfix's default_process_limit is 100.
inline constexpr std::size_t kDefaultMaxConnections = 256;

// Where mail for a domain that is not local goes (config `routes:`): a
// static route instead of an MX lookup (RFC 5321 §5.1), IP address and port.
struct Route {
    std::string host;
    std::uint16_t port = 25;
};

struct ServeConfig {
    std::string hostname = "localhost";  // greeting, Received:, trace host name
    std::vector<std::string> domains;    // local domains, lower-case; mail for others is refused (no relay yet)
    std::vector<MaildirAccount> accounts;
    // Full addresses (lower-case) to full addresses, every target local.
    std::map<std::string, std::vector<std::string>> aliases;
    // Outbound relay for authenticated submitters (docs/serve.md): domain (lower-case) → next hop.
    std::map<std::string, Route> routes;
    agents::RetryProfile profile;  // retries of the outbound queue (default: postfix)
    smtp::ServerConfig smtp;
    pop3::ServerConfig pop3;
    imap::ServerConfig imap;
    std::string listen = "127.0.0.1";
    std::optional<std::uint16_t> smtp_port;  // 0: any free port (printed at start)
    std::optional<std::uint16_t> pop3_port;
    std::optional<std::uint16_t> imap_port;
    std::optional<std::uint16_t> http_port;  // the webmail (docs/webmail.md)
    // RFC 6409 message submission: the SMTP engine with AUTH PLAIN required (RFC 4954 §6).
    std::optional<std::uint16_t> submission_port;
    std::string data_dir;
    std::string trace_path;  // "" : no trace
    std::size_t max_connections = kDefaultMaxConnections;
    // POP3 USER/PASS, IMAP LOGIN and the webmail's login over plaintext from a non-loopback peer (RFC 2595 §2.1 warns
    // against it; off unless the operator says so).
    bool allow_plaintext_auth = false;
    // `tls: {certificate: FILE, key: FILE}` (PEM): STARTTLS on SMTP
    // (RFC 3207) and STLS on POP3 (RFC 2595). Empty: no TLS offered.
    std::string tls_certificate;
    std::string tls_key;
};

}  // namespace postino::wire
