// response_parser.hpp — incremental, strict parser of POP3 responses
// (client side).
//
// RFC 1939 §3: a status line is "+OK" or "-ERR" (upper case), then optional
// SP and text, then CRLF, at most 512 octets; only CRLF ends a line. After a
// +OK to a command that has a multi-line response (LIST and UIDL without an
// argument, RETR, TOP, CAPA) lines follow until ".CRLF", each byte-stuffed:
// a leading "." is removed. RFC 2449 §8: a "[CODE]" at the start of the
// text is an extended response code.
//
// Three outcomes per call: a complete response (with the octets consumed),
// need more input, or a typed error. Input may arrive split anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "proto/pop3/response.hpp"

namespace postino::pop3 {

enum class ResponseError : std::uint8_t {
    None,
    LineTooLong,      // a status line over kMaxResponseLineOctets, or a body line over kMaxBodyLineOctets
    BareLineEnd,      // CR or LF not part of CRLF (§3)
    BadStatus,        // not "+OK" or "-ERR" followed by SP or CRLF (§3)
    BodyTooLarge,     // a body over kMaxBodyOctets (implementation bound)
};
const char* describe(ResponseError e);
const char* rfc_section(ResponseError e);

// Splits "[CODE] text" into code and text (RFC 2449 §8); no code when the
// text does not start with a closed bracket.
void split_response_code(std::string_view text, std::string& code, std::string& rest);

class ResponseParser {
public:
    enum class Status : std::uint8_t { Complete, NeedMore, Error };
    struct Step {
        Status status = Status::NeedMore;
        std::size_t consumed = 0;
    };

    // Whether the response now awaited has a multi-line body after +OK.
    void expect_multiline(bool on) { multiline_ = on; }
    // Consumes input until one response is complete, the input ends, or an
    // error is found. After Complete read the accessors, then call next().
    Step parse(std::string_view in);

    [[nodiscard]] const Response& response() const { return response_; }
    [[nodiscard]] const std::string& raw_status() const { return raw_status_; }
    [[nodiscard]] const std::string& raw_body() const { return raw_body_; }  // stuffed, with ".CRLF"
    [[nodiscard]] const std::string& body() const { return body_; }          // unstuffed, without the terminator
    [[nodiscard]] bool has_body() const { return in_body_; }
    [[nodiscard]] ResponseError error() const { return error_; }
    void next();
    [[nodiscard]] std::size_t buffered() const { return line_.size(); }

private:
    // Handles the complete line in line_; true when the response ended.
    bool take_line();

    std::string line_;
    std::string raw_status_, raw_body_, body_;
    Response response_;
    ResponseError error_ = ResponseError::None;
    bool multiline_ = false;
    bool in_body_ = false;
    bool complete_ = false;
};

}  // namespace postino::pop3
