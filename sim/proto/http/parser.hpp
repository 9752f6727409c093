// parser.hpp — strict, incremental readers of HTTP/1.1 requests (for the
// server engine) and responses (for the client engine): RFC 9112 §2.2
// (CRLF line ends; a bare CR or LF is refused), §3 (request line: method SP
// request-target SP HTTP-version), §3.2 (Host), §4 (status line), §5 (field
// lines: no whitespace before the colon, §5.1; no obs-fold, §5.2), §6.1–§6.3
// (message body length: Content-Length, Transfer-Encoding), with RFC 9110
// §5.5 (field value octets), §8.6 (Content-Length), §10.1.1 (Expect).
//
// A reader is fed the unread input from the start of the current message
// (the engine keeps it); each call scans only the octets it has not seen
// (so feeding one octet at a time stays linear) and returns NeedMore,
// Complete (with the octets the message took) or Error (typed, with the
// offset and the status code the server answers with). Bounds: limits.hpp.
//
// Deviation (RFC 9112 §6.1, §7.1): the chunked transfer coding is not
// implemented; a request with Transfer-Encoding gets 501, a chunked
// response is an error for the client engine. Neither engine needs it:
// both always send Content-Length.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/http/limits.hpp"
#include "proto/http/message.hpp"

namespace postino::http {

enum class ErrorKind : std::uint8_t {
    BadLineEnding,              // RFC 9112 §2.2: a bare CR or LF, or a NUL
    RequestLineTooLong,         // RFC 9112 §3 (8000 octets), RFC 9110 §15.5.15: 414
    BadRequestLine,             // RFC 9112 §3: not method SP target SP version
    BadMethod,                  // RFC 9110 §9.1: the method is not a token
    MethodTooLong,              // RFC 9110 §9.1: longer than any we implement: 501
    BadTarget,                  // RFC 9112 §3.2: not origin-, absolute-, authority- or asterisk-form
    UnsupportedVersion,         // RFC 9110 §15.6.6: not HTTP/1.0 or HTTP/1.1: 505
    BadVersion,                 // RFC 9112 §2.3: not "HTTP/" DIGIT "." DIGIT
    HeadTooLarge,               // RFC 9110 §5.4, RFC 6585 §5: 431
    TooManyFields,              // RFC 9110 §5.4, RFC 6585 §5: 431
    BadFieldName,               // RFC 9112 §5.1: the field name is not a token
    SpaceBeforeColon,           // RFC 9112 §5.1: MUST be answered 400
    ObsoleteLineFolding,        // RFC 9112 §5.2: obs-fold is refused with 400
    BadFieldValue,              // RFC 9110 §5.5: CR, LF, NUL or another control in a value
    MissingHost,                // RFC 9112 §3.2: an HTTP/1.1 request without Host: 400
    MultipleHost,               // RFC 9112 §3.2: more than one Host: 400
    BadContentLength,           // RFC 9110 §8.6, RFC 9112 §6.3 item 5: not 1*DIGIT, or differing values
    TransferEncodingAndLength,  // RFC 9112 §6.3 item 3: both present (request smuggling, §11.2)
    UnsupportedTransferCoding,  // RFC 9112 §6.1: 501 (no chunked, see above)
    BodyTooLarge,               // RFC 9110 §15.5.14: 413
    ExpectationFailed,          // RFC 9110 §10.1.1: an Expect other than 100-continue: 417
    BadStatusLine,              // RFC 9112 §4: not HTTP-version SP 3DIGIT SP reason
};

struct ParseError {
    ErrorKind kind = ErrorKind::BadRequestLine;
    std::size_t offset = 0;  // octet offset in the message where it was found
    std::string detail;      // what was seen
    // The status a server answers with (400, 413, 414, 417, 431, 501, 505).
    [[nodiscard]] int status() const;
    // "RFC 9112 §5.1" and the like.
    [[nodiscard]] const char* section() const;
    // "at octet 17: whitespace between the field name and the colon (RFC 9112 §5.1): 'Host :'"
    [[nodiscard]] std::string message() const;
};
const char* to_string(ErrorKind k);

enum class ReadKind : std::uint8_t { NeedMore, Complete, Error };

struct ReadResult {
    ReadKind kind = ReadKind::NeedMore;
    std::size_t consumed = 0;  // Complete: octets of the message, leading empty lines included
};

// Scans a head (start line and field lines) line by line; shared by both readers.
class HeadScanner {
public:
    explicit HeadScanner(bool request) : request_(request) {}
    // NeedMore, Complete (the head ends at `end()`), or Error.
    ReadKind scan(std::string_view in);
    [[nodiscard]] std::size_t start() const { return start_; }   // after leading empty lines
    [[nodiscard]] std::size_t end() const { return end_; }       // after the empty line
    // The head's lines without their CRLF (the start line first), and where each begins.
    [[nodiscard]] std::size_t line_count() const { return spans_.size(); }
    [[nodiscard]] std::string_view line(std::string_view in, std::size_t i) const {
        return in.substr(spans_[i].first, spans_[i].second - spans_[i].first);
    }
    [[nodiscard]] std::size_t line_offset(std::size_t i) const { return spans_[i].first; }
    [[nodiscard]] const ParseError& error() const { return error_; }
    void reset() { *this = HeadScanner(request_); }

private:
    ReadKind fail(ErrorKind k, std::size_t at, std::string detail);
    bool request_;
    std::size_t pos_ = 0;         // next octet to look at
    std::size_t start_ = 0;       // first octet of the start line
    std::size_t line_begin_ = 0;  // first octet of the line being scanned
    int empty_lines_ = 0;         // leading CRLFs skipped (RFC 9112 §2.2)
    bool started_ = false;
    std::vector<std::pair<std::size_t, std::size_t>> spans_;  // each line without CRLF
    std::size_t end_ = 0;
    ParseError error_;
};

// Reads one request.
class RequestReader {
public:
    explicit RequestReader(std::uint64_t max_body = kMaxRequestBodyOctets) : max_body_(max_body) {}
    ReadResult read(std::string_view in);
    // The head has been read and the body is still to come.
    [[nodiscard]] bool head_done() const { return head_done_; }
    // The request asked for "100 Continue" (RFC 9110 §10.1.1) before its body.
    [[nodiscard]] bool expects_continue() const { return expect_continue_; }
    [[nodiscard]] const Request& request() const { return req_; }
    Request take() { return std::move(req_); }
    [[nodiscard]] const ParseError& error() const { return error_; }
    void reset();

private:
    ReadResult fail(ParseError e);
    std::uint64_t max_body_;
    HeadScanner head_{true};
    bool head_done_ = false;
    bool expect_continue_ = false;
    std::uint64_t body_length_ = 0;
    Request req_;
    ParseError error_;
};

// Reads one response. A response without Content-Length (and with content
// allowed) is read until the connection closes (RFC 9112 §6.3 item 8):
// call finish_at_close() then.
class ResponseReader {
public:
    ReadResult read(std::string_view in);
    // The connection closed: a body delimited by the close is complete now.
    ReadResult finish_at_close(std::string_view in);
    // A response to HEAD has no content (RFC 9110 §9.3.2).
    void expect_no_content(bool v) { head_request_ = v; }
    [[nodiscard]] const Response& response() const { return resp_; }
    Response take() { return std::move(resp_); }
    [[nodiscard]] const ParseError& error() const { return error_; }
    void reset();

private:
    ReadResult fail(ParseError e);
    HeadScanner head_{false};
    bool head_done_ = false;
    bool head_request_ = false;
    bool until_close_ = false;
    std::uint64_t body_length_ = 0;
    Response resp_;
    ParseError error_;
};

// Parses the field lines of a scanned head (after the start line) into
// `out`: RFC 9112 §5.1, §5.2, RFC 9110 §5.5.
std::optional<ParseError> parse_field_lines(const HeadScanner& head, std::string_view in, Fields& out);
// RFC 9110 §8.6 / RFC 9112 §6.3: the message's Content-Length, nullopt when
// absent; an error when malformed or when several differ.
std::optional<ParseError> content_length(const Fields& f, std::optional<std::uint64_t>& out);

}  // namespace postino::http
