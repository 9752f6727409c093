// scenario.hpp — the scenario model: what a YAML scenario file declares
// (DESIGN.md §2.4, docs/scenario-format.md). Pure data; the loader fills it,
// the validator checks references, the runner builds a world from it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace postino::scenario {

struct LinkSpec {
    std::optional<Duration> latency, jitter;
    std::optional<std::uint64_t> bandwidth_bps;
    std::optional<double> loss;
};

struct MailboxSpec {
    std::string name;              // local part
    std::string password;
    std::uint64_t quota = 0;       // octets; 0: none
    bool quota_temporary = false;  // 452 4.2.2 instead of 552 5.2.2
};

enum class Role : std::uint8_t { UserAgent, Mta, Dns, Webmail, Browser };
const char* to_string(Role r);

struct HostSpec {
    std::string name;
    Role role = Role::Mta;
    std::string where;  // file:line:col of the entry, for later errors
    LinkSpec link;
    // user-agent (browser: `user` is the login name)
    std::string user;        // alice@a.example
    std::string submit_to;   // its MTA host (webmail: where composed mail goes)
    std::uint16_t submit_port = 587;
    // mta
    std::vector<std::string> domains;
    std::vector<MailboxSpec> mailboxes;
    std::map<std::string, std::vector<std::string>> aliases;  // local part or address -> targets
    std::string profile;                 // retry profile name (empty: scenario's)
    std::vector<std::string> relay_from; // hosts allowed to relay through it (empty: its user agents)
    std::vector<std::string> leniencies; // named SMTP leniencies, opt-in
    std::optional<std::uint64_t> max_message_size;
    std::optional<std::uint64_t> max_recipients;
    std::optional<Duration> delay_warning;
    // webmail (docs/webmail.md): the mta host whose IMAP store it reads, the mail domain of its users
    std::string imap;
    std::string domain;
    // browser: its password and the webmail host it visits
    std::string password;
    std::string webmail;
    // STARTTLS (RFC 3207): an mta's `tls` (offer | require: STARTTLS in EHLO;
    // require also refuses MAIL before TLS), a client's `starttls` (off |
    // when-offered | required; an mta's applies to relaying), and a user
    // agent's `x-starttls-inject`: octets a man in the middle appends to its
    // STARTTLS (the CVE-2011-0411 lesson).
    std::string tls;
    std::string starttls;
    std::string starttls_inject;
    std::string test_bug;  // test-only: plant a known bug ("delete-before-250") so a sweep can find it
};

struct MxSpec {
    std::uint16_t preference = 10;
    std::string host;
};

struct DnsNameSpec {
    std::vector<MxSpec> mx;
    std::vector<std::string> a;  // host names (resolved to their addresses) or dotted quads
};

struct AttachmentSpec {
    std::string filename;      // as shown to the reader (`name`, default: the file's base name)
    std::string content_type;  // `type`; empty: application/octet-stream
    std::string data;          // the file's octets (read at load time) or the inline `content`
};

struct SendSpec {
    std::vector<std::string> to;
    std::string subject;
    std::string body;
    std::string from;  // default: the user agent's user
    std::vector<AttachmentSpec> attachments;
    // `raw` / `raw-file`: a message written by hand, sent instead of a composed
    // one (the file is read at load time, so a run does no I/O).
    std::optional<std::string> raw;
    bool verbatim = false;  // UNSAFE: raw DATA octets sent as they are (the smuggling lesson)
};

// `fetch`: the user agent downloads its mail by POP3 (docs/pop3.md).
struct FetchSpec {
    std::string user;      // POP3 user name; default: the local part of the user agent's user
    std::string password;
    std::string mode = "download-and-delete";  // or "leave-on-server" (UIDLs remembered across fetches)
    std::string server;    // the mta host; default: the user agent's submit-to
    bool apop = false;     // APOP instead of USER/PASS (RFC 1939 §7)
    bool drop_before_quit = false;  // drop the connection instead of QUIT: nothing is deleted
    std::string protocol = "pop3";  // or "imap" (docs/imap.md)
    // IMAP only: what to read after the headers: "headers", "text" (the
    // first text part) or "whole"; then optionally move or delete it.
    std::string read = "text";
    std::string move_to;
    bool remove = false;  // `delete: true`
    bool peek = false;    // BODY.PEEK: leave \Seen unset
};

// `browse`: what a browser host does on its webmail (docs/webmail.md).
struct BrowseSpec {
    std::string kind = "inbox";  // inbox, open, send
    std::string id;              // open: the message's UID
    std::vector<std::string> to; // send: the compose form
    std::string subject, body, in_reply_to;
};

struct ActionSpec {
    Time at{};
    std::string on;  // host
    std::string where;
    SendSpec send;
    std::optional<FetchSpec> fetch;    // set: a fetch action instead of a send
    std::optional<BrowseSpec> browse;  // set: a browser's visit
};

struct FaultSpec {
    Time at{};
    Duration length = Duration::max();  // `for`; max = until the end
    std::string kind;                   // host-down, link-down, link-change, port-closed, dns-nxdomain, …
    std::string target;                 // host, DNS name, …
    std::uint16_t port = 0;             // port-closed
    LinkSpec link;                      // link-change
    std::string command;                // smtp-reply: CONNECT, MAIL, RCPT or DATA
    int code = 0;                       // smtp-reply
    std::string enhanced, text;         // smtp-reply
    int times = -1;                     // smtp-reply, drop-connection, slow-reply: uses (-1: while active)
    std::string stage = "after-data";   // drop-connection: greeting, mail, rcpt, mid-data, after-data
    Duration delay{};                   // slow-reply; `command` empty: every reply
    std::string where;
};

// `part` of a mailbox expectation: some MIME leaf of a stored message matches
// every key given (docs/scenario-format.md).
struct PartExpect {
    std::string type;      // "application/pdf" (case-insensitive)
    std::string encoding;  // Content-Transfer-Encoding, "base64"
    std::string filename;  // Content-Disposition filename (or Content-Type name)
    std::optional<std::string> decoded;  // the decoded body equals this (line ends compared as LF)
    std::string decoded_contains;        // the decoded body contains this
};

struct ExpectSpec {
    std::string kind;  // delivered, bounced, attempts, deferred, ua-error, trace-contains, trace-lacks, mailbox, duplicates, breaks, fetched
    std::string to;    // address / mailbox / host
    std::string status;               // bounced: enhanced status
    std::optional<Duration> within;   // delivered within
    std::optional<Duration> after;    // delivered, but not before this time
    std::optional<std::int64_t> at_least, at_most, exactly;
    std::string text;                 // trace-contains / trace-lacks / mailbox contains
    std::string lacks;                // mailbox: no stored message contains this
    std::optional<PartExpect> part;   // mailbox: a MIME part of a stored message
    std::string folder;               // mailbox: the folder counted (default INBOX)
    std::vector<std::string> flags;   // mailbox: count only messages holding all these IMAP flags at the end
    std::string invariant;            // breaks: conservation or message-boundaries
    std::string reason;               // breaks: why it is broken on purpose
    std::string where;
};

struct NoteSpec {
    Time at{};
    std::string text;
    std::string it;  // Italian text
};

// A fault space for `postino sweep` (docs/sweep.md): each seed draws up to
// `max_faults` faults of the given kinds on the given targets, starting in
// [0, window), lasting [1s, max_length].
struct SweepSpec {
    std::vector<std::string> kinds;   // host-down, link-down, link-loss, dns-servfail, dns-timeout, smtp-451, drop-after-data
    std::vector<std::string> hosts;   // targets for host/link/SMTP faults (default: every mta)
    std::vector<std::string> names;   // targets for DNS faults (default: every dns name)
    int max_faults = 3;
    Duration window = hours(1);
    Duration max_length = minutes(10);
    bool check_expectations = false;  // sweeps check invariants; expectations may not hold under faults
    std::string where;
};

struct Scenario {
    std::string file;
    std::string name;
    std::string title;
    std::string description;
    std::uint64_t seed = 1;
    std::string profile = "postfix";
    std::optional<Duration> until;
    std::vector<HostSpec> hosts;
    std::map<std::string, DnsNameSpec> dns;
    std::vector<ActionSpec> actions;
    std::vector<FaultSpec> faults;
    std::vector<ExpectSpec> expects;
    std::vector<NoteSpec> notes;
    std::optional<SweepSpec> sweep;

    [[nodiscard]] const HostSpec* host(const std::string& name) const;
};

}  // namespace postino::scenario
