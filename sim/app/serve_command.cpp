// serve_command.cpp — `postino serve`: config loading and the command.
// The config reuses the scenario loader's field readers (scenario/yaml_fields),
// so its errors read like a scenario's: file:line:col, nearest valid key.
#include "app/serve_command.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "mail/mailbox.hpp"
#include "scenario/yaml_fields.hpp"
#include "agents/retry_profile.hpp"
#include "wire/server.hpp"

namespace postino::app {
namespace {

using scenario::Fields;

// The keys of a scenario's host entry (scenario/loader.cpp), so a scenario's
// mta host can be pasted as a serve config.
const std::vector<std::string_view> kHostKeys{"name", "role", "link", "user", "submit-to", "submit-port", "domains",
                                              "mailboxes", "aliases", "profile", "relay-from", "leniencies",
                                              "max-message-size", "max-recipients", "delay-warning", "x-test-bug",
                                              "routes", "tls", "starttls"};
const std::vector<std::string_view> kTlsKeys{"certificate", "key"};
const std::vector<std::string_view> kMailboxKeys{"name", "password", "quota", "quota-temporary"};
const std::vector<std::string_view> kLeniencies{"bare-lf", "lf-ends-data"};

void parse(const Fields& f, const YAML::Node& root, wire::ServeConfig& out) {
    if (!root.IsDefined() || root.IsNull()) f.fail(root, "the config is empty: it needs at least 'domains' and 'mailboxes'");
    f.require_map(root, "the serve config");
    f.check_keys(root, kHostKeys, "the serve config");
    for (const char* k : {"link", "user", "submit-to", "submit-port", "starttls"}) {
        if (root[k]) f.fail(root[k], std::string("'") + k + "' applies to user-agent hosts; postino serve is an mta");
    }
    for (const char* k : {"relay-from", "delay-warning", "x-test-bug"}) {
        if (root[k]) f.fail(root[k], std::string("'") + k + "' is not supported by postino serve");
    }
    // Retries of the outbound queue: a built-in profile or Exim-style rules ("F,1m,5s").
    {
        const std::string p = root["profile"] ? f.str(root["profile"], "profile") : std::string("postfix");
        auto prof = p.find(',') != std::string::npos ? agents::parse_exim_rules(p) : agents::builtin_profile(p);
        if (!prof) f.fail(root["profile"], prof.error().what + " (or Exim-style rules such as \"F,1m,5s\")");
        out.profile = std::move(*prof);
    }
    if (root["routes"]) {
        f.require_map(root["routes"], "routes");
        for (auto it = root["routes"].begin(); it != root["routes"].end(); ++it) {
            const std::string dom = mail::ascii_lower(f.str(it->first, "route domain"));
            const std::string hp = f.str(it->second, "route");
            const auto colon = hp.rfind(':');
            wire::Route r;
            r.host = hp.substr(0, colon);
            int port = 25;
            if (colon != std::string::npos) {
                const std::string ps = hp.substr(colon + 1);
                port = ps.empty() || ps.find_first_not_of("0123456789") != std::string::npos || ps.size() > 5 ? -1 : std::stoi(ps);
            }
            boost::system::error_code ec;
            (void)boost::asio::ip::make_address(r.host, ec);
            if (ec || port < 1 || port > 65535) {
                f.fail(it->second, "a route is an IP address and a port, e.g. \"127.0.0.1:2526\" (no DNS lookups)");
            }
            r.port = static_cast<std::uint16_t>(port);
            out.routes[dom] = r;
        }
    }
    if (root["role"] && f.str(root["role"], "role") != "mta") f.fail(root["role"], "postino serve runs an 'mta' host");
    if (root["name"]) out.hostname = f.str(root["name"], "host name");
    for (char c : out.hostname) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
        if (!ok || out.hostname.size() > mail::kMaxDomainOctets) f.fail(root["name"], "'name' must be a host name (letters, digits, '.', '-')");
    }
    if (!root["domains"]) f.fail(root, "the serve config needs 'domains' (the mail domains served here)");
    for (auto& d : f.str_list(root["domains"], "domains")) out.domains.push_back(mail::ascii_lower(d));
    if (!root["mailboxes"]) f.fail(root, "the serve config needs 'mailboxes'");
    f.require_seq(root["mailboxes"], "mailboxes");
    for (const auto& m : root["mailboxes"]) {
        wire::MaildirAccount a;
        if (m.IsScalar()) {
            a.name = m.Scalar();
        } else {
            f.check_keys(m, kMailboxKeys, "mailbox");
            if (!m["name"]) f.fail(m, "a mailbox needs a 'name'");
            a.name = f.str(m["name"], "mailbox name");
            if (m["password"]) a.password = f.str(m["password"], "password");
            if (m["quota"]) a.quota_octets = f.octets(m["quota"], "quota");
            if (m["quota-temporary"]) a.quota_is_temporary = f.boolean(m["quota-temporary"], "quota-temporary");
        }
        a.name = mail::ascii_lower(a.name);
        if (!wire::valid_account_name(a.name)) {
            f.fail(m.IsScalar() ? m : m["name"], "mailbox name '" + a.name +
                                                     "' may hold only a-z 0-9 . _ - and must not start with '.'");
        }
        for (const auto& other : out.accounts) {
            if (other.name == a.name) f.fail(m, "mailbox '" + a.name + "' is listed twice");
        }
        out.accounts.push_back(std::move(a));
    }
    const std::string first = out.domains.empty() ? out.hostname : out.domains.front();
    auto qualify = [&](const std::string& s) { return mail::ascii_lower(s.find('@') == std::string::npos ? s + "@" + first : s); };
    auto local = [&](const std::string& address) {
        const std::string d = address.substr(address.rfind('@') + 1);
        return std::find(out.domains.begin(), out.domains.end(), d) != out.domains.end();
    };
    if (root["aliases"]) {
        f.require_map(root["aliases"], "aliases");
        for (auto it = root["aliases"].begin(); it != root["aliases"].end(); ++it) {
            const std::string alias = f.str(it->first, "alias");
            std::vector<std::string> targets;
            for (const auto& t : f.str_list(it->second, "alias targets")) {
                const std::string full = qualify(t);
                if (!local(full)) {
                    f.fail(it->second, "alias target '" + t + "' is not in a local domain (postino serve has no outbound relay yet)");
                }
                targets.push_back(full);
            }
            if (alias.find('@') != std::string::npos) {
                out.aliases[mail::ascii_lower(alias)] = targets;
            } else {
                for (const auto& d : out.domains) out.aliases[mail::ascii_lower(std::string(alias).append("@").append(d))] = targets;
            }
        }
        // Every final target must be a mailbox or another alias.
        for (const auto& [alias, targets] : out.aliases) {
            for (const auto& t : targets) {
                const std::string acct = t.substr(0, t.rfind('@'));
                const bool known = out.aliases.count(t) != 0 ||
                                   std::any_of(out.accounts.begin(), out.accounts.end(),
                                               [&](const wire::MaildirAccount& a) { return a.name == acct; });
                if (!known) {
                    std::string msg = "alias '";
                    msg.append(alias).append("' points to '").append(t).append("', which is neither a mailbox nor an alias");
                    f.fail(root["aliases"], msg);
                }
            }
        }
    }
    if (root["leniencies"]) {
        const auto list = f.str_list(root["leniencies"], "leniencies");
        for (const auto& l : list) {
            if (l == "bare-lf") {
                out.smtp.leniency.line_ends = smtp::LineEndMode::Normalize;
            } else if (l == "lf-ends-data") {
                out.smtp.leniency.line_ends = smtp::LineEndMode::LfEndsLine;
            } else {
                std::string msg = "unknown leniency '" + l + "' (bare-lf, lf-ends-data)";
                if (auto s = scenario::nearest(l, kLeniencies)) msg += "; did you mean '" + *s + "'?";
                f.fail(root["leniencies"], msg);
            }
        }
    }
    if (const YAML::Node tls = root["tls"]) {
        // PEM files; a relative path is taken from the config file's directory.
        if (!tls.IsMap()) f.fail(tls, "in postino serve, 'tls' is {certificate: FILE, key: FILE} (PEM files)");
        f.check_keys(tls, kTlsKeys, "tls");
        if (!tls["certificate"] || !tls["key"]) f.fail(tls, "'tls' needs both 'certificate' and 'key'");
        const std::filesystem::path base = std::filesystem::path(f.file()).parent_path();
        auto resolve = [&](const YAML::Node& n, const char* what) {
            const std::filesystem::path p(f.str(n, what));
            return (p.is_relative() ? base / p : p).string();
        };
        out.tls_certificate = resolve(tls["certificate"], "certificate");
        out.tls_key = resolve(tls["key"], "key");
    }
    if (root["max-message-size"]) out.smtp.max_message_octets = f.octets(root["max-message-size"], "max-message-size");
    if (root["max-recipients"]) {
        out.smtp.max_recipients = static_cast<std::size_t>(f.integer(root["max-recipients"], "max-recipients", 1, 100000));
    }
}

}  // namespace

Status load_serve_config_text(const std::string& text, const std::string& name, wire::ServeConfig& out) {
    try {
        const YAML::Node root = YAML::Load(text);
        parse(Fields(name), root, out);
        return {};
    } catch (const scenario::ScenarioError& e) {
        return Error{e.what_, e.where_};
    } catch (const YAML::Exception& e) {
        const std::string where =
            e.mark.is_null() ? name : name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        return Error{"YAML syntax error: " + e.msg, where};
    }
}

Status load_serve_config_file(const std::string& path, wire::ServeConfig& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open config file (check the path and its permissions)", path};
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_serve_config_text(ss.str(), path, out);
}

int cmd_serve(const ServeArgs& args) {
    wire::ServeConfig cfg;
    if (!args.config.empty()) {
        if (Status st = load_serve_config_file(args.config, cfg); !st) {
            std::cerr << "postino: " << st.error().message() << "\n";
            return 2;
        }
    }
    for (const auto& [port, flag] : {std::pair{args.smtp_port, "--smtp"}, std::pair{args.pop3_port, "--pop3"},
                                     std::pair{args.imap_port, "--imap"}, std::pair{args.http_port, "--http"},
                                     std::pair{args.submission_port, "--submission"}}) {
        if (port && (*port < 0 || *port > 65535)) {
            std::cerr << "postino: " << flag << " " << *port << ": a port is 0..65535 (0: any free port)\n";
            return 2;
        }
    }
    if (args.smtp_port) cfg.smtp_port = static_cast<std::uint16_t>(*args.smtp_port);
    if (args.pop3_port) cfg.pop3_port = static_cast<std::uint16_t>(*args.pop3_port);
    if (args.imap_port) cfg.imap_port = static_cast<std::uint16_t>(*args.imap_port);
    if (args.http_port) cfg.http_port = static_cast<std::uint16_t>(*args.http_port);
    if (args.submission_port) cfg.submission_port = static_cast<std::uint16_t>(*args.submission_port);
    cfg.data_dir = args.data_dir;
    cfg.trace_path = args.trace;
    cfg.listen = args.listen;
    cfg.allow_plaintext_auth = args.allow_plaintext_auth;
    auto server = wire::Server::create(std::move(cfg), std::cout);
    if (!server) {
        std::cerr << "postino serve: " << server.error().message() << "\n";
        return 2;
    }
    return (*server)->run();
}

}  // namespace postino::app
