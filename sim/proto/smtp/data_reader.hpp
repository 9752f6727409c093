// data_reader.hpp — the server's DATA receiver: finds the end of the mail
// data, removes dot-stuffing, enforces line and size limits, and decides what
// a bare CR or LF means. Input may arrive split anywhere; the result never
// depends on where.
//
// RFC 5321 §4.1.1.4 (only <CRLF>.<CRLF> ends the data), §4.5.2 (a leading
// dot on a line with other characters is removed), §2.3.8 (bare CR and LF
// are not line ends), §4.5.3.1.6 (1000-octet text lines, not counting the
// dot added for transparency), RFC 1870 §6 (data beyond the size limit);
// the SMTP smuggling attacks (CVE-2023-51764/5/6).
//
// Line-end modes (docs/smtp.md, "Leniencies"):
//  - Strict (default): a bare CR or LF marks the message for rejection; the
//    data still ends only at <CRLF>.<CRLF>, so nothing after a bare-LF "end"
//    can become a second message.
//  - Normalize (opt-in): a bare CR or LF is stored as CRLF, but the data
//    still ends only at a real <CRLF>.<CRLF> (Postfix ≥ 3.9 "normalize").
//  - LfEndsLine (opt-in, UNSAFE): an LF alone ends a line, also around the
//    final dot, so `<LF>.<LF>` ends the data. It exists only so a scenario
//    can show SMTP smuggling; never use it for anything else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postino::smtp {

enum class LineEndMode : std::uint8_t { Strict, Normalize, LfEndsLine };
const char* to_string(LineEndMode m);

// What was wrong with the data; everything but eight_bit rejects the message.
struct DataProblems {
    bool too_big = false;    // more than the size limit (RFC 1870 §6)
    bool bare_cr = false;    // a CR not followed by LF (Strict mode)
    bool bare_lf = false;    // an LF not preceded by CR (Strict mode)
    bool nul = false;        // a NUL octet (RFC 5321 §4.5.2 / RFC 5322 §2.3)
    bool long_line = false;  // a line over kMaxTextLineOctets (§4.5.3.1.6)
    bool eight_bit = false;  // an octet >= 0x80 in a 7BIT body (RFC 6152 §3)
    [[nodiscard]] bool rejects() const { return too_big || bare_cr || bare_lf || nul || long_line; }
};

class DataReader {
public:
    struct Options {
        LineEndMode mode = LineEndMode::Strict;
        std::uint64_t max_octets = UINT64_MAX;  // stored (unstuffed) octets allowed
        bool accept_long_lines = false;         // leniency: no 1000-octet line limit
        bool seven_bit = true;                  // note 8-bit octets (BODY=7BIT or none)
        // Deliberate defects for the conformance tests (faults.hpp), all off.
        bool fault_dot_line_ends = false;  // a line ".x" (not "..x") ends the data (§4.1.1.4)
        bool fault_cr_ends_line = false;   // a bare CR ends a line, so <CR>.<CRLF> ends the data (§2.3.8)
        bool fault_drop_nul = false;       // NUL octets vanish before the end is looked for (§4.1.1.4)
        bool fault_keep_bare_lf = false;   // Strict: a bare LF is stored, not refused (§2.3.8)
    };
    struct Step {
        std::size_t consumed = 0;  // octets used, the final ".\r\n" included
        bool done = false;         // the end of the data was found
    };

    // Starts reading a new message (after the 354).
    void begin(const Options& opt);
    // Reads from `in` until the end of the data or of the input.
    Step read(std::string_view in);

    [[nodiscard]] const DataProblems& problems() const { return problems_; }
    // The message as stored: unstuffed, CRLF line ends. Empty once the
    // message is known to be rejected (nothing more is stored after that).
    std::string take_content();
    [[nodiscard]] std::size_t content_size() const { return stored_; }
    // Octets received for this message so far (wire form).
    [[nodiscard]] std::uint64_t wire_octets() const { return wire_octets_; }

private:
    enum class State : std::uint8_t {
        LineStart,      // at the start of a line after a real CRLF (or the 354)
        LineStartSoft,  // at the start of a line after a bare CR/LF (Normalize)
        Dot,            // a line began with "." after a real CRLF: maybe the end
        DotSoft,        // a line began with "." after a bare line end: never the end
        DotCr,          // ".\r" after a real CRLF
        Mid,            // inside a line
        Cr,             // a CR inside a line, waiting to see what follows
    };
    // One octet through the state machine; true when the data ended.
    bool step(char c);
    void store(const char* p, std::size_t n);
    void store_str(std::string_view s) { store(s.data(), s.size()); }
    void end_line(bool real_crlf);
    void problem(bool& flag);
    // Consumes whole clean lines (and a clean tail) quickly; returns octets used.
    std::size_t fast_lines(const char* p, std::size_t n);

    // Content is stored in chunks of kChunkOctets and joined once by
    // take_content(): a growing string would be copied into fresh memory at
    // every doubling. A few chunks are kept for the next message.
    static constexpr std::size_t kChunkOctets = std::size_t{64} * 1024;
    static constexpr std::size_t kSpareChunks = 4;
    void drop_content();

    Options opt_;
    State state_ = State::LineStart;
    DataProblems problems_;
    std::vector<std::string> chunks_;  // full chunks, then the one being filled
    std::vector<std::string> spare_;   // emptied chunks kept for reuse
    std::size_t stored_ = 0;           // octets in chunks_
    std::size_t line_len_ = 0;         // stored octets of the current line, line end excluded
    std::uint64_t wire_octets_ = 0;
    bool storing_ = true;
};

}  // namespace postino::smtp
