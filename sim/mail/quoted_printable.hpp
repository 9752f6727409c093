// quoted_printable.hpp — the quoted-printable content-transfer-encoding.
//
// RFC 2045 §6.7: literal printable octets, '=XX' with upper-case hex for the
// rest, whitespace at the end of a line always encoded, lines of at most 76
// characters kept short with '=' soft line breaks, and a decoder that deletes
// trailing whitespace (added by transports) and rejects what the rules forbid
// unless a named leniency allows it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "mail/leniency.hpp"

namespace postino::mail {

// RFC 2045 §6.7 rule (5): encoded lines are no more than 76 characters.
inline constexpr std::size_t kQpLineChars = 76;

enum class QpMode : std::uint8_t {
    text,    // CRLF in the input is a hard line break, kept as CRLF
    binary,  // every CR and LF is encoded as =0D / =0A (RFC 2045 §6.7 rule 4 note)
};

void qp_encode_to(std::string_view data, QpMode mode, std::string& out);
std::string qp_encode(std::string_view data, QpMode mode = QpMode::text);

struct QpReport {
    std::size_t trailing_ws_removed = 0;  // lines whose trailing whitespace was deleted (rule 3)
    Leniencies used;                      // leniencies this input needed
};

// Incremental decoder: feed() chunks, then finish(). Decoded hard line breaks
// are CRLF (the canonical form). Errors count offsets from the first octet fed.
class QpDecoder {
public:
    explicit QpDecoder(Leniencies allow = {});
    Status feed(std::string_view chunk, std::string& out);
    Status finish(std::string& out);
    [[nodiscard]] const QpReport& report() const { return report_; }

private:
    Status line(std::string_view text, bool terminated, std::size_t at, std::string& out);

    Leniencies allow_;
    QpReport report_;
    std::string pending_;        // an unterminated line held over from the last chunk
    std::size_t pending_at_ = 0; // its offset
    std::size_t offset_ = 0;
    Status failed_;
};

struct QpDecoded {
    std::string bytes;
    QpReport report;
};
Result<QpDecoded> qp_decode(std::string_view text, Leniencies allow = {});

}  // namespace postino::mail
