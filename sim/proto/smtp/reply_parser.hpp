// reply_parser.hpp — incremental, strict parser of SMTP replies (client side).
//
// RFC 5321 §4.2 (`Reply-line = *( Reply-code "-" [ textstring ] CRLF )
// Reply-code [ SP textstring ] CRLF`; a bare code with no text is a valid last
// line, §4.2.1 requires every line to carry the same code), §2.3.8 (only CRLF
// ends a line), §4.5.3.1.5 (512-octet reply lines); RFC 2034 §3 (enhanced
// status codes at the start of each line's text).
//
// Three outcomes per call: a complete reply (with the octets consumed), need
// more input, or a typed error. Input may arrive split anywhere.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "proto/smtp/reply.hpp"

namespace postino::smtp {

enum class ReplyError : std::uint8_t {
    None,
    LineTooLong,   // a line longer than kMaxReplyLineOctets (§4.5.3.1.5)
    BareLineEnd,   // CR or LF not part of CRLF (§2.3.8)
    BadSyntax,     // not `ddd[-| ]text`, or a control octet in the text (§4.2)
    CodeMismatch,  // a continuation line with another code (§4.2.1)
    TooManyLines,  // more than kMaxReplyLines lines (implementation bound)
};
const char* describe(ReplyError e);
const char* rfc_section(ReplyError e);

class ReplyParser {
public:
    enum class Status : std::uint8_t { Complete, NeedMore, Error };
    struct Step {
        Status status;
        std::size_t consumed;  // octets of the input used by this call
    };

    // Consumes input until one reply is complete, the input ends, or an error
    // is found. After Complete, read reply()/raw() and call next().
    Step parse(std::string_view in);

    [[nodiscard]] const Reply& reply() const { return reply_; }
    [[nodiscard]] const std::string& raw() const { return raw_; }  // every octet of the reply
    // The same, moved out, for a caller that keeps them; next() follows.
    Reply take_reply() { return std::move(reply_); }
    std::string take_raw() { return std::move(raw_); }
    [[nodiscard]] ReplyError error() const { return error_; }
    // Forget the completed reply and start reading the next one.
    void next();
    // Octets held for an incomplete line (bounded by kMaxReplyLineOctets).
    [[nodiscard]] std::size_t buffered() const { return line_.size(); }

private:
    // Parses the complete line in line_ (CRLF included); true when the reply ended.
    bool take_line();

    std::string line_;
    std::string raw_;
    Reply reply_;
    ReplyError error_ = ReplyError::None;
    bool complete_ = false;
};

}  // namespace postino::smtp
