// command_reader.hpp — bounded, incremental reader of SMTP command lines
// (server side).
//
// RFC 5321 §2.3.8 (lines end with CRLF only; bare CR and LF are not line
// ends), §4.5.3.1.4 (512-octet command lines, CRLF included), §4.5.3.1.10
// ("500 Line too long"). Any LF ends a line *for recovery*: a line that does
// not end in CRLF, or that holds another CR, is reported as bad and never
// executed, so a bare LF can neither join two commands nor split one. Under
// the opt-in leniency `lf_ends_line` an LF alone is an accepted line end
// (Postfix's `smtpd_forbid_bare_newline = normalize` behaviour for commands).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino::smtp {

class CommandReader {
public:
    enum class Kind : std::uint8_t {
        NeedMore,     // no complete line yet
        Line,         // `line` is a complete command line, without its line end
        BareLineEnd,  // the line ended in a bare LF, or held a bare CR (§2.3.8)
        TooLong,      // the line exceeded kMaxCommandLineOctets; it was discarded
    };
    struct Step {
        Kind kind = Kind::NeedMore;
        std::size_t consumed = 0;  // octets of the input used
        std::string_view line;     // without its line end; valid until the next call
        std::string_view raw;      // the line with its line end (the first 512 octets of a TooLong line)
        std::size_t octets = 0;    // raw octets of the whole line, line end included
    };

    explicit CommandReader(bool lf_ends_line = false) : lf_ends_line_(lf_ends_line) {}

    // Reads at most one line from the front of `in`.
    Step read(std::string_view in);
    // Octets held for the incomplete line (bounded by kMaxCommandLineOctets).
    [[nodiscard]] std::size_t buffered() const { return buf_.size(); }
    // The first octets of a discarded overlong line (for the trace).
    [[nodiscard]] const std::string& discarded_head() const { return head_; }
    void set_lf_ends_line(bool on) { lf_ends_line_ = on; }

private:
    Step finish(std::string_view line, std::size_t consumed);

    std::string buf_;
    std::string head_;
    std::size_t discarded_ = 0;  // octets of the overlong line dropped so far
    bool discarding_ = false;
    bool lf_ends_line_;
};

}  // namespace postino::smtp
