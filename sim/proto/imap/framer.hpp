// framer.hpp — bounded, incremental framing of IMAP commands (server side):
// where one command ends, with its literals.
//
// RFC 3501 §2.2 (a command is lines ending in CRLF), §4.3 and §7.5 (a line
// ending in "{n}" announces a literal of n octets, sent after the server's
// "+" continuation), RFC 7888 §3 ("{n+}": the literal follows at once). The
// framer does not parse arguments (command.hpp does); it only finds literal
// markers at line ends, which is unambiguous because "{" can appear in no
// atom and a quoted string never ends a line (RFC 3501 §9).
//
// Strictness: a line ending in a bare LF or holding a bare CR or a NUL is
// reported (BadLine) and never executed. Hopeless input — a line longer than
// kMaxLineOctets, a broken line that announced a literal, a
// non-synchronizing literal that is too large, a command over
// kMaxCommandOctets — is reported as fatal: the server answers BYE, because
// it can no longer tell where the next command starts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::imap {

enum class FrameError : std::uint8_t {
    None,
    LineTooLong,      // fatal: a line (literals excluded) over kMaxLineOctets
    BadLine,          // a bare LF, a bare CR or a NUL in a line
    LiteralTooLarge,  // a literal over kMaxLiteralOctets (fatal when non-synchronizing)
    CommandTooLarge,  // fatal: lines and literals over kMaxCommandOctets
    TooManyLiterals,  // more than kMaxLiteralsPerCommand literals
    BadLiteralMarker, // "{...}" at a line end that is not a valid literal length
};
const char* to_string(FrameError e);

class CommandFramer {
public:
    enum class Kind : std::uint8_t {
        NeedMore,  // all input consumed, no complete command
        Command,   // `command` is complete (without the final CRLF)
        Literal,   // a synchronizing literal of `literal` octets is announced:
                   // the host calls accept_literal() (and sends "+") or refuse_literal()
        Error,     // `error`; `fatal` says whether the session can go on
    };
    struct Step {
        Kind kind = Kind::NeedMore;
        std::size_t consumed = 0;
        std::string_view command;  // Command: lines and literals as received; valid until the next call
        std::uint64_t literal = 0;
        FrameError error = FrameError::None;
        bool fatal = false;
        std::string tag;  // best effort: the first word of the command, "" if none
    };

    // Reads from the front of `in` until one step happens.
    Step read(std::string_view in);
    // After a Literal step: the literal will be read.
    void accept_literal();
    // After a Literal step: the command is dropped (the client sends no
    // literal after a refusal, RFC 3501 §7.5).
    void refuse_literal();
    // Octets held for the incomplete command.
    [[nodiscard]] std::size_t buffered() const { return cmd_.size() + line_.size(); }
    [[nodiscard]] bool awaiting_decision() const { return state_ == State::Decide; }

private:
    enum class State : std::uint8_t { Line, Literal, Decide };
    Step end_line(std::size_t consumed);
    Step error(FrameError e, bool fatal, std::size_t consumed);
    void reset();

    State state_ = State::Line;
    std::string cmd_;   // the command so far (earlier lines with CRLF, literals)
    std::string line_;  // the current line, without its line end
    std::string done_;  // the last complete command, returned by view
    std::uint64_t literal_left_ = 0;
    std::uint64_t pending_literal_ = 0;
    std::size_t literals_ = 0;
};

}  // namespace postino::imap
