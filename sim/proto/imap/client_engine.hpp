// client_engine.hpp — the sans-I/O IMAP client engine of a user agent
// (DESIGN.md §2.1): log in, select a mailbox, fetch the headers (ENVELOPE)
// and structure of every message, then only the part it needs — the first
// text part, not a large attachment (the course's point about IMAP) — or
// the whole message, optionally move or delete what it read, and log out.
//
// RFC 3501 §6.2.3 (LOGIN), §6.3.1 (SELECT), §6.4.5 and §6.4.8 (UID FETCH
// of ENVELOPE, BODYSTRUCTURE, RFC822.SIZE and BODY[section]), §6.4.6 (UID
// STORE), RFC 6851 (UID MOVE; after NO [TRYCREATE] the client CREATEs the
// folder and moves again, §6.4.7), §6.4.3 (EXPUNGE), §6.1.3 (LOGOUT). Commands
// are sent one at a time; each waits for its tagged response.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "proto/imap/events.hpp"
#include "proto/imap/framer.hpp"
#include "proto/imap/response_parser.hpp"

namespace postino::imap {

enum class FetchWhat : std::uint8_t {
    Headers,   // ENVELOPE and BODYSTRUCTURE only
    TextPart,  // plus the first text/* part of each message
    Whole,     // plus BODY[] (what POP3 RETR would move)
};

struct ClientConfig {
    std::string user;
    std::string password;
    std::string mailbox = "INBOX";
    FetchWhat what = FetchWhat::TextPart;
    bool peek = false;            // BODY.PEEK: do not set \Seen
    std::string move_to;          // UID MOVE what was read there (RFC 6851), "" for none
    bool delete_after = false;    // UID STORE +FLAGS (\Deleted), then EXPUNGE
    Duration timeout = minutes(30);  // for any response (RFC 3501 §5.4's figure)
    // Only this message (the webmail opening one): "UID FETCH uid" instead of "1:*".
    std::optional<std::uint32_t> only_uid;
};

struct ClientMessage {
    std::uint32_t uid = 0;
    std::uint64_t size = 0;  // RFC822.SIZE
    std::string subject;     // from ENVELOPE
    std::string from;        // "name <mailbox@host>" of ENVELOPE's first from
    bool multipart = false;
    std::string section;     // what was fetched ("1", "1.1", "" for the whole message)
    std::string bytes;       // the fetched octets
};

struct ClientResult {
    bool finished = false;
    bool ok = false;
    std::string failure;  // "login refused", "no such mailbox", "connection lost", "timeout", ...
    std::uint32_t exists = 0;
    std::vector<ClientMessage> messages;
    std::uint64_t octets_total = 0;    // RFC822.SIZE of every message (what POP3 would download)
    std::uint64_t octets_fetched = 0;  // octets of the parts actually fetched
};

class ClientEngine {
public:
    explicit ClientEngine(ClientConfig config) : config_(std::move(config)) {}

    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);

    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const { return deadline_; }
    [[nodiscard]] const ClientResult& result() const { return result_; }

private:
    enum class Step : std::uint8_t { Greeting, Login, Select, Headers, Body, Create, Move, Store, Expunge, Logout, Done };
    void on_response(const ServerResponse& r);
    void on_tagged(const ServerResponse& r);
    void send(const std::string& command);
    void next_body();
    void after_bodies();
    void fail(std::string why);
    void finish(bool ok);
    void on_fetch(const ServerResponse& r);

    ClientConfig config_;
    ClientResult result_;
    Step step_ = Step::Greeting;
    int next_tag_ = 1;
    std::string tag_;
    std::size_t body_index_ = 0;
    bool created_ = false;  // CREATE sent after a NO [TRYCREATE] (RFC 3501 §6.4.7)
    CommandFramer framer_;
    std::string in_;
    std::string out_;
    std::deque<Event> events_;
    std::optional<Time> deadline_;
    Time now_{};
};

const char* to_string(FetchWhat w);

}  // namespace postino::imap
