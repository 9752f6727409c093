// serve_command.hpp — `postino serve`: the config file (YAML, the keys of a
// scenario's mta host: name, domains, mailboxes with passwords and quotas,
// aliases, leniencies, max-message-size, max-recipients; errors as
// file:line:col) and the command that runs sim/wire's server. docs/serve.md.
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "wire/serve_config.hpp"

namespace postino::app {

struct ServeArgs {
    std::optional<int> smtp_port;
    std::optional<int> pop3_port;
    std::optional<int> imap_port;
    std::optional<int> http_port;
    std::optional<int> submission_port;
    std::string data_dir;
    std::string config;
    std::string trace;
    std::string listen = "127.0.0.1";
    bool allow_plaintext_auth = false;
};

// Fills `out` (hostname, domains, accounts, aliases, engine limits) from a
// config text; `name` is the file name used in error locations.
Status load_serve_config_text(const std::string& text, const std::string& name, wire::ServeConfig& out);
Status load_serve_config_file(const std::string& path, wire::ServeConfig& out);

// Runs the server until SIGINT/SIGTERM; the exit code (2 for a start-up error).
int cmd_serve(const ServeArgs& args);

}  // namespace postino::app
