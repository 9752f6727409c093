// form.hpp — what a web application reads from a request beyond the
// message syntax: the path and query of an origin-form target (RFC 9112
// §3.2.1, RFC 3986 §3.3-§3.4), percent-decoding (RFC 3986 §2.1),
// application/x-www-form-urlencoded bodies (the WHATWG URL standard's
// "application/x-www-form-urlencoded parsing": '&'-separated name=value,
// '+' is a space), cookies (RFC 6265 §4.2.1 Cookie, §4.1.1 Set-Cookie) and
// HTML escaping for the pages the webmail writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace postino::http {

using FormFields = std::vector<std::pair<std::string, std::string>>;

struct Target {
    std::string path;   // percent-decoded, "/" at least
    std::string query;  // as sent, without '?'
};

// The path and query of a request-target: origin-form "/a/b?q", or the
// path of an absolute-form "http://host/a/b?q" (RFC 9112 §3.2.2). A path
// with a bad escape, a NUL or a "." / ".." segment is an error.
Result<Target> split_target(std::string_view target);
// RFC 3986 §2.1 (and '+' as space when `plus_is_space`). Errors name the offset.
Result<std::string> percent_decode(std::string_view s, bool plus_is_space);
// Percent-encodes everything but unreserved characters (RFC 3986 §2.3), '+' for space.
std::string form_escape(std::string_view s);
Result<FormFields> parse_form(std::string_view body);
std::string encode_form(const FormFields& fields);
// The first value of `name`, or nullopt.
std::optional<std::string> form_value(const FormFields& f, std::string_view name);

// The value of cookie `name` in a Cookie field (RFC 6265 §5.4: "a=1; b=2").
std::optional<std::string> cookie_value(std::string_view cookie_header, std::string_view name);

// &, <, >, " and ' as character references (HTML text and attribute values).
std::string html_escape(std::string_view s);

}  // namespace postino::http
