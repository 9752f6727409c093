// check_command.hpp — `postino check`: runs conformance suites
// (conformance/suites/*.yaml) against a server given by URL over real TCP,
// or in process against Postino's own engines (--builtin), prints the
// verdict table and writes the reports and the trace (docs/conformance-format.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace postino::app {

struct CheckArgs {
    std::string url;                  // smtp://HOST:PORT, pop3://USER:PASS@HOST:PORT, imap://USER:PASS@HOST:PORT
    std::string builtin;              // smtp | pop3 | imap: Postino's own engines, no sockets
    std::vector<std::string> suites;  // names (smtp) or files; default: the target's protocol
    std::vector<std::string> only;
    std::string smtp_url, pop3_url, imap_url;  // the other endpoints (setup and end-to-end steps)
    std::string junit, json, markdown, trace;
    std::string timeout = "10s";
    std::string delivery_wait = "500ms";
    bool allow_writes = false;
    bool slow = false;
    std::string domain = "example.test";
    std::string rcpt;                 // a deliverable address; default USER@DOMAIN
    std::vector<std::string> faults;  // --builtin only: named faults of the engines
    std::string tls = "never";        // never | if-offered | required: sessions switch to TLS after the greeting
    bool insecure = false;            // accept any server certificate (self-signed, another name)
    std::string cafile;               // trust the CAs of this PEM file instead of the system store
    bool quiet = false;
};

struct MailUrl {
    std::string scheme, user, password, host;
    std::uint16_t port = 0;
};
// Parses scheme://[USER:PASS@]HOST[:PORT] (default ports 25, 110, 143).
Result<MailUrl> parse_mail_url(const std::string& url);

// Exit code: 0 no FAIL or ERROR, 1 some FAIL or ERROR, 2 bad usage or a suite that does not load.
int cmd_check(const CheckArgs& args);

}  // namespace postino::app
