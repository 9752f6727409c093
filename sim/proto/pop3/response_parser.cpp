// response_parser.cpp — POP3 status lines and multi-line bodies (RFC 1939
// §3; RFC 2449 §8).
#include "proto/pop3/response_parser.hpp"

#include "proto/pop3/limits.hpp"

namespace postino::pop3 {

const char* describe(ResponseError e) {
    switch (e) {
        case ResponseError::None: return "no error";
        case ResponseError::LineTooLong: return "response line too long";
        case ResponseError::BareLineEnd: return "bare CR or LF in a response";
        case ResponseError::BadStatus: return "status is not +OK or -ERR";
        case ResponseError::BodyTooLarge: return "multi-line response too large";
    }
    return "?";
}

const char* rfc_section(ResponseError e) {
    switch (e) {
        case ResponseError::LineTooLong: return "RFC 1939 §3 (512-octet responses)";
        case ResponseError::BodyTooLarge: return "implementation bound (kMaxBodyOctets)";
        default: return "RFC 1939 §3";
    }
}

void split_response_code(std::string_view text, std::string& code, std::string& rest) {
    code.clear();
    if (!text.empty() && text.front() == '[') {
        const std::size_t close = text.find(']');
        if (close != std::string_view::npos && close > 1) {
            code = std::string(text.substr(1, close - 1));
            text.remove_prefix(close + 1);
            if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
        }
    }
    rest = std::string(text);
}

void ResponseParser::next() {
    raw_status_.clear();
    raw_body_.clear();
    body_.clear();
    response_ = Response{};
    in_body_ = false;
    complete_ = false;
    error_ = ResponseError::None;
}

ResponseParser::Step ResponseParser::parse(std::string_view in) {
    Step s;
    while (s.consumed < in.size()) {
        const std::string_view rest = in.substr(s.consumed);
        const std::size_t nl = rest.find('\n');
        const std::size_t take = nl == std::string_view::npos ? rest.size() : nl + 1;
        const std::size_t limit = in_body_ ? kMaxBodyLineOctets : kMaxResponseLineOctets;
        if (line_.size() + take > limit) {
            error_ = ResponseError::LineTooLong;
            s.status = Status::Error;
            return s;
        }
        line_.append(rest.substr(0, take));
        s.consumed += take;
        if (nl == std::string_view::npos) break;
        const bool done = take_line();
        line_.clear();
        if (error_ != ResponseError::None) {
            s.status = Status::Error;
            return s;
        }
        if (done) {
            s.status = Status::Complete;
            return s;
        }
    }
    return s;
}

bool ResponseParser::take_line() {
    const std::string_view l = line_;
    if (l.size() < 2 || l[l.size() - 2] != '\r' || l.substr(0, l.size() - 2).find('\r') != std::string_view::npos) {
        error_ = ResponseError::BareLineEnd;
        return false;
    }
    const std::string_view text = l.substr(0, l.size() - 2);
    if (!in_body_) {
        raw_status_ = std::string(l);
        std::string_view after;
        if (text.substr(0, 3) == "+OK") {
            response_.ok = true;
            after = text.substr(3);
        } else if (text.substr(0, 4) == "-ERR") {
            response_.ok = false;
            after = text.substr(4);
        } else {
            error_ = ResponseError::BadStatus;
            return false;
        }
        if (!after.empty()) {
            if (after.front() != ' ') {
                error_ = ResponseError::BadStatus;
                return false;
            }
            after.remove_prefix(1);
        }
        split_response_code(after, response_.code, response_.text);
        if (response_.ok && multiline_) {
            in_body_ = true;
            return false;
        }
        return true;
    }
    raw_body_ += l;
    if (text == ".") return true;
    if (raw_body_.size() > kMaxBodyOctets) {
        error_ = ResponseError::BodyTooLarge;
        return false;
    }
    // §3: a line starting with "." had one prepended; remove it.
    body_.append(text.substr(!text.empty() && text.front() == '.' ? 1 : 0));
    body_.append("\r\n");
    return false;
}

}  // namespace postino::pop3
