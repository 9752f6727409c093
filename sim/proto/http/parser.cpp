// parser.cpp — the strict incremental HTTP/1.1 request and response readers
// (RFC 9112 §2.2, §3, §3.2, §4, §5, §6; RFC 9110 §5.5, §8.6, §10.1.1).
// See parser.hpp.
#include "proto/http/parser.hpp"

namespace postino::http {

const char* to_string(ErrorKind k) {
    switch (k) {
        case ErrorKind::BadLineEnding: return "a bare CR, a bare LF or a NUL in the head (lines end with CRLF)";
        case ErrorKind::RequestLineTooLong: return "request line too long";
        case ErrorKind::BadRequestLine: return "malformed request line (method SP request-target SP HTTP-version)";
        case ErrorKind::BadMethod: return "the method is not a token";
        case ErrorKind::MethodTooLong: return "method too long";
        case ErrorKind::BadTarget: return "malformed request-target";
        case ErrorKind::UnsupportedVersion: return "HTTP version not supported (HTTP/1.0 and HTTP/1.1 are)";
        case ErrorKind::BadVersion: return "malformed HTTP-version";
        case ErrorKind::HeadTooLarge: return "header section too large";
        case ErrorKind::TooManyFields: return "too many header fields";
        case ErrorKind::BadFieldName: return "the field name is not a token";
        case ErrorKind::SpaceBeforeColon: return "whitespace between the field name and the colon";
        case ErrorKind::ObsoleteLineFolding: return "obsolete line folding (a field line starting with SP or HTAB)";
        case ErrorKind::BadFieldValue: return "a control character in a field value";
        case ErrorKind::MissingHost: return "an HTTP/1.1 request without Host";
        case ErrorKind::MultipleHost: return "more than one Host field";
        case ErrorKind::BadContentLength: return "malformed or conflicting Content-Length";
        case ErrorKind::TransferEncodingAndLength: return "both Transfer-Encoding and Content-Length";
        case ErrorKind::UnsupportedTransferCoding: return "transfer coding not implemented";
        case ErrorKind::BodyTooLarge: return "content too large";
        case ErrorKind::ExpectationFailed: return "an expectation other than 100-continue";
        case ErrorKind::BadStatusLine: return "malformed status line (HTTP-version SP 3DIGIT SP reason-phrase)";
    }
    return "?";
}

int ParseError::status() const {
    switch (kind) {
        case ErrorKind::RequestLineTooLong: return 414;
        case ErrorKind::MethodTooLong:
        case ErrorKind::UnsupportedTransferCoding: return 501;
        case ErrorKind::UnsupportedVersion: return 505;
        case ErrorKind::HeadTooLarge:
        case ErrorKind::TooManyFields: return 431;
        case ErrorKind::BodyTooLarge: return 413;
        case ErrorKind::ExpectationFailed: return 417;
        default: return 400;
    }
}

const char* ParseError::section() const {
    switch (kind) {
        case ErrorKind::BadLineEnding: return "RFC 9112 §2.2";
        case ErrorKind::RequestLineTooLong: return "RFC 9112 §3";
        case ErrorKind::BadRequestLine: return "RFC 9112 §3";
        case ErrorKind::BadMethod:
        case ErrorKind::MethodTooLong: return "RFC 9110 §9.1";
        case ErrorKind::BadTarget: return "RFC 9112 §3.2";
        case ErrorKind::UnsupportedVersion: return "RFC 9110 §15.6.6";
        case ErrorKind::BadVersion: return "RFC 9112 §2.3";
        case ErrorKind::HeadTooLarge:
        case ErrorKind::TooManyFields: return "RFC 9110 §5.4";
        case ErrorKind::BadFieldName:
        case ErrorKind::SpaceBeforeColon: return "RFC 9112 §5.1";
        case ErrorKind::ObsoleteLineFolding: return "RFC 9112 §5.2";
        case ErrorKind::BadFieldValue: return "RFC 9110 §5.5";
        case ErrorKind::MissingHost:
        case ErrorKind::MultipleHost: return "RFC 9112 §3.2";
        case ErrorKind::BadContentLength: return "RFC 9112 §6.3";
        case ErrorKind::TransferEncodingAndLength: return "RFC 9112 §6.3";
        case ErrorKind::UnsupportedTransferCoding: return "RFC 9112 §6.1";
        case ErrorKind::BodyTooLarge: return "RFC 9110 §15.5.14";
        case ErrorKind::ExpectationFailed: return "RFC 9110 §10.1.1";
        case ErrorKind::BadStatusLine: return "RFC 9112 §4";
    }
    return "";
}

namespace {

// What a person can read of some octets: printable ASCII kept, others as \xHH.
std::string shown(std::string_view s, std::size_t max = 60) {
    std::string out;
    for (std::size_t i = 0; i < s.size() && i < max; ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            static const char* hex = "0123456789ABCDEF";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    if (s.size() > max) out += "...";
    return out;
}

// RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP and HTAB inside.
bool field_value_ok(std::string_view v) {
    for (char ch : v) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\t' || c == ' ' || (c > 0x20 && c != 0x7f)) continue;
        return false;
    }
    return true;
}

std::string_view trim_ows(std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
}

// "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3); the minor version, or an error kind.
std::optional<ErrorKind> parse_version(std::string_view v, int& minor) {
    if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' || v[5] < '0' || v[5] > '9' || v[7] < '0' ||
        v[7] > '9') {
        return ErrorKind::BadVersion;
    }
    if (v[5] != '1' || (v[7] != '0' && v[7] != '1')) return ErrorKind::UnsupportedVersion;
    minor = v[7] - '0';
    return std::nullopt;
}

// RFC 9112 §3.2: origin-form ("/" path [? query]), absolute-form
// ("http://host/..."), authority-form (CONNECT only) and asterisk-form
// (OPTIONS only). Any octet outside VCHAR is refused (RFC 3986 §2).
bool target_ok(std::string_view method, std::string_view t) {
    if (t.empty()) return false;
    for (char ch : t) {
        const auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7f) return false;
    }
    if (t == "*") return method == "OPTIONS";
    if (t.front() == '/') return true;
    if (method == "CONNECT") return t.find('/') == std::string_view::npos && t.find(':') != std::string_view::npos;
    return t.size() > 7 && (iequals(t.substr(0, 7), "http://") || (t.size() > 8 && iequals(t.substr(0, 8), "https://")));
}

}  // namespace

std::string ParseError::message() const {
    std::string m = "at octet " + std::to_string(offset) + ": " + to_string(kind) + " (" + section() + ")";
    if (!detail.empty()) m += ": " + detail;
    return m;
}

ReadKind HeadScanner::fail(ErrorKind k, std::size_t at, std::string detail) {
    error_ = ParseError{k, at, std::move(detail)};
    return ReadKind::Error;
}

ReadKind HeadScanner::scan(std::string_view in) {
    const std::size_t limit_line = request_ ? kMaxRequestLineOctets : kMaxStatusLineOctets;
    while (pos_ < in.size()) {
        const char c = in[pos_];
        if (c == '\0') return fail(ErrorKind::BadLineEnding, pos_, "NUL");
        if (c == '\r') {
            if (pos_ + 1 >= in.size()) return ReadKind::NeedMore;  // CR, LF to come (or not)
            if (in[pos_ + 1] != '\n') return fail(ErrorKind::BadLineEnding, pos_, "a CR not followed by LF");
            const std::size_t line_end = pos_;
            pos_ += 2;
            if (!started_) {
                if (line_end == line_begin_) {  // an empty line before the request line (§2.2)
                    if (!request_ || ++empty_lines_ > kMaxLeadingEmptyLines)
                        return fail(request_ ? ErrorKind::BadRequestLine : ErrorKind::BadStatusLine, line_begin_,
                                    "empty lines before the start line");
                    line_begin_ = pos_;
                    continue;
                }
                started_ = true;
                start_ = line_begin_;
            }
            if (line_end == line_begin_) {  // the empty line: end of the head
                end_ = pos_;
                return ReadKind::Complete;
            }
            spans_.emplace_back(line_begin_, line_end);
            if (spans_.size() > kMaxFieldLines + 1)
                return fail(ErrorKind::TooManyFields, line_begin_, "more than " + std::to_string(kMaxFieldLines));
            line_begin_ = pos_;
            continue;
        }
        if (c == '\n') return fail(ErrorKind::BadLineEnding, pos_, "an LF without CR");
        ++pos_;
        if (spans_.empty() && pos_ - line_begin_ > limit_line) {
            return fail(request_ ? ErrorKind::RequestLineTooLong : ErrorKind::BadStatusLine, line_begin_,
                        "more than " + std::to_string(limit_line) + " octets");
        }
        if (pos_ - start_ > kMaxHeadOctets)
            return fail(ErrorKind::HeadTooLarge, line_begin_, "more than " + std::to_string(kMaxHeadOctets) + " octets");
    }
    return ReadKind::NeedMore;
}

std::optional<ParseError> parse_field_lines(const HeadScanner& head, std::string_view in, Fields& out) {
    for (std::size_t i = 1; i < head.line_count(); ++i) {
        const std::string_view line = head.line(in, i);
        const std::size_t at = head.line_offset(i);
        if (line.front() == ' ' || line.front() == '\t')
            return ParseError{ErrorKind::ObsoleteLineFolding, at, "'" + shown(line) + "'"};
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return ParseError{ErrorKind::BadFieldName, at, "no colon: '" + shown(line) + "'"};
        const std::string_view name = line.substr(0, colon);
        if (!name.empty() && (name.back() == ' ' || name.back() == '\t'))
            return ParseError{ErrorKind::SpaceBeforeColon, at, "'" + shown(line.substr(0, colon + 1)) + "'"};
        if (!is_token(name)) return ParseError{ErrorKind::BadFieldName, at, "'" + shown(name) + "'"};
        const std::string_view value = trim_ows(line.substr(colon + 1));
        if (!field_value_ok(value))
            return ParseError{ErrorKind::BadFieldValue, at + colon + 1, std::string(name) + ": '" + shown(value) + "'"};
        out.add(std::string(name), std::string(value));
    }
    return std::nullopt;
}

std::optional<ParseError> content_length(const Fields& f, std::optional<std::uint64_t>& out) {
    out.reset();
    for (const auto& [n, v] : f.lines) {
        if (!iequals(n, "Content-Length")) continue;
        // A list of identical values ("42, 42") may be taken as one (§6.3 item 5); we do.
        std::size_t p = 0;
        while (p <= v.size()) {
            std::size_t e = v.find(',', p);
            if (e == std::string::npos) e = v.size();
            const std::string_view item = trim_ows(std::string_view(v).substr(p, e - p));
            if (item.empty() || item.size() > kMaxContentLengthDigits)
                return ParseError{ErrorKind::BadContentLength, 0, "'" + shown(v) + "'"};
            std::uint64_t n64 = 0;
            for (char c : item) {
                if (c < '0' || c > '9') return ParseError{ErrorKind::BadContentLength, 0, "'" + shown(v) + "'"};
                n64 = n64 * 10 + static_cast<std::uint64_t>(c - '0');
            }
            if (out && *out != n64) return ParseError{ErrorKind::BadContentLength, 0, "differing values"};
            out = n64;
            p = e + 1;
        }
    }
    return std::nullopt;
}

// ---- requests ----

void RequestReader::reset() {
    head_.reset();
    head_done_ = false;
    expect_continue_ = false;
    body_length_ = 0;
    req_ = Request{};
}

ReadResult RequestReader::fail(ParseError e) {
    error_ = std::move(e);
    return ReadResult{ReadKind::Error, 0};
}

ReadResult RequestReader::read(std::string_view in) {
    if (!head_done_) {
        const ReadKind k = head_.scan(in);
        if (k == ReadKind::Error) return fail(head_.error());
        if (k == ReadKind::NeedMore) return {};
        // The request line (RFC 9112 §3): exactly one SP between the three parts.
        const std::string_view line = head_.line(in, 0);
        const std::size_t at = head_.line_offset(0);
        const auto sp1 = line.find(' ');
        const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
        if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
            return fail({ErrorKind::BadRequestLine, at, "'" + shown(line) + "'"});
        const std::string_view method = line.substr(0, sp1);
        const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        const std::string_view version = line.substr(sp2 + 1);
        if (!is_token(method)) return fail({ErrorKind::BadMethod, at, "'" + shown(method) + "'"});
        if (method.size() > kMaxMethodOctets) return fail({ErrorKind::MethodTooLong, at, "'" + shown(method) + "'"});
        if (auto e = parse_version(version, req_.minor)) return fail({*e, at + sp2 + 1, "'" + shown(version) + "'"});
        if (!target_ok(method, target)) return fail({ErrorKind::BadTarget, at + sp1 + 1, "'" + shown(target) + "'"});
        req_.method = std::string(method);
        req_.target = std::string(target);
        if (auto e = parse_field_lines(head_, in, req_.fields)) return fail(*e);
        const std::size_t hosts = req_.fields.count("Host");
        if (hosts == 0 && req_.minor == 1) return fail({ErrorKind::MissingHost, at, ""});
        if (hosts > 1) return fail({ErrorKind::MultipleHost, at, std::to_string(hosts) + " Host fields"});
        const bool te = req_.fields.count("Transfer-Encoding") > 0;
        std::optional<std::uint64_t> cl;
        if (auto e = content_length(req_.fields, cl)) {
            e->offset = at;
            return fail(*e);
        }
        if (te && cl) return fail({ErrorKind::TransferEncodingAndLength, at, ""});
        if (te) return fail({ErrorKind::UnsupportedTransferCoding, at, "'" + req_.fields.combined("Transfer-Encoding") + "'"});
        body_length_ = cl.value_or(0);
        if (body_length_ > max_body_)
            return fail({ErrorKind::BodyTooLarge, at,
                         std::to_string(body_length_) + " octets, at most " + std::to_string(max_body_)});
        if (auto ex = req_.fields.get("Expect")) {
            if (!iequals(*ex, "100-continue")) return fail({ErrorKind::ExpectationFailed, at, "'" + shown(*ex) + "'"});
            expect_continue_ = req_.minor == 1 && body_length_ > 0;
        }
        head_done_ = true;
    }
    const std::size_t need = head_.end() + static_cast<std::size_t>(body_length_);
    if (in.size() < need) return {};
    req_.body = std::string(in.substr(head_.end(), static_cast<std::size_t>(body_length_)));
    return ReadResult{ReadKind::Complete, need};
}

// ---- responses ----

void ResponseReader::reset() {
    const bool head = head_request_;
    *this = ResponseReader{};
    head_request_ = head;
}

ReadResult ResponseReader::fail(ParseError e) {
    error_ = std::move(e);
    return ReadResult{ReadKind::Error, 0};
}

ReadResult ResponseReader::read(std::string_view in) {
    if (!head_done_) {
        const ReadKind k = head_.scan(in);
        if (k == ReadKind::Error) return fail(head_.error());
        if (k == ReadKind::NeedMore) return {};
        // The status line (RFC 9112 §4): HTTP-version SP 3DIGIT SP [reason-phrase].
        const std::string_view line = head_.line(in, 0);
        const std::size_t at = head_.line_offset(0);
        if (line.size() < 13 || line[8] != ' ' || line[12] != ' ')
            return fail({ErrorKind::BadStatusLine, at, "'" + shown(line) + "'"});
        if (auto e = parse_version(line.substr(0, 8), resp_.minor)) return fail({*e, at, "'" + shown(line.substr(0, 8)) + "'"});
        int code = 0;
        for (std::size_t i = 9; i < 12; ++i) {
            if (line[i] < '0' || line[i] > '9') return fail({ErrorKind::BadStatusLine, at + i, "'" + shown(line) + "'"});
            code = code * 10 + (line[i] - '0');
        }
        if (code < 100) return fail({ErrorKind::BadStatusLine, at + 9, "status code below 100"});
        resp_.status = code;
        resp_.reason = std::string(line.substr(13));
        if (!field_value_ok(resp_.reason)) return fail({ErrorKind::BadStatusLine, at + 13, "'" + shown(resp_.reason) + "'"});
        if (auto e = parse_field_lines(head_, in, resp_.fields)) return fail(*e);
        std::optional<std::uint64_t> cl;
        if (auto e = content_length(resp_.fields, cl)) {
            e->offset = at;
            return fail(*e);
        }
        const bool te = resp_.fields.count("Transfer-Encoding") > 0;
        if (head_request_ || status_has_no_content(code)) {
            body_length_ = 0;  // RFC 9112 §6.3 items 1-2
        } else if (te) {
            return fail({ErrorKind::UnsupportedTransferCoding, at, "'" + resp_.fields.combined("Transfer-Encoding") + "'"});
        } else if (cl) {
            body_length_ = *cl;
        } else {
            until_close_ = true;  // §6.3 item 8
        }
        if (body_length_ > kMaxResponseBodyOctets) return fail({ErrorKind::BodyTooLarge, at, std::to_string(body_length_) + " octets"});
        head_done_ = true;
    }
    if (until_close_) {
        if (in.size() - head_.end() > kMaxResponseBodyOctets) return fail({ErrorKind::BodyTooLarge, head_.end(), ""});
        return {};
    }
    const std::size_t need = head_.end() + static_cast<std::size_t>(body_length_);
    if (in.size() < need) return {};
    resp_.body = std::string(in.substr(head_.end(), static_cast<std::size_t>(body_length_)));
    return ReadResult{ReadKind::Complete, need};
}

ReadResult ResponseReader::finish_at_close(std::string_view in) {
    if (!head_done_ || !until_close_) return {};
    resp_.body = std::string(in.substr(head_.end()));
    return ReadResult{ReadKind::Complete, in.size()};
}

}  // namespace postino::http
