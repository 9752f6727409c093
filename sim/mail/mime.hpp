// mime.hpp — the MIME structure of a message: parse, rebuild, decode.
//
// RFC 2045 §5–§6 (per-part Content-Type and Content-Transfer-Encoding,
// defaults, 7bit/8bit/binary rules), RFC 2046 §5.1.1 (multipart: boundary
// delimiter lines, the CRLF before a delimiter belongs to it, transport
// padding, preamble and epilogue, close delimiter), §5.1.5 (digest default
// type), §5.2.1 (message/rfc822 encapsulation), RFC 3501 §6.4.5 (part
// numbering, used for Part::path). The parser keeps the whole message and
// records each piece as a Span of it, so rebuild() gives the input back octet
// for octet and IMAP can serve BODY[1.2] without copying.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "mail/base64.hpp"
#include "mail/content_type.hpp"
#include "mail/header.hpp"
#include "mail/leniency.hpp"
#include "mail/quoted_printable.hpp"

namespace postino::mail {

// Postino bounds (RFC 2046 sets none): nesting depth of multiparts and
// encapsulated messages, and parts in one message.
inline constexpr std::size_t kMaxMimeDepth = 32;
inline constexpr std::size_t kMaxMimeParts = 10000;

struct Span {
    std::size_t offset = 0;
    std::size_t size = 0;
    [[nodiscard]] std::size_t end() const { return offset + size; }
};

enum class PartKind : std::uint8_t {
    leaf,       // a discrete body (text, image, application, ...)
    multipart,  // children are the body parts
    message,    // message/rfc822: one child, the encapsulated message
};

struct Part {
    PartKind kind = PartKind::leaf;
    // IMAP section that fetches this part's body: "1", "1.2", ...; a
    // multipart that is a whole message (or an encapsulated one) is "TEXT"
    // (or "3.TEXT"), since IMAP numbers only its children.
    std::string path;
    std::size_t depth = 0;
    Span whole;      // header + separator + body
    Span header;     // the header fields
    Span separator;  // the blank line (empty if the part has none)
    Span body;
    Header fields;
    ContentType type;
    bool type_defaulted = false;  // no Content-Type: RFC 2045 §5.2 / RFC 2046 §5.1.5 default
    TransferEncoding encoding = TransferEncoding::seven_bit;
    std::string encoding_name = "7bit";  // as written, lower-case ("x-uuencode" when unknown)
    std::size_t body_lines = 0;          // lines in the body, a last unterminated line included
    bool body_8bit = false;              // the body has octets above 127
    Leniencies used;                     // leniencies this part's own octets needed

    // multipart only
    std::string boundary;
    Span preamble;
    std::vector<Span> delimiters;  // before each child: [CRLF] "--" boundary padding CRLF
    Span close_delimiter;          // CRLF "--" boundary "--" padding [CRLF]; empty if missing
    Span epilogue;

    std::vector<Part> children;    // body parts, or the encapsulated message
};

struct MimeMessage {
    std::string raw;
    Part root;
    Leniencies used;  // union over all parts

    [[nodiscard]] std::string_view bytes(Span s) const { return std::string_view(raw).substr(s.offset, s.size); }
    // The part with this path (see Part::path), or nullptr.
    [[nodiscard]] const Part* find(std::string_view path) const;
};

// Strict parse of a whole message. Errors carry the offset in `raw`.
Result<MimeMessage> parse_mime(std::string raw, const ParseOptions& options = {});

// The message put back together from the parsed pieces (equals raw).
std::string rebuild(const MimeMessage& m);

struct DecodedBody {
    std::string bytes;
    Leniencies used;
    Base64Report base64;
    QpReport qp;
};
// A leaf's body with its transfer encoding undone (other parts: the raw
// body). Errors carry offsets in the message.
Result<DecodedBody> decode_body(const MimeMessage& m, const Part& p, const ParseOptions& options = {});

}  // namespace postino::mail
