// loader.cpp — parsing and validating scenario files (docs/scenario-format.md).
#include "scenario/loader.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "net/ip.hpp"
#include "scenario/yaml_fields.hpp"

namespace postino::scenario {

const char* to_string(Role r) {
    switch (r) {
        case Role::UserAgent: return "user-agent";
        case Role::Mta: return "mta";
        case Role::Dns: return "dns";
        case Role::Webmail: return "webmail";
        case Role::Browser: return "browser";
    }
    return "?";
}

const HostSpec* Scenario::host(const std::string& n) const {
    for (const auto& h : hosts) {
        if (h.name == n) return &h;
    }
    return nullptr;
}

namespace {

const std::vector<std::string_view> kTopKeys{"name", "title", "description", "seed", "profile", "until", "hosts",
                                             "dns", "actions", "faults", "expect", "notes", "sweep"};
const std::vector<std::string_view> kSweepKeys{"kinds", "hosts", "names", "max-faults", "window", "max-length",
                                               "check-expectations"};
const std::vector<std::string_view> kSweepKinds{"host-down", "link-down", "link-loss", "dns-servfail", "dns-timeout",
                                                "smtp-451", "drop-after-data"};
const std::vector<std::string_view> kHostKeys{"name", "role", "link", "user", "submit-to", "submit-port", "domains",
                                              "imap", "domain", "password", "webmail",
                                              "mailboxes", "aliases", "profile", "relay-from", "leniencies",
                                              "max-message-size", "max-recipients", "delay-warning", "x-test-bug",
                                              "tls", "starttls", "x-starttls-inject"};
const std::vector<std::string_view> kTlsModes{"offer", "require"};
const std::vector<std::string_view> kStartTlsModes{"off", "when-offered", "required"};
const std::vector<std::string_view> kLinkKeys{"latency", "jitter", "bandwidth", "loss"};
const std::vector<std::string_view> kMailboxKeys{"name", "password", "quota", "quota-temporary"};
const std::vector<std::string_view> kDnsKeys{"mx", "a"};
const std::vector<std::string_view> kMxKeys{"preference", "host"};
const std::vector<std::string_view> kActionKeys{"at", "on", "send", "fetch", "browse"};
const std::vector<std::string_view> kBrowseKeys{"open", "send"};
const std::vector<std::string_view> kBrowseSendKeys{"to", "subject", "body", "in-reply-to"};
const std::vector<std::string_view> kFetchKeys{"protocol", "user", "password", "mode", "from", "apop", "drop-before-quit",
                                               "read", "move-to", "delete", "peek"};
const std::vector<std::string_view> kSendKeys{"to", "subject", "body", "from", "attachments", "raw", "raw-file",
                                              "verbatim"};
const std::vector<std::string_view> kAttachmentKeys{"file", "content", "type", "name"};
const std::vector<std::string_view> kFaultKinds{"host-down", "link-down", "link-change", "port-closed",
                                                "dns-nxdomain", "dns-servfail", "dns-timeout", "mailbox-full",
                                                "insertion-error", "smtp-reply", "drop-connection", "slow-reply"};
const std::vector<std::string_view> kDropStages{"greeting", "mail", "rcpt", "mid-data", "after-data"};
const std::vector<std::string_view> kSmtpCommands{"CONNECT", "MAIL", "RCPT", "DATA"};
const std::vector<std::string_view> kExpectKinds{"delivered", "bounced", "attempts", "deferred", "ua-error",
                                                 "trace-contains", "trace-lacks", "mailbox", "duplicates", "breaks",
                                                 "fetched"};
const std::vector<std::string_view> kPartKeys{"type", "encoding", "filename", "decoded", "decoded-contains"};
const std::vector<std::string_view> kInvariants{"conservation", "message-boundaries"};
// A file a scenario reads (raw message, attachment) may be at most as large
// as the message a server accepts by default (RFC 1870 SIZE; limits.hpp).
constexpr std::uintmax_t kMaxScenarioFileOctets = 10'240'000;
// RFC 5321 §4.1.1.4: the end of mail data; verbatim DATA octets must carry it.
constexpr std::string_view kEndOfData = "\r\n.\r\n";
const std::vector<std::string_view> kNoteKeys{"at", "text", "it"};
const std::vector<std::string_view> kRoles{"user-agent", "mta", "dns", "webmail", "browser"};
const std::vector<std::string_view> kProfiles{"postfix", "exim", "rfc5321", "classroom"};
const std::vector<std::string_view> kLeniencies{"bare-lf", "lf-ends-data"};

class Parser {
public:
    explicit Parser(std::string file) : f_(std::move(file)) {}

    Scenario parse(const YAML::Node& root) {
        Scenario s;
        s.file = f_.file();
        if (!root.IsDefined() || root.IsNull()) {
            throw ScenarioError(f_.file() + ":1:1", "empty scenario file: expected keys like name, hosts, actions");
        }
        f_.check_keys(root, kTopKeys, "the scenario");
        if (!root["name"]) f_.fail(root, "a scenario needs a 'name'");
        s.name = f_.str(root["name"], "name");
        if (root["title"]) s.title = f_.str(root["title"], "title");
        if (root["description"]) s.description = f_.str(root["description"], "description");
        if (root["seed"]) s.seed = f_.seed(root["seed"]);
        if (root["profile"]) s.profile = profile(root["profile"]);
        if (root["until"]) s.until = f_.duration(root["until"], "until");
        if (!root["hosts"]) f_.fail(root, "a scenario needs a 'hosts' list");
        f_.require_seq(root["hosts"], "hosts");
        for (const auto& h : root["hosts"]) s.hosts.push_back(host(h));
        if (root["dns"]) {
            f_.require_map(root["dns"], "dns");
            for (auto it = root["dns"].begin(); it != root["dns"].end(); ++it) {
                s.dns[f_.str(it->first, "DNS name")] = dns_name(it->second);
            }
        }
        if (root["actions"]) {
            f_.require_seq(root["actions"], "actions");
            for (const auto& a : root["actions"]) s.actions.push_back(action(a));
        }
        if (root["faults"]) {
            f_.require_seq(root["faults"], "faults");
            for (const auto& x : root["faults"]) s.faults.push_back(fault(x));
        }
        if (root["expect"]) {
            f_.require_seq(root["expect"], "expect");
            for (const auto& x : root["expect"]) s.expects.push_back(expect(x));
        }
        if (root["notes"]) {
            f_.require_seq(root["notes"], "notes");
            for (const auto& x : root["notes"]) s.notes.push_back(note(x));
        }
        if (root["sweep"]) s.sweep = sweep(root["sweep"]);
        validate(s, root);
        return s;
    }

private:
    std::string profile(const YAML::Node& n) {
        std::string p = f_.str(n, "profile");
        if (std::find(kProfiles.begin(), kProfiles.end(), p) == kProfiles.end()) {
            std::string msg = "unknown retry profile '" + p + "' (postfix, exim, rfc5321 or classroom)";
            if (auto s = nearest(p, kProfiles)) msg += "; did you mean '" + *s + "'?";
            f_.fail(n, msg);
        }
        return p;
    }

    LinkSpec link(const YAML::Node& n) {
        f_.check_keys(n, kLinkKeys, "link");
        LinkSpec l;
        if (n["latency"]) l.latency = f_.duration(n["latency"], "latency");
        if (n["jitter"]) l.jitter = f_.duration(n["jitter"], "jitter");
        if (n["bandwidth"]) l.bandwidth_bps = f_.rate_bps(n["bandwidth"], "bandwidth");
        if (n["loss"]) l.loss = f_.probability(n["loss"], "loss");
        return l;
    }

    HostSpec host(const YAML::Node& n) {
        f_.check_keys(n, kHostKeys, "host");
        HostSpec h;
        h.where = f_.where(n);
        if (!n["name"]) f_.fail(n, "a host needs a 'name'");
        h.name = f_.str(n["name"], "host name");
        if (!n["role"]) f_.fail(n, "host '" + h.name + "' needs a 'role' (user-agent, mta, dns, webmail or browser)");
        const std::string role = f_.str(n["role"], "role");
        if (role == "user-agent") h.role = Role::UserAgent;
        else if (role == "mta") h.role = Role::Mta;
        else if (role == "dns") h.role = Role::Dns;
        else if (role == "webmail") h.role = Role::Webmail;
        else if (role == "browser") h.role = Role::Browser;
        else {
            std::string msg = "unknown role '" + role + "' (user-agent, mta, dns, webmail or browser)";
            if (auto s = nearest(role, kRoles)) msg += "; did you mean '" + *s + "'?";
            f_.fail(n["role"], msg);
        }
        auto only_for = [&](const char* key, Role r) {
            if (n[key] && h.role != r) {
                f_.fail(n[key], std::string("'") + key + "' applies to " + to_string(r) + " hosts, not to a " +
                                    to_string(h.role));
            }
        };
        auto only_for2 = [&](const char* key, Role r1, Role r2) {
            if (n[key] && h.role != r1 && h.role != r2) {
                f_.fail(n[key], std::string("'") + key + "' applies to " + to_string(r1) + " and " + to_string(r2) +
                                    " hosts, not to a " + to_string(h.role));
            }
        };
        only_for2("user", Role::UserAgent, Role::Browser);
        only_for2("submit-to", Role::UserAgent, Role::Webmail);
        only_for("submit-port", Role::UserAgent);
        only_for("tls", Role::Mta);
        only_for2("starttls", Role::UserAgent, Role::Mta);
        only_for("x-starttls-inject", Role::UserAgent);
        auto one_of = [&](const char* key, const std::vector<std::string_view>& allowed, std::string& into) {
            if (!n[key]) return;
            into = f_.str(n[key], key);
            if (std::find(allowed.begin(), allowed.end(), into) != allowed.end()) return;
            std::string msg = "'" + std::string(key) + "' is ";
            for (std::size_t i = 0; i < allowed.size(); ++i) msg += (i ? (i + 1 == allowed.size() ? " or " : ", ") : "") + std::string(allowed[i]);
            if (auto near = nearest(into, allowed)) msg += "; did you mean '" + *near + "'?";
            f_.fail(n[key], msg);
        };
        one_of("tls", kTlsModes, h.tls);
        one_of("starttls", kStartTlsModes, h.starttls);
        if (n["x-starttls-inject"]) h.starttls_inject = f_.str(n["x-starttls-inject"], "x-starttls-inject");
        for (const char* k : {"imap", "domain"}) only_for(k, Role::Webmail);
        for (const char* k : {"password", "webmail"}) only_for(k, Role::Browser);
        for (const char* k : {"domains", "mailboxes", "aliases", "profile", "relay-from", "leniencies",
                              "max-message-size", "max-recipients", "delay-warning", "x-test-bug"}) {
            only_for(k, Role::Mta);
        }
        if (n["link"]) h.link = link(n["link"]);
        if (h.role == Role::UserAgent) {
            if (!n["user"]) f_.fail(n, "user agent '" + h.name + "' needs a 'user' (its address, e.g. alice@a.example)");
            h.user = f_.str(n["user"], "user");
            if (h.user.find('@') == std::string::npos) f_.fail(n["user"], "'user' must be an address local@domain");
            if (!n["submit-to"]) f_.fail(n, "user agent '" + h.name + "' needs 'submit-to' (its mail server host)");
            h.submit_to = f_.str(n["submit-to"], "submit-to");
            if (n["submit-port"]) h.submit_port = static_cast<std::uint16_t>(f_.integer(n["submit-port"], "submit-port", 1, 65535));
        }
        if (h.role == Role::Webmail) {
            if (!n["imap"]) f_.fail(n, "webmail '" + h.name + "' needs 'imap' (the mta host whose mailboxes it reads)");
            h.imap = f_.str(n["imap"], "imap");
            h.submit_to = n["submit-to"] ? f_.str(n["submit-to"], "submit-to") : h.imap;
            if (n["domain"]) h.domain = f_.str(n["domain"], "domain");
        }
        if (h.role == Role::Browser) {
            if (!n["user"]) f_.fail(n, "browser '" + h.name + "' needs a 'user' (the login name on its webmail)");
            h.user = f_.str(n["user"], "user");
            if (!n["password"]) f_.fail(n, "browser '" + h.name + "' needs a 'password'");
            h.password = f_.str(n["password"], "password");
            if (!n["webmail"]) f_.fail(n, "browser '" + h.name + "' needs 'webmail' (the webmail host it visits)");
            h.webmail = f_.str(n["webmail"], "webmail");
        }
        if (h.role == Role::Mta) {
            if (n["domains"]) h.domains = f_.str_list(n["domains"], "domains");
            if (n["mailboxes"]) {
                f_.require_seq(n["mailboxes"], "mailboxes");
                for (const auto& m : n["mailboxes"]) h.mailboxes.push_back(mailbox(m));
            }
            if (n["aliases"]) {
                f_.require_map(n["aliases"], "aliases");
                for (auto it = n["aliases"].begin(); it != n["aliases"].end(); ++it) {
                    h.aliases[f_.str(it->first, "alias")] = f_.str_list(it->second, "alias targets");
                }
            }
            if (n["profile"]) h.profile = profile(n["profile"]);
            if (n["relay-from"]) h.relay_from = f_.str_list(n["relay-from"], "relay-from");
            if (n["leniencies"]) {
                h.leniencies = f_.str_list(n["leniencies"], "leniencies");
                for (std::size_t i = 0; i < h.leniencies.size(); ++i) {
                    const auto& l = h.leniencies[i];
                    if (std::find(kLeniencies.begin(), kLeniencies.end(), l) == kLeniencies.end()) {
                        const YAML::Node at = n["leniencies"].IsSequence() ? n["leniencies"][i] : n["leniencies"];
                        std::string msg = "unknown leniency '" + l + "' (bare-lf, lf-ends-data)";
                        if (auto s = nearest(l, kLeniencies)) msg += "; did you mean '" + *s + "'?";
                        f_.fail(at, msg);
                    }
                }
            }
            if (n["max-message-size"]) h.max_message_size = f_.octets(n["max-message-size"], "max-message-size");
            if (n["max-recipients"]) h.max_recipients = static_cast<std::uint64_t>(f_.integer(n["max-recipients"], "max-recipients", 1, 100000));
            if (n["delay-warning"]) h.delay_warning = f_.duration(n["delay-warning"], "delay-warning");
            if (n["x-test-bug"]) {
                h.test_bug = f_.str(n["x-test-bug"], "x-test-bug");
                if (h.test_bug != "delete-before-250") f_.fail(n["x-test-bug"], "the only test bug is 'delete-before-250'");
            }
        }
        return h;
    }

    MailboxSpec mailbox(const YAML::Node& n) {
        MailboxSpec m;
        if (n.IsScalar()) {
            m.name = n.Scalar();
            return m;
        }
        f_.check_keys(n, kMailboxKeys, "mailbox");
        if (!n["name"]) f_.fail(n, "a mailbox needs a 'name'");
        m.name = f_.str(n["name"], "mailbox name");
        if (n["password"]) m.password = f_.str(n["password"], "password");
        if (n["quota"]) m.quota = f_.octets(n["quota"], "quota");
        if (n["quota-temporary"]) m.quota_temporary = f_.boolean(n["quota-temporary"], "quota-temporary");
        return m;
    }

    DnsNameSpec dns_name(const YAML::Node& n) {
        f_.check_keys(n, kDnsKeys, "DNS name");
        DnsNameSpec d;
        if (n["mx"]) {
            f_.require_seq(n["mx"], "mx");
            for (const auto& m : n["mx"]) {
                MxSpec mx;
                if (m.IsScalar()) {  // "10 mx.b.example"
                    std::istringstream in(m.Scalar());
                    int pref = -1;
                    in >> pref >> mx.host;
                    if (!in || pref < 0 || pref > 65535 || mx.host.empty()) {
                        f_.fail(m, "an MX entry is '<preference> <host>' or {preference: 10, host: mx.example}");
                    }
                    mx.preference = static_cast<std::uint16_t>(pref);
                } else {
                    f_.check_keys(m, kMxKeys, "MX entry");
                    if (!m["host"]) f_.fail(m, "an MX entry needs a 'host'");
                    mx.host = f_.str(m["host"], "MX host");
                    if (m["preference"]) mx.preference = static_cast<std::uint16_t>(f_.integer(m["preference"], "preference", 0, 65535));
                }
                d.mx.push_back(mx);
            }
        }
        if (n["a"]) d.a = f_.str_list(n["a"], "a");
        return d;
    }

    ActionSpec action(const YAML::Node& n) {
        f_.check_keys(n, kActionKeys, "action");
        ActionSpec a;
        a.where = f_.where(n);
        if (n["at"]) a.at = f_.duration(n["at"], "at");
        if (!n["on"]) f_.fail(n, "an action needs 'on' (the user agent that acts)");
        a.on = f_.str(n["on"], "on");
        if ((n["send"] ? 1 : 0) + (n["fetch"] ? 1 : 0) + (n["browse"] ? 1 : 0) > 1)
            f_.fail(n, "an action does one thing: 'send', 'fetch' or 'browse'");
        if (n["browse"]) {
            a.browse = browse(n["browse"]);
            return a;
        }
        if (n["fetch"]) {
            a.fetch = fetch(n["fetch"]);
            return a;
        }
        if (!n["send"]) f_.fail(n, "an action needs what to do: 'send', 'fetch' or 'browse'");
        const YAML::Node s = n["send"];
        f_.check_keys(s, kSendKeys, "send");
        if (!s["to"]) f_.fail(s, "'send' needs 'to'");
        a.send.to = f_.str_list(s["to"], "to");
        if (s["subject"]) a.send.subject = f_.str(s["subject"], "subject");
        if (s["body"]) a.send.body = f_.str(s["body"], "body");
        if (s["from"]) a.send.from = f_.str(s["from"], "from");
        if (s["attachments"]) {
            f_.require_seq(s["attachments"], "attachments");
            for (const auto& x : s["attachments"]) a.send.attachments.push_back(attachment(x));
        }
        if (s["raw"] && s["raw-file"]) f_.fail(s["raw-file"], "'send' takes 'raw' or 'raw-file', not both");
        const YAML::Node raw = s["raw"] ? s["raw"] : s["raw-file"];
        if (raw) {
            for (const char* k : {"subject", "body", "attachments"}) {
                if (s[k]) f_.fail(s[k], std::string("'") + k + "' cannot go with a raw message: the raw message is sent as written");
            }
            a.send.raw = s["raw"] ? f_.str(raw, "raw") : read_file(raw, f_.str(raw, "raw-file"), "raw-file");
        }
        if (s["verbatim"]) {
            a.send.verbatim = f_.boolean(s["verbatim"], "verbatim");
            if (a.send.verbatim && !raw) f_.fail(s["verbatim"], "'verbatim' applies to a raw message ('raw' or 'raw-file') only");
            if (a.send.verbatim && !a.send.raw->ends_with(kEndOfData)) {
                f_.fail(raw, "verbatim DATA octets must end with <CRLF>.<CRLF> (RFC 5321 §4.1.1.4), or the server waits for the end of the data forever");
            }
        }
        return a;
    }

    // browse: inbox | {open: UID} | {send: {to, subject, body, in-reply-to}} (docs/webmail.md)
    BrowseSpec browse(const YAML::Node& n) {
        BrowseSpec b;
        if (n.IsScalar()) {
            const std::string v = f_.str(n, "browse");
            if (v != "inbox") f_.fail(n, "'browse' is 'inbox', {open: UID} or {send: {...}}, not '" + v + "'");
            return b;
        }
        f_.require_map(n, "browse");
        f_.check_keys(n, kBrowseKeys, "browse");
        if ((n["open"] ? 1 : 0) + (n["send"] ? 1 : 0) != 1) f_.fail(n, "'browse' takes one of 'open' or 'send'");
        if (n["open"]) {
            b.kind = "open";
            b.id = std::to_string(f_.integer(n["open"], "open", 1, 4294967295LL));
            return b;
        }
        const YAML::Node s = n["send"];
        f_.require_map(s, "send");
        f_.check_keys(s, kBrowseSendKeys, "send");
        b.kind = "send";
        if (!s["to"]) f_.fail(s, "'send' needs 'to'");
        b.to = f_.str_list(s["to"], "to");
        if (s["subject"]) b.subject = f_.str(s["subject"], "subject");
        if (s["body"]) b.body = f_.str(s["body"], "body");
        if (s["in-reply-to"]) b.in_reply_to = f_.str(s["in-reply-to"], "in-reply-to");
        return b;
    }

    // fetch: {protocol: pop3, user, password, mode, from, apop, drop-before-quit} (docs/pop3.md)
    //    or {protocol: imap, user, password, from, read, move-to, delete, peek} (docs/imap.md)
    FetchSpec fetch(const YAML::Node& n) {
        f_.require_map(n, "fetch");
        f_.check_keys(n, kFetchKeys, "fetch");
        FetchSpec x;
        if (n["protocol"]) {
            x.protocol = f_.str(n["protocol"], "protocol");
            if (x.protocol != "pop3" && x.protocol != "imap")
                f_.fail(n["protocol"], "'fetch' speaks 'pop3' or 'imap', not '" + x.protocol + "'");
        }
        const bool imap = x.protocol == "imap";
        for (const char* k : {"mode", "apop", "drop-before-quit"})
            if (imap && n[k]) f_.fail(n[k], std::string("'") + k + "' is a POP3 setting; IMAP takes read, move-to, delete, peek");
        for (const char* k : {"read", "move-to", "delete", "peek"})
            if (!imap && n[k]) f_.fail(n[k], std::string("'") + k + "' is an IMAP setting: add 'protocol: imap'");
        if (n["read"]) {
            x.read = f_.str(n["read"], "read");
            if (x.read != "headers" && x.read != "text" && x.read != "whole")
                f_.fail(n["read"], "'read' is headers, text or whole, not '" + x.read + "'");
        }
        if (n["move-to"]) x.move_to = f_.str(n["move-to"], "move-to");
        if (n["delete"]) x.remove = f_.boolean(n["delete"], "delete");
        if (n["peek"]) x.peek = f_.boolean(n["peek"], "peek");
        if (!n["password"]) f_.fail(n, "'fetch' needs 'password' (the mailbox password)");
        x.password = f_.str(n["password"], "password");
        if (n["user"]) x.user = f_.str(n["user"], "user");
        if (n["from"]) x.server = f_.str(n["from"], "from");
        if (n["mode"]) {
            x.mode = f_.str(n["mode"], "mode");
            if (x.mode != "download-and-delete" && x.mode != "leave-on-server") {
                f_.fail(n["mode"], "'mode' is download-and-delete or leave-on-server, not '" + x.mode + "'");
            }
        }
        if (n["apop"]) x.apop = f_.boolean(n["apop"], "apop");
        if (n["drop-before-quit"]) x.drop_before_quit = f_.boolean(n["drop-before-quit"], "drop-before-quit");
        return x;
    }

    AttachmentSpec attachment(const YAML::Node& n) {
        f_.check_keys(n, kAttachmentKeys, "attachment");
        AttachmentSpec x;
        if (n["file"] && n["content"]) f_.fail(n["content"], "an attachment takes 'file' or 'content', not both");
        if (n["file"]) {
            const std::string path = f_.str(n["file"], "file");
            x.data = read_file(n["file"], path, "attachment file");
            x.filename = std::filesystem::path(path).filename().string();
        } else if (n["content"]) {
            x.data = f_.str(n["content"], "content");
        } else {
            f_.fail(n, "an attachment needs 'file' (a path) or 'content' (inline text)");
        }
        if (n["name"]) x.filename = f_.str(n["name"], "name");
        if (x.filename.empty()) f_.fail(n, "an inline attachment needs a 'name' (its file name, e.g. notes.txt)");
        if (n["type"]) {
            x.content_type = f_.str(n["type"], "type");
            const auto slash = x.content_type.find('/');
            if (slash == std::string::npos || slash == 0 || slash + 1 == x.content_type.size() ||
                x.content_type.find_first_of(" ;\t") != std::string::npos) {
                f_.fail(n["type"], "'type' must be a MIME type type/subtype (RFC 2045 §5.1), e.g. application/pdf, got '" + x.content_type + "'");
            }
        }
        return x;
    }

    // A file named by the scenario, relative to the scenario file's folder.
    std::string read_file(const YAML::Node& at, const std::string& path_text, const std::string& what) {
        std::filesystem::path p(path_text);
        if (p.is_relative()) p = std::filesystem::path(f_.file()).parent_path() / p;
        std::error_code ec;
        const auto size = std::filesystem::file_size(p, ec);
        std::ifstream in(p, std::ios::binary);
        if (ec || !in) f_.fail(at, "cannot read " + what + " '" + path_text + "' (looked for " + p.string() + ")");
        if (size > kMaxScenarioFileOctets) {
            f_.fail(at, what + " '" + path_text + "' is " + std::to_string(size) + " octets; at most " +
                            std::to_string(kMaxScenarioFileOctets) + " (the default SIZE limit, RFC 1870)");
        }
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    FaultSpec fault(const YAML::Node& n) {
        std::vector<std::string_view> keys{"at", "for", "until", "port", "link", "command", "reply", "times", "stage", "delay"};
        keys.insert(keys.end(), kFaultKinds.begin(), kFaultKinds.end());
        f_.check_keys(n, keys, "fault");
        FaultSpec x;
        x.where = f_.where(n);
        if (n["at"]) x.at = f_.duration(n["at"], "at");
        if (n["for"] && n["until"]) f_.fail(n, "a fault takes 'for' or 'until', not both");
        if (n["for"]) x.length = f_.duration(n["for"], "for");
        if (n["until"]) {
            const Time end = f_.duration(n["until"], "until");
            if (end <= x.at) f_.fail(n["until"], "'until' must be after 'at'");
            x.length = end - x.at;
        }
        int kinds = 0;
        for (auto k : kFaultKinds) {
            if (n[std::string(k)]) {
                ++kinds;
                x.kind = std::string(k);
                x.target = f_.str(n[std::string(k)], std::string(k));
            }
        }
        if (kinds != 1) f_.fail(n, "a fault names exactly one kind: host-down, link-down, link-change, port-closed, dns-nxdomain, dns-servfail, dns-timeout, mailbox-full, insertion-error, smtp-reply, drop-connection or slow-reply");
        if (n["command"] && x.kind != "smtp-reply" && x.kind != "slow-reply") {
            f_.fail(n["command"], "'command' applies to smtp-reply and slow-reply faults only");
        }
        if (n["command"]) {
            x.command = f_.str(n["command"], "command");
            if (std::find(kSmtpCommands.begin(), kSmtpCommands.end(), x.command) == kSmtpCommands.end()) {
                std::string msg = "unknown command '" + x.command + "' (CONNECT, MAIL, RCPT or DATA)";
                if (auto sug = nearest(x.command, kSmtpCommands)) msg += "; did you mean '" + *sug + "'?";
                f_.fail(n["command"], msg);
            }
        }
        if (x.kind == "slow-reply") {
            if (!n["delay"]) f_.fail(n, "a slow-reply fault needs 'delay' (how late the reply leaves, e.g. 6m)");
            x.delay = f_.duration(n["delay"], "delay");
            if (x.delay <= Duration{}) f_.fail(n["delay"], "'delay' must be positive");
        } else if (n["delay"]) {
            f_.fail(n["delay"], "'delay' applies to slow-reply faults only");
        }
        if (x.kind == "smtp-reply") {
            if (!n["command"]) f_.fail(n, "an smtp-reply fault needs 'command' (CONNECT, MAIL, RCPT or DATA)");
            if (!n["reply"]) f_.fail(n, "an smtp-reply fault needs 'reply', e.g. \"451 4.7.1 Greylisted, try again later\"");
            const std::string reply = f_.str(n["reply"], "reply");
            std::istringstream in(reply);
            std::string code, second;
            in >> code >> second;
            if (code.size() != 3 || code[0] < '2' || code[0] > '5' || !std::isdigit(static_cast<unsigned char>(code[1])) ||
                !std::isdigit(static_cast<unsigned char>(code[2]))) {
                f_.fail(n["reply"], "'reply' must start with a three-digit reply code (RFC 5321 §4.2), got '" + reply + "'");
            }
            x.code = std::stoi(code);
            std::string rest = reply.substr(std::min(reply.size(), std::size_t{4}));
            if (!second.empty() && std::isdigit(static_cast<unsigned char>(second[0])) && second.find('.') != std::string::npos) {
                x.enhanced = second;
                rest = reply.size() > 4 + second.size() ? reply.substr(4 + second.size() + 1) : std::string();
            }
            x.text = rest;
        } else if (n["reply"]) {
            f_.fail(n["reply"], "'reply' applies to smtp-reply faults only");
        }
        if (x.kind == "drop-connection") {
            if (n["stage"]) x.stage = f_.str(n["stage"], "stage");
            if (std::find(kDropStages.begin(), kDropStages.end(), x.stage) == kDropStages.end()) {
                std::string msg = "unknown stage '" + x.stage + "' (greeting, mail, rcpt, mid-data or after-data)";
                if (auto sug = nearest(x.stage, kDropStages)) msg += "; did you mean '" + *sug + "'?";
                f_.fail(n["stage"], msg);
            }
        } else if (n["stage"]) {
            f_.fail(n["stage"], "'stage' applies to drop-connection faults only");
        }
        if (n["times"]) {
            if (x.kind != "smtp-reply" && x.kind != "drop-connection" && x.kind != "slow-reply") f_.fail(n["times"], "'times' applies to smtp-reply, drop-connection and slow-reply faults only");
            x.times = static_cast<int>(f_.integer(n["times"], "times", 1, 1'000'000));
        }
        if (x.kind == "port-closed") {
            if (!n["port"]) f_.fail(n, "a port-closed fault needs 'port'");
            x.port = static_cast<std::uint16_t>(f_.integer(n["port"], "port", 1, 65535));
        } else if (n["port"]) {
            f_.fail(n["port"], "'port' applies to port-closed faults only");
        }
        if (x.kind == "link-change") {
            if (!n["link"]) f_.fail(n, "a link-change fault needs 'link' (latency, jitter, bandwidth, loss)");
            x.link = link(n["link"]);
        } else if (n["link"]) {
            f_.fail(n["link"], "'link' applies to link-change faults only");
        }
        return x;
    }

    ExpectSpec expect(const YAML::Node& n) {
        if (!n.IsMap() || n.size() != 1) f_.fail(n, "each expectation is one key: delivered, bounced, attempts, deferred, ua-error, trace-contains, trace-lacks, mailbox, duplicates or breaks");
        f_.check_keys(n, kExpectKinds, "expectation");
        ExpectSpec e;
        e.where = f_.where(n);
        const auto it = n.begin();
        e.kind = it->first.Scalar();
        const YAML::Node v = it->second;
        if (e.kind == "trace-contains" || e.kind == "trace-lacks") {
            e.text = f_.str(v, e.kind);
            return e;
        }
        if (e.kind == "ua-error") {
            if (v.IsScalar()) {
                e.to = v.Scalar();
                return e;
            }
            f_.check_keys(v, {"on"}, "ua-error");
            if (v["on"]) e.to = f_.str(v["on"], "on");
            return e;
        }
        if (e.kind == "breaks") return breaks(v, e);
        std::vector<std::string_view> keys;
        if (e.kind == "delivered") keys = {"to", "within", "after", "count"};
        else if (e.kind == "bounced") keys = {"to", "status", "within"};
        else if (e.kind == "attempts") keys = {"on", "at-least", "at-most", "exactly"};
        else if (e.kind == "deferred") keys = {"to", "at-least", "at-most", "exactly"};
        else if (e.kind == "duplicates") keys = {"to", "at-least", "exactly"};
        else if (e.kind == "fetched") keys = {"on", "count", "at-least", "at-most", "exactly", "contains", "lacks"};
        else keys = {"to", "contains", "lacks", "part", "count", "folder", "flags"};  // mailbox
        f_.check_keys(v, keys, e.kind);
        if (v["to"]) e.to = f_.str(v["to"], "to");
        if (v["on"]) e.to = f_.str(v["on"], "on");
        if (v["status"]) e.status = f_.str(v["status"], "status");
        if (v["within"]) e.within = f_.duration(v["within"], "within");
        if (v["after"]) e.after = f_.duration(v["after"], "after");
        if (e.after && e.within && *e.after >= *e.within) f_.fail(v["after"], "'after' must be before 'within'");
        if (v["contains"]) e.text = f_.str(v["contains"], "contains");
        if (v["lacks"]) e.lacks = f_.str(v["lacks"], "lacks");
        if (v["part"]) e.part = part(v["part"]);
        if (v["folder"]) e.folder = f_.str(v["folder"], "folder");
        if (v["flags"]) {
            // "\\Seen \\Flagged" or a list; each an IMAP flag (RFC 3501 §2.3.2) or keyword.
            std::vector<std::string> words;
            if (v["flags"].IsSequence()) {
                for (const auto& x : v["flags"]) words.push_back(f_.str(x, "flags"));
            } else {
                const std::string all = f_.str(v["flags"], "flags");
                std::size_t i = 0;
                while (i < all.size()) {
                    std::size_t j = all.find(' ', i);
                    if (j == std::string::npos) j = all.size();
                    if (j > i) words.push_back(all.substr(i, j - i));
                    i = j + 1;
                }
            }
            for (const auto& w : words) {
                if (w.empty() || w.find_first_of(" ()") != std::string::npos) f_.fail(v["flags"], "'" + w + "' is not an IMAP flag");
                e.flags.push_back(w);
            }
            if (e.flags.empty()) f_.fail(v["flags"], "'flags' names no flag");
        }
        if (v["at-least"]) e.at_least = f_.integer(v["at-least"], "at-least", 0, 1'000'000);
        if (v["at-most"]) e.at_most = f_.integer(v["at-most"], "at-most", 0, 1'000'000);
        if (v["exactly"]) e.exactly = f_.integer(v["exactly"], "exactly", 0, 1'000'000);
        if (v["count"]) e.exactly = f_.integer(v["count"], "count", 0, 1'000'000);
        if ((e.kind == "delivered" || e.kind == "bounced" || e.kind == "mailbox") && e.to.empty()) {
            f_.fail(v, "'" + e.kind + "' needs 'to'");
        }
        return e;
    }

    PartExpect part(const YAML::Node& n) {
        f_.require_map(n, "part");
        f_.check_keys(n, kPartKeys, "part");
        if (n.size() == 0) f_.fail(n, "'part' needs at least one of type, encoding, filename, decoded, decoded-contains");
        PartExpect p;
        if (n["type"]) p.type = f_.str(n["type"], "type");
        if (n["encoding"]) p.encoding = f_.str(n["encoding"], "encoding");
        if (n["filename"]) p.filename = f_.str(n["filename"], "filename");
        if (n["decoded"]) p.decoded = f_.str(n["decoded"], "decoded");
        if (n["decoded-contains"]) p.decoded_contains = f_.str(n["decoded-contains"], "decoded-contains");
        return p;
    }

    // `breaks`: the scenario breaks an invariant on purpose (DESIGN.md §2.5).
    ExpectSpec breaks(const YAML::Node& v, ExpectSpec e) {
        f_.require_map(v, "breaks");
        f_.check_keys(v, {"invariant", "on", "reason"}, "breaks");
        if (!v["invariant"]) f_.fail(v, "'breaks' needs 'invariant' (conservation or message-boundaries)");
        e.invariant = f_.str(v["invariant"], "invariant");
        if (std::find(kInvariants.begin(), kInvariants.end(), e.invariant) == kInvariants.end()) {
            std::string msg = "unknown invariant '" + e.invariant + "' (conservation or message-boundaries)";
            if (auto sug = nearest(e.invariant, kInvariants)) msg += "; did you mean '" + *sug + "'?";
            f_.fail(v["invariant"], msg);
        }
        if (v["on"]) e.to = f_.str(v["on"], "on");
        if (!v["reason"]) f_.fail(v, "'breaks' needs a 'reason': say why the scenario breaks " + e.invariant + " on purpose");
        e.reason = f_.str(v["reason"], "reason");
        return e;
    }

    SweepSpec sweep(const YAML::Node& n) {
        f_.check_keys(n, kSweepKeys, "sweep");
        SweepSpec w;
        w.where = f_.where(n);
        if (!n["kinds"]) f_.fail(n, "a sweep needs 'kinds' (host-down, link-down, link-loss, dns-servfail, dns-timeout, smtp-451, drop-after-data)");
        w.kinds = f_.str_list(n["kinds"], "kinds");
        for (std::size_t i = 0; i < w.kinds.size(); ++i) {
            if (std::find(kSweepKinds.begin(), kSweepKinds.end(), w.kinds[i]) == kSweepKinds.end()) {
                std::string msg = "unknown sweep fault kind '" + w.kinds[i] + "'";
                if (auto sug = nearest(w.kinds[i], kSweepKinds)) msg += "; did you mean '" + *sug + "'?";
                f_.fail(n["kinds"].IsSequence() ? n["kinds"][i] : n["kinds"], msg);
            }
        }
        if (n["hosts"]) w.hosts = f_.str_list(n["hosts"], "hosts");
        if (n["names"]) w.names = f_.str_list(n["names"], "names");
        if (n["max-faults"]) w.max_faults = static_cast<int>(f_.integer(n["max-faults"], "max-faults", 0, 50));
        if (n["window"]) w.window = f_.duration(n["window"], "window");
        if (n["max-length"]) w.max_length = f_.duration(n["max-length"], "max-length");
        if (w.window <= Duration{}) f_.fail(n["window"], "window must be positive");
        if (w.max_length < seconds(1)) f_.fail(n["max-length"], "max-length must be at least 1s");
        if (n["check-expectations"]) w.check_expectations = f_.boolean(n["check-expectations"], "check-expectations");
        return w;
    }

    NoteSpec note(const YAML::Node& n) {
        f_.check_keys(n, kNoteKeys, "note");
        NoteSpec x;
        if (n["at"]) x.at = f_.duration(n["at"], "at");
        if (!n["text"]) f_.fail(n, "a note needs 'text'");
        x.text = f_.str(n["text"], "text");
        if (n["it"]) x.it = f_.str(n["it"], "it");
        return x;
    }

    // Cross-references: every name used must be defined, with a suggestion.
    void validate(const Scenario& s, const YAML::Node& root) {
        std::set<std::string> names;
        std::vector<std::string_view> host_names;
        for (const auto& h : s.hosts) host_names.push_back(h.name);
        auto unknown_host = [&](const YAML::Node& at, const std::string& name, const std::string& role_hint) {
            std::string msg = "'" + name + "' is not a host of this scenario" + role_hint;
            if (auto sug = nearest(name, host_names)) msg += "; did you mean '" + *sug + "'?";
            f_.fail(at, msg);
        };
        const YAML::Node hosts = root["hosts"];
        std::map<std::string, std::string> domain_owner;
        for (std::size_t i = 0; i < s.hosts.size(); ++i) {
            const HostSpec& h = s.hosts[i];
            if (!names.insert(h.name).second) f_.fail(hosts[i]["name"], "host '" + h.name + "' is defined twice");
            for (const auto& d : h.domains) {
                auto [it, fresh] = domain_owner.emplace(d, h.name);
                if (!fresh) f_.fail(hosts[i]["domains"], "domain '" + d + "' is served by both '" + it->second + "' and '" + h.name + "'");
            }
        }
        for (std::size_t i = 0; i < s.hosts.size(); ++i) {
            const HostSpec& h = s.hosts[i];
            if (h.role == Role::UserAgent) {
                const HostSpec* mta = s.host(h.submit_to);
                if (mta == nullptr) unknown_host(hosts[i]["submit-to"], h.submit_to, " (submit-to must name an mta host)");
                if (mta->role != Role::Mta) f_.fail(hosts[i]["submit-to"], "submit-to '" + h.submit_to + "' is a " + to_string(mta->role) + ", not an mta");
            }
            if (h.role == Role::Webmail) {
                const HostSpec* m = s.host(h.imap);
                if (m == nullptr) unknown_host(hosts[i]["imap"], h.imap, " (imap must name an mta host with mailboxes)");
                if (m->role != Role::Mta || m->mailboxes.empty()) f_.fail(hosts[i]["imap"], "'" + h.imap + "' serves no mailboxes: 'imap' needs an mta host with mailboxes");
                const HostSpec* sub = s.host(h.submit_to);
                const YAML::Node at = hosts[i]["submit-to"] ? hosts[i]["submit-to"] : hosts[i]["imap"];
                if (sub == nullptr) unknown_host(at, h.submit_to, " (submit-to must name an mta host)");
                if (sub->role != Role::Mta) f_.fail(at, "submit-to '" + h.submit_to + "' is a " + to_string(sub->role) + ", not an mta");
                if (h.domain.empty() && m->domains.empty()) f_.fail(hosts[i]["imap"], "'" + h.imap + "' has no domains: give the webmail a 'domain'");
            }
            if (h.role == Role::Browser) {
                const HostSpec* w = s.host(h.webmail);
                if (w == nullptr) unknown_host(hosts[i]["webmail"], h.webmail, " (webmail must name a webmail host)");
                if (w->role != Role::Webmail) f_.fail(hosts[i]["webmail"], "'" + h.webmail + "' is a " + to_string(w->role) + ", not a webmail");
            }
            for (std::size_t r = 0; r < h.relay_from.size(); ++r) {
                if (s.host(h.relay_from[r]) == nullptr) unknown_host(hosts[i]["relay-from"], h.relay_from[r], "");
            }
        }
        for (auto it = root["dns"].begin(); root["dns"] && it != root["dns"].end(); ++it) {
            const DnsNameSpec& d = s.dns.at(it->first.Scalar());
            for (std::size_t k = 0; k < d.mx.size(); ++k) {
                if (s.host(d.mx[k].host) == nullptr) unknown_host(it->second["mx"][k], d.mx[k].host, " (an MX must name a host)");
            }
            for (std::size_t k = 0; k < d.a.size(); ++k) {
                if (s.host(d.a[k]) == nullptr && !net::Ip4::parse(d.a[k])) {
                    unknown_host(it->second["a"].IsSequence() ? it->second["a"][k] : it->second["a"], d.a[k], " nor an IPv4 address");
                }
            }
        }
        for (std::size_t i = 0; i < s.actions.size(); ++i) {
            const HostSpec* h = s.host(s.actions[i].on);
            const YAML::Node at = root["actions"][i]["on"];
            if (h == nullptr) unknown_host(at, s.actions[i].on, " (actions run on user agents and browsers)");
            if (s.actions[i].browse) {
                if (h->role != Role::Browser) f_.fail(at, "'" + h->name + "' is a " + to_string(h->role) + "; only browsers browse");
                for (const auto& to : s.actions[i].browse->to) {
                    if (to.find('@') == std::string::npos) f_.fail(root["actions"][i]["browse"]["send"]["to"], "'" + to + "' is not an address local@domain");
                }
                continue;
            }
            if (h->role != Role::UserAgent) f_.fail(at, "'" + h->name + "' is a " + to_string(h->role) + "; only user agents send or fetch (a browser browses)");
            if (const auto& fx = s.actions[i].fetch) {
                const std::string server = fx->server.empty() ? h->submit_to : fx->server;
                const HostSpec* m = s.host(server);
                const YAML::Node from = root["actions"][i]["fetch"]["from"] ? root["actions"][i]["fetch"]["from"] : at;
                if (m == nullptr) unknown_host(from, server, " (fetch reads from an mta host)");
                if (m->role != Role::Mta || m->mailboxes.empty()) {
                    f_.fail(from, "'" + server + "' serves no mailboxes by " + (fx->protocol == "imap" ? "IMAP" : "POP3") + ": fetch needs an mta host with mailboxes");
                }
            }
            for (const auto& to : s.actions[i].send.to) {
                if (to.find('@') == std::string::npos) f_.fail(root["actions"][i]["send"]["to"], "'" + to + "' is not an address local@domain");
            }
        }
        for (std::size_t i = 0; i < s.faults.size(); ++i) {
            const FaultSpec& x = s.faults[i];
            const YAML::Node at = root["faults"][i][x.kind];
            if (x.kind.rfind("dns-", 0) == 0) continue;  // a DNS name, any name is fine
            if (x.kind == "smtp-reply" || x.kind == "drop-connection" || x.kind == "slow-reply") {
                const HostSpec* h = s.host(x.target);
                if (h == nullptr) unknown_host(at, x.target, " (SMTP faults apply to mta hosts)");
                if (h->role != Role::Mta) f_.fail(at, "'" + x.target + "' is a " + to_string(h->role) + "; SMTP faults apply to mta hosts");
                continue;
            }
            if (x.kind == "mailbox-full" || x.kind == "insertion-error") {
                if (x.target.find('@') == std::string::npos) f_.fail(at, "'" + x.target + "' must be a mailbox address local@domain");
                continue;
            }
            if (s.host(x.target) == nullptr) unknown_host(at, x.target, "");
        }
        if (s.sweep) {
            for (std::size_t i = 0; i < s.sweep->hosts.size(); ++i) {
                if (s.host(s.sweep->hosts[i]) == nullptr) unknown_host(root["sweep"]["hosts"], s.sweep->hosts[i], "");
            }
        }
        for (std::size_t i = 0; i < s.expects.size(); ++i) {
            const ExpectSpec& e = s.expects[i];
            if ((e.kind == "ua-error" || e.kind == "attempts" || e.kind == "breaks") && !e.to.empty() && s.host(e.to) == nullptr) {
                unknown_host(root["expect"][i], e.to, "");
            }
        }
    }

    Fields f_;
};

}  // namespace

Result<Scenario> load_scenario_text(const std::string& text, const std::string& name) {
    try {
        const YAML::Node root = YAML::Load(text);
        return Parser(name).parse(root);
    } catch (const ScenarioError& e) {
        return Error{e.what_, e.where_};
    } catch (const YAML::Exception& e) {
        const std::string where = e.mark.is_null() ? name : name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1);
        return Error{"YAML syntax error: " + e.msg, where};
    }
}

Result<Scenario> load_scenario_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot open scenario file", path};
    std::ostringstream ss;
    ss << in.rdbuf();
    return load_scenario_text(ss.str(), path);
}

}  // namespace postino::scenario
