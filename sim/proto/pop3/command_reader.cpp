// command_reader.cpp — CRLF-strict, 255-octet command lines (RFC 1939 §3,
// RFC 2449 §4).
#include "proto/pop3/command_reader.hpp"

#include <cstring>

#include "proto/pop3/limits.hpp"

namespace postino::pop3 {

CommandReader::Step CommandReader::read(std::string_view in) {
    Step s;
    if (in.empty()) return s;
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
        s.line = held_;
        s.raw = held_;
        discarding_ = false;
        discarded_ = 0;
        return s;
    }
    if (split_at_ != 0) {  // the fault; buf_ stays shorter than split_at_
        const std::size_t cut = split_at_ - buf_.size();
        // Octets, not a C string: no terminator is looked for.
        if (in.size() >= cut && std::memchr(in.data(), '\n', cut) == nullptr) {  // NOLINT(bugprone-not-null-terminated-result)
            held_ = buf_;
            held_.append(in.data(), cut);
            buf_.clear();
            s.kind = Kind::Line;
            s.consumed = cut;
            s.line = held_;
            s.raw = held_;
            s.octets = held_.size();
            return s;
        }
    }
    const std::size_t room = kMaxCommandOctets - buf_.size();
    const std::size_t scan = in.size() < room ? in.size() : room;
    const void* nl = std::memchr(in.data(), '\n', scan);
    if (nl == nullptr) {
        if (in.size() < room) {
            buf_.append(in);
            s.consumed = in.size();
            return s;
        }
        // kMaxCommandOctets octets and no LF among them: too long.
        held_ = buf_;
        held_.append(in.data(), room);
        buf_.clear();
        discarding_ = true;
        discarded_ = held_.size();
        s.consumed = room;
        return s;
    }
    const std::size_t used = static_cast<std::size_t>(static_cast<const char*>(nl) - in.data()) + 1;
    if (buf_.empty()) return finish(in.substr(0, used), used);
    buf_.append(in.data(), used);
    held_ = std::move(buf_);
    buf_.clear();
    return finish(held_, used);
}

// `line` is a whole line with its LF: classify it and strip the line end.
CommandReader::Step CommandReader::finish(std::string_view line, std::size_t consumed) {
    Step s;
    s.consumed = consumed;
    s.octets = line.size();
    s.raw = line;
    std::string_view body = line.substr(0, line.size() - 1);
    const bool crlf = !body.empty() && body.back() == '\r';
    if (crlf) body.remove_suffix(1);
    const bool bare_cr = std::memchr(body.data(), '\r', body.size()) != nullptr;
    s.kind = crlf && !bare_cr ? Kind::Line : Kind::BareLineEnd;
    s.line = body;
    return s;
}

}  // namespace postino::pop3
