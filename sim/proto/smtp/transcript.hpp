// transcript.hpp — reading and writing golden transcripts: readable text
// files of a protocol dialogue (docs/transcript-format.md). The tests feed
// them to the SMTP engines; the conformance harness will write the same
// format for sessions with real servers. Nothing here is SMTP-specific but
// the directive names.
//
// A line is `C: text` / `S: text` (a line sent by client / server, CRLF
// added), `C| escaped` / `S| escaped` (exact octets, no CRLF added), `M:`/`M|`
// (content of an expected received message), `B:`/`B|` (content of a message
// the client must send), `@directive args`, a `#` comment, or blank.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace postino::smtp {

struct TranscriptStep {
    enum class Kind : std::uint8_t {
        Client,   // octets the client sends
        Server,   // octets the server sends
        Eof,      // @eof: the peer of the engine under test closes
        Timeout,  // @timeout: time jumps to the engine's next deadline
        Wait,     // @wait <duration>: time advances
        Close,    // @close: the engine under test asks to close here
        Tls,      // @tls: the engine asked to start TLS; the handshake completes here
    };
    Kind kind = Kind::Client;
    std::string bytes;  // Client / Server
    Duration wait{};    // Wait
    int line = 0;       // line number in the file (1-based)
};

struct TranscriptMessage {
    std::string envelope;  // "from=<a@b> to=<c@d>,<e@f>": the @message argument, unescaped
    std::string content;   // M lines
    int line = 0;
};

struct TranscriptTxn {
    std::string spec;     // "from=<a@b> to=<c@d>,<e@f>": the @txn argument, unescaped
    std::string content;  // B lines
    int line = 0;
};

struct Transcript {
    std::string role = "server";                                // the engine under test: "server" or "client"
    std::vector<std::pair<std::string, std::string>> settings;  // @set key value
    std::vector<std::pair<std::string, std::string>> policy;    // @policy key value
    std::vector<TranscriptStep> steps;
    std::vector<TranscriptMessage> messages;  // @message + M lines
    std::vector<TranscriptTxn> txns;          // @txn + B lines
    std::vector<std::string> expects;         // @expect lines
};

// Parses a transcript; errors name the line ("file.txt:12: …" when `name` is given).
Result<Transcript> parse_transcript(std::string_view text, std::string_view name = {});

// Escapes: \r \n \t \0 \\ \xHH. unescape fails on a malformed escape.
Result<std::string> unescape(std::string_view s);
std::string escape(std::string_view bytes);

// One transcript line for octets sent by `who` ('C' or 'S'): the readable
// `C: text` form when the octets are one CRLF-terminated printable line,
// `C| escaped` otherwise. What the conformance harness writes.
std::string format_transcript_line(char who, std::string_view bytes);

}  // namespace postino::smtp
