// reply_parser.cpp — strict incremental SMTP reply parsing (RFC 5321 §4.2,
// §2.3.8, §4.5.3.1.5; RFC 2034 §3).
#include "proto/smtp/reply_parser.hpp"

#include <cstring>

#include "core/octets.hpp"
#include "proto/smtp/limits.hpp"

namespace postino::smtp {

const char* describe(ReplyError e) {
    switch (e) {
        case ReplyError::None:
            return "no error";
        case ReplyError::LineTooLong:
            return "reply line longer than 512 octets";
        case ReplyError::BareLineEnd:
            return "bare CR or LF in a reply";
        case ReplyError::BadSyntax:
            return "reply line is not `code[-| ]text`";
        case ReplyError::CodeMismatch:
            return "multiline reply changes its code";
        case ReplyError::TooManyLines:
            return "multiline reply has too many lines";
    }
    return "?";
}

const char* rfc_section(ReplyError e) {
    switch (e) {
        case ReplyError::LineTooLong:
            return "RFC 5321 §4.5.3.1.5";
        case ReplyError::BareLineEnd:
            return "RFC 5321 §2.3.8";
        case ReplyError::CodeMismatch:
            return "RFC 5321 §4.2.1";
        default:
            return "RFC 5321 §4.2";
    }
}

ReplyParser::Step ReplyParser::parse(std::string_view in) {
    if (error_ != ReplyError::None) return {Status::Error, 0};
    if (complete_) return {Status::Complete, 0};
    std::size_t used = 0;
    while (used < in.size()) {
        const char* base = in.data() + used;
        const std::size_t avail = in.size() - used;
        const void* nl = std::memchr(base, '\n', avail);
        const std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - base) + 1 : avail;
        line_.append(base, take);
        used += take;
        if (line_.size() > kMaxReplyLineOctets) {
            error_ = ReplyError::LineTooLong;
            return {Status::Error, used};
        }
        if (!nl) break;
        if (take_line()) {
            complete_ = true;
            return {Status::Complete, used};
        }
        if (error_ != ReplyError::None) return {Status::Error, used};
    }
    // A CR anywhere but last in a partial line is already a bare CR.
    if (line_.size() > 1 && line_.find('\r') < line_.size() - 1) {
        error_ = ReplyError::BareLineEnd;
        return {Status::Error, used};
    }
    return {Status::NeedMore, used};
}

bool ReplyParser::take_line() {
    // Read in place, cleared on the way out: the buffer keeps its capacity
    // for the next line.
    struct ClearOnExit {
        std::string& s;
        ~ClearOnExit() { s.clear(); }
    } clear_line{line_};
    const std::string& line = line_;
    raw_ += line;
    if (line.size() < 2 || line[line.size() - 2] != '\r') {
        error_ = ReplyError::BareLineEnd;
        return false;
    }
    const std::string_view body(line.data(), line.size() - 2);
    if (const std::size_t bad = octets::find_first(octets::Find::Control, body); bad != body.size()) {
        error_ = body[bad] == '\r' || body[bad] == '\n' ? ReplyError::BareLineEnd : ReplyError::BadSyntax;
        return false;
    }
    if (body.size() < 3 || body[0] < '0' || body[0] > '9' || body[1] < '0' || body[1] > '9' || body[2] < '0' ||
        body[2] > '9') {
        error_ = ReplyError::BadSyntax;
        return false;
    }
    const int code = (body[0] - '0') * 100 + (body[1] - '0') * 10 + (body[2] - '0');
    if (!valid_reply_code(code)) {
        error_ = ReplyError::BadSyntax;
        return false;
    }
    bool last = true;
    std::string_view text;
    if (body.size() > 3) {
        if (body[3] == '-') {
            last = false;
        } else if (body[3] != ' ') {
            error_ = ReplyError::BadSyntax;
            return false;
        }
        text = body.substr(4);
    }
    if (reply_.lines.empty()) {
        reply_.code = code;
    } else if (code != reply_.code) {
        error_ = ReplyError::CodeMismatch;
        return false;
    }
    if (reply_.lines.size() >= kMaxReplyLines) {
        error_ = ReplyError::TooManyLines;
        return false;
    }
    // RFC 2034 §3: an enhanced code, if present, starts the text and is
    // followed by SP (or ends the line). Only one matching the reply class counts.
    const std::size_t sp = text.find(' ');
    const std::string_view first = text.substr(0, sp);
    if (enhanced_matches(code, first)) {
        if (reply_.lines.empty()) reply_.enhanced = std::string(first);
        text = sp == std::string_view::npos ? std::string_view{} : text.substr(sp + 1);
    }
    reply_.lines.emplace_back(text);
    return last;
}

void ReplyParser::next() {
    raw_.clear();
    reply_ = Reply{};
    complete_ = false;
}

}  // namespace postino::smtp
