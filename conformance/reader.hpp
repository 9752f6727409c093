// reader.hpp — reading one reply from a server, bounded in every way
// (line length, lines per reply, literal and body size, time), with the
// syntax problems it saw recorded instead of thrown:
//   SMTP  RFC 5321 §4.2 (`ddd SP text` / `ddd-text` lines, one code per reply);
//   POP3  RFC 1939 §3 (+OK / -ERR status line, multi-line bodies byte-stuffed
//         and ended by "." CRLF);
//   IMAP  RFC 3501 §2.2.2, §4.3, §7 (untagged "*", continuation "+", tagged
//         status lines; {n} literals inside response lines).
// A hostile server (endless line, huge literal, garbage, silence) gives an
// error string, never a hang or an unbounded buffer.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "conformance/suite.hpp"
#include "conformance/transport.hpp"

namespace postino::conformance {

// The error of a read that found no complete reply before its deadline (an
// expect step with `must-answer: true` turns it into a failure of the step).
inline constexpr std::string_view kNoReplyInTime = "no complete reply within the timeout";

// Bounds of ours on what a server may send for one reply.
inline constexpr std::size_t kMaxReplyLineOctets = 64 * 1024;         // far above RFC 5321 §4.5.3.1.5's 512
inline constexpr std::size_t kMaxReplyLines = 10000;                  // lines of one reply (a LIST of a big maildrop)
inline constexpr std::size_t kMaxBodyOctets = std::size_t{32} << 20;  // a POP3 body or IMAP literals of one reply
inline constexpr std::size_t kMaxLiteralOctets = std::size_t{16} << 20;

struct Reply {
    std::vector<std::string> lines;   // every line read, without its line end (IMAP: literals inlined)
    std::vector<std::size_t> octets;  // octets of each line, line end included
    std::vector<std::string> problems;  // syntax problems, for people ("line 2 repeats code 251, not 250")
    int code = 0;            // SMTP
    std::string status;      // POP3 "+OK"/"-ERR"; IMAP "OK"/"NO"/"BAD"/"PREAUTH"/"BYE" (tagged or greeting)
    std::string tagged;      // IMAP: the tagged line
    bool continuation = false;  // IMAP: ended by a "+" line
    std::vector<std::string> untagged;  // IMAP "* ..." lines
    std::string body;        // POP3 multi-line body un-stuffed, CRLF lines; IMAP: the literals
    bool closed = false;     // the connection closed (during or instead of the reply)

    [[nodiscard]] std::string text() const;  // lines joined by '\n'
    [[nodiscard]] bool empty() const { return lines.empty(); }
};

// What the reader should read.
struct ReadSpec {
    Protocol protocol = Protocol::Smtp;
    bool pop3_multiline = false;  // POP3: read the body after a +OK
    std::string imap_tag;         // IMAP: read up to this tagged line
    bool imap_continuation = false;  // IMAP: read up to a "+" line (or a tagged refusal)
};

// A connection with its unread input.
class Conn {
public:
    Conn(std::unique_ptr<Stream> s, std::uint64_t id, const Transport& clock)
        : stream_(std::move(s)), id_(id), clock_(clock) {}
    Stream& stream() { return *stream_; }
    [[nodiscard]] std::uint64_t id() const { return id_; }
    [[nodiscard]] bool closed() const { return closed_ && buf_.empty(); }

    // One reply, read within `timeout`. An error (timeout, bound crossed,
    // transport failure) is returned as Error; syntax problems are in the Reply.
    // `on_line` sees every raw line read (for traces).
    Result<Reply> read_reply(const ReadSpec& spec, Duration timeout,
                             const std::function<void(std::string_view)>& on_line);
    // IMAP: the tags of the command lines just written, in order, so that a
    // missing tagged response is told from a slow one (RFC 3501 §2.2.2).
    void note_sent(std::string_view bytes);
    // Waits `d`; returns the octets that arrived (none expected by a silence step).
    std::string read_for(Duration d, bool& closed);
    // Waits up to `timeout` for the server to close; the octets that came first.
    Result<std::string> wait_close(Duration timeout);
    // Octets read but not yet part of a reply (before a TLS switch there must be none).
    [[nodiscard]] std::string_view unread() const { return std::string_view(buf_).substr(off_); }
    // Switches the connection to TLS (transport.hpp); the IMAP tags of the
    // plaintext session are forgotten, since a new session begins.
    Result<TlsInfo> start_tls(const TlsStart& how);
    [[nodiscard]] bool tls() const { return tls_; }

private:
    struct Line {
        std::string text;
        std::size_t octets = 0;
        bool bare_lf = false;
    };
    // Result: a line; nullopt when the connection closed first.
    Result<std::optional<Line>> line(Time deadline);
    Result<std::optional<std::string>> octets(std::size_t n, Time deadline);
    Status fill(Time deadline);  // reads once more into buf_ (error on timeout)

    std::unique_ptr<Stream> stream_;
    std::uint64_t id_;
    const Transport& clock_;
    std::string buf_;
    std::size_t off_ = 0;
    bool closed_ = false;
    bool tls_ = false;
    std::map<std::string, std::string> stashed_tagged_;  // IMAP tagged lines read ahead, by tag
    std::vector<std::string> sent_tags_;                 // IMAP: tags in the order they were sent
};

}  // namespace postino::conformance
