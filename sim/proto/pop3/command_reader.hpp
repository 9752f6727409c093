// command_reader.hpp — bounded, incremental reader of POP3 command lines
// (server side).
//
// RFC 1939 §3: every command ends with CRLF; RFC 2449 §4: at most 255
// octets, CRLF included. Any LF ends a line *for recovery*: a line that does
// not end in CRLF, or that holds a CR elsewhere, is reported as BareLineEnd
// and never executed, so a bare LF can neither join two commands nor split
// one. A line with no LF within the limit is TooLong; the reader skips to
// the next LF and reports it once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::pop3 {

class CommandReader {
public:
    enum class Kind : std::uint8_t {
        NeedMore,     // no complete line yet (all input consumed)
        Line,         // `line` is a complete command line, without CRLF
        BareLineEnd,  // the line ended in a bare LF, or held a bare CR
        TooLong,      // the line exceeded kMaxCommandOctets; it was discarded
    };
    struct Step {
        Kind kind = Kind::NeedMore;
        std::size_t consumed = 0;  // octets of the input used
        std::string_view line;     // without its line end; valid until the next call
        std::string_view raw;      // the line with its line end (the first 255 octets of a TooLong line)
        std::size_t octets = 0;    // octets the whole line had, line end included
    };

    // Reads at most one line from the front of `in`.
    Step read(std::string_view in);
    // The split-long-commands fault (faults.hpp): a line with no LF within
    // `octets` octets is returned as a Line of those octets, and the rest is
    // read as further lines, the desynchronisation RFC 2449 §4 rules out.
    void split_at(std::size_t octets) { split_at_ = octets; }
    // Octets held for the incomplete line (bounded by kMaxCommandOctets).
    [[nodiscard]] std::size_t buffered() const { return buf_.size(); }

private:
    Step finish(std::string_view line, std::size_t consumed);

    std::string buf_;            // the start of an incomplete line
    std::string held_;           // the last line, when it was assembled from pieces
    std::size_t discarded_ = 0;  // octets of an overlong line skipped so far
    bool discarding_ = false;
    std::size_t split_at_ = 0;  // 0: no fault
};

}  // namespace postino::pop3
