// message.hpp — HTTP/1.1 requests and responses as values, and writing them
// as octets (RFC 9112 §2.1 message format, §3 request line, §4 status line,
// §5 field lines, §6.2 Content-Length framing; RFC 9110 §5 fields, §15
// status codes). Reading them is parser.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace postino::http {

// Field lines in the order received or to be sent; names compare
// case-insensitively (RFC 9110 §5.1).
struct Fields {
    std::vector<std::pair<std::string, std::string>> lines;

    // The value of the first field with this name, or nullopt.
    [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
    // How many field lines have this name.
    [[nodiscard]] std::size_t count(std::string_view name) const;
    // All values of this name joined with ", " (RFC 9110 §5.3), "" when none.
    [[nodiscard]] std::string combined(std::string_view name) const;
    Fields& add(std::string name, std::string value);
    // Replaces every field of this name with one (or adds it).
    Fields& set(std::string_view name, std::string value);
};

struct Request {
    std::string method;   // "GET", "POST" (case-sensitive, RFC 9110 §9.1)
    std::string target;   // the request-target as sent: "/message/3?x=1"
    int minor = 1;        // HTTP/1.<minor>: 0 or 1
    Fields fields;
    std::string body;     // the content, de-framed
};

struct Response {
    int status = 200;
    std::string reason;   // empty: the standard phrase of `status`
    int minor = 1;
    Fields fields;
    std::string body;
};

// True when ASCII letters match regardless of case.
bool iequals(std::string_view a, std::string_view b);
// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
bool is_tchar(char c);
bool is_token(std::string_view s);
// The reason phrase RFC 9110 §15 gives a status code ("" for one it does not name).
std::string_view reason_phrase(int status);
// RFC 9110 §6.4.1: 1xx, 204 and 304 responses carry no content.
bool status_has_no_content(int status);

// The octets of a request: request line, the fields as given plus
// Content-Length when there is a body (or the method is POST/PUT), empty
// line, body. The caller supplies Host.
std::string serialize(const Request& r);
// The octets of a response: status line, fields, Content-Length (unless
// the status has no content, §6.4.1), empty line, body (omitted with
// `head_only`: the response to HEAD, RFC 9110 §9.3.2).
std::string serialize(const Response& r, bool head_only = false);

// The first token of a field value list ("close, upgrade" has "close"),
// for Connection (RFC 9110 §7.6.1): true when `token` is one of the list's
// comma-separated elements.
bool list_has_token(std::string_view list, std::string_view token);

}  // namespace postino::http
