// command_reader.cpp — CRLF-strict bounded command lines (RFC 5321 §2.3.8,
// §4.5.3.1.4).
#include "proto/smtp/command_reader.hpp"

#include <cstring>

#include "proto/smtp/limits.hpp"

namespace postino::smtp {

CommandReader::Step CommandReader::read(std::string_view in) {
    Step s;
    if (discarding_) {
        const void* nl = std::memchr(in.data(), '\n', in.size());
        if (nl == nullptr) {
            discarded_ += in.size();
            s.consumed = in.size();
            return s;
        }
        s.consumed = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data()) + 1;
        s.kind = Kind::TooLong;
        s.octets = discarded_ + s.consumed;
        s.line = head_;
        s.raw = head_;
        discarding_ = false;
        discarded_ = 0;
        return s;
    }
    const std::size_t room = kMaxCommandLineOctets - buf_.size();
    const std::size_t scan = in.size() < room ? in.size() : room;
    const void* nl = std::memchr(in.data(), '\n', scan);
    if (nl == nullptr) {
        if (in.size() < room) {
            buf_.append(in);
            s.consumed = in.size();
            return s;
        }
        // kMaxCommandLineOctets octets and no LF: the line is too long.
        head_ = buf_;
        head_.append(in.data(), room);
        buf_.clear();
        discarding_ = true;
        discarded_ = head_.size();
        s.consumed = room;
        return s;
    }
    const std::size_t used = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data()) + 1;
    if (buf_.empty()) return finish(in.substr(0, used), used);
    buf_.append(in.data(), used);
    Step r = finish(buf_, used);
    return r;
}

// `line` is a whole line with its LF. Classifies it and strips the line end.
CommandReader::Step CommandReader::finish(std::string_view line, std::size_t consumed) {
    Step s;
    s.consumed = consumed;
    s.octets = line.size();
    if (!buf_.empty()) {
        // The views must outlive the buffer reset: keep the line in head_.
        head_.assign(line);
        buf_.clear();
        line = head_;
    }
    s.raw = line;
    std::string_view body = line.substr(0, line.size() - 1);
    const bool crlf = !body.empty() && body.back() == '\r';
    if (crlf) body.remove_suffix(1);
    const bool bare_cr = std::memchr(body.data(), '\r', body.size()) != nullptr;
    s.kind = (crlf || lf_ends_line_) && !bare_cr ? Kind::Line : Kind::BareLineEnd;
    s.line = body;
    return s;
}

}  // namespace postino::smtp
