// framer.cpp — incremental framing of IMAP commands and their literals
// (RFC 3501 §2.2, §4.3, §7.5; RFC 7888 §3). See framer.hpp.
#include "proto/imap/framer.hpp"

#include <optional>

#include "proto/imap/limits.hpp"

namespace postino::imap {

const char* to_string(FrameError e) {
    switch (e) {
        case FrameError::None: return "none";
        case FrameError::LineTooLong: return "command line too long";
        case FrameError::BadLine: return "command line with a bare CR, a bare LF or a NUL";
        case FrameError::LiteralTooLarge: return "literal too large";
        case FrameError::CommandTooLarge: return "command too large";
        case FrameError::TooManyLiterals: return "too many literals in one command";
        case FrameError::BadLiteralMarker: return "malformed literal length";
    }
    return "?";
}

namespace {

struct Marker {
    std::uint64_t size = 0;
    bool sync = true;
    bool valid = true;
};

// A literal marker "{digits}" or "{digits+}" at the end of `line`, if any.
std::optional<Marker> literal_marker(std::string_view line) {
    if (line.empty() || line.back() != '}') return std::nullopt;
    const auto open = line.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view inner = line.substr(open + 1, line.size() - open - 2);
    Marker m;
    if (!inner.empty() && inner.back() == '+') {
        m.sync = false;
        inner.remove_suffix(1);
    }
    if (inner.empty() || inner.size() > kMaxNumberDigits) {
        m.valid = false;
        return m;
    }
    for (char c : inner) {
        if (c < '0' || c > '9') {
            m.valid = false;
            return m;
        }
        m.size = m.size * 10 + static_cast<std::uint64_t>(c - '0');
    }
    m.valid = m.size <= 0xFFFFFFFFull;  // RFC 3501 §9: number is 32-bit
    return m;
}

std::string first_word(std::string_view s) {
    const auto sp = s.find_first_of(" \r\n");
    std::string_view w = s.substr(0, std::min(sp, kMaxTagOctets + 1));
    return std::string(w);
}

}  // namespace

void CommandFramer::reset() {
    state_ = State::Line;
    cmd_.clear();
    line_.clear();
    literal_left_ = 0;
    pending_literal_ = 0;
    literals_ = 0;
}

CommandFramer::Step CommandFramer::error(FrameError e, bool fatal, std::size_t consumed) {
    Step s;
    s.kind = Kind::Error;
    s.error = e;
    s.fatal = fatal;
    s.consumed = consumed;
    s.tag = first_word(cmd_.empty() ? std::string_view(line_) : std::string_view(cmd_));
    reset();
    return s;
}

void CommandFramer::accept_literal() {
    if (state_ != State::Decide) return;
    state_ = State::Literal;
    literal_left_ = pending_literal_;
}

void CommandFramer::refuse_literal() {
    if (state_ == State::Decide) reset();
}

CommandFramer::Step CommandFramer::end_line(std::size_t consumed) {
    // line_ holds the line without LF; it must end in CR and hold no other CR or NUL.
    bool bad = line_.empty() || line_.back() != '\r';
    if (!bad) line_.pop_back();
    if (line_.find('\r') != std::string::npos || line_.find('\0') != std::string::npos) bad = true;
    const auto marker = literal_marker(line_);
    if (bad) return error(FrameError::BadLine, marker.has_value(), consumed);
    if (marker && !marker->valid) return error(FrameError::BadLiteralMarker, !marker->sync, consumed);
    if (cmd_.size() + line_.size() + 2 + (marker ? marker->size : 0) > kMaxCommandOctets) {
        if (marker && marker->sync) return error(FrameError::LiteralTooLarge, false, consumed);
        return error(FrameError::CommandTooLarge, true, consumed);
    }
    if (marker) {
        if (marker->size > kMaxLiteralOctets) return error(FrameError::LiteralTooLarge, !marker->sync, consumed);
        if (++literals_ > kMaxLiteralsPerCommand) return error(FrameError::TooManyLiterals, !marker->sync, consumed);
        cmd_ += line_;
        cmd_ += "\r\n";
        line_.clear();
        if (marker->sync) {
            state_ = State::Decide;
            pending_literal_ = marker->size;
            Step s;
            s.kind = Kind::Literal;
            s.literal = marker->size;
            s.consumed = consumed;
            s.tag = first_word(cmd_);
            return s;
        }
        state_ = State::Literal;
        literal_left_ = marker->size;
        Step s;
        s.kind = Kind::NeedMore;  // caller loops on; consumed < size keeps it reading
        s.consumed = consumed;
        return s;
    }
    cmd_ += line_;
    done_.swap(cmd_);
    Step s;
    s.kind = Kind::Command;
    s.consumed = consumed;
    s.command = done_;
    s.tag = first_word(done_);
    cmd_.clear();
    line_.clear();
    literals_ = 0;
    return s;
}

CommandFramer::Step CommandFramer::read(std::string_view in) {
    std::size_t pos = 0;
    while (pos < in.size()) {
        if (state_ == State::Decide) {
            Step s;
            s.consumed = pos;
            return s;  // the host has not decided yet; nothing more is read
        }
        if (state_ == State::Literal) {
            const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(literal_left_, in.size() - pos));
            cmd_.append(in.substr(pos, take));
            pos += take;
            literal_left_ -= take;
            if (literal_left_ == 0) state_ = State::Line;
            continue;
        }
        const auto lf = in.find('\n', pos);
        const std::size_t end = lf == std::string_view::npos ? in.size() : lf;
        if (line_.size() + (end - pos) > kMaxLineOctets + 1) {  // +1: the CR
            return error(FrameError::LineTooLong, true, lf == std::string_view::npos ? in.size() : lf + 1);
        }
        line_.append(in.substr(pos, end - pos));
        if (lf == std::string_view::npos) {
            pos = in.size();
            break;
        }
        pos = lf + 1;
        Step s = end_line(pos);
        if (s.kind != Kind::NeedMore) return s;
    }
    Step s;
    s.consumed = pos;
    return s;
}

}  // namespace postino::imap
