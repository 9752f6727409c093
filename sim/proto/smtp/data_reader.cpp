// data_reader.cpp — end-of-data detection, dot-unstuffing and bare CR/LF
// handling for received mail data (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8,
// §4.5.3.1.6; RFC 1870 §6). See data_reader.hpp for the three modes.
#include "proto/smtp/data_reader.hpp"

#include <cstring>

#include "proto/smtp/limits.hpp"

namespace postino::smtp {

const char* to_string(LineEndMode m) {
    switch (m) {
        case LineEndMode::Strict: return "strict";
        case LineEndMode::Normalize: return "normalize";
        case LineEndMode::LfEndsLine: return "lf-ends-line";
    }
    return "?";
}

void DataReader::begin(const Options& opt) {
    opt_ = opt;
    state_ = State::LineStart;
    problems_ = DataProblems{};
    content_.clear();
    if (opt.reserve != 0) content_.reserve(opt.reserve);
    line_len_ = 0;
    wire_octets_ = 0;
    storing_ = true;
}

void DataReader::problem(bool& flag) {
    flag = true;
    if (problems_.rejects()) {
        // The message will be refused: keep scanning for its end, store nothing.
        storing_ = false;
        content_.clear();
        content_.shrink_to_fit();
    }
}

void DataReader::store(const char* p, std::size_t n) {
    if (opt_.seven_bit && !problems_.eight_bit) {
        unsigned char acc = 0;
        for (std::size_t i = 0; i < n; ++i) acc |= static_cast<unsigned char>(p[i]);
        if (acc & 0x80U) problems_.eight_bit = true;
    }
    if (!storing_) return;
    if (content_.size() + n > opt_.max_octets) {
        problem(problems_.too_big);
        return;
    }
    content_.append(p, n);
}

// A line ended; line_len_ counts its octets without the line end.
void DataReader::end_line(bool real_crlf) {
    if (line_len_ + 2 > kMaxTextLineOctets && !opt_.accept_long_lines) problem(problems_.long_line);
    line_len_ = 0;
    state_ = real_crlf || opt_.mode == LineEndMode::LfEndsLine ? State::LineStart : State::LineStartSoft;
}

bool DataReader::step(char c) {
    switch (state_) {
        case State::LineStart:
        case State::LineStartSoft:
            if (c == '.') {
                state_ = state_ == State::LineStart ? State::Dot : State::DotSoft;
                return false;
            }
            state_ = State::Mid;
            return step(c);
        case State::Dot:
            if (c == '\r') {
                state_ = State::DotCr;
                return false;
            }
            if (c == '\n' && opt_.mode == LineEndMode::LfEndsLine) return true;  // "<LF>.<LF>": the unsafe end
            if (c == '\n') store_str(".");  // the line "." ended by a bare LF: content, not the end
            state_ = State::Mid;              // otherwise the leading dot was stuffing (§4.5.2)
            return step(c);
        case State::DotSoft:
            if (c == '\r' || c == '\n') store_str(".");  // the line is "." alone: keep it
            state_ = State::Mid;
            return step(c);
        case State::DotCr:
            if (c == '\n') return true;  // <CRLF>.<CRLF>
            store_str(".");
            state_ = State::Cr;
            return step(c);
        case State::Mid:
            if (c == '\r') {
                state_ = State::Cr;
                return false;
            }
            if (c == '\n') {
                if (opt_.mode == LineEndMode::Strict) {
                    problem(problems_.bare_lf);
                    ++line_len_;
                    return false;
                }
                store_str("\r\n");  // Normalize / LfEndsLine: the LF ends the line, stored as CRLF
                end_line(false);
                return false;
            }
            if (c == '\0') problem(problems_.nul);
            store(&c, 1);
            ++line_len_;
            return false;
        case State::Cr:
            if (c == '\n') {
                store_str("\r\n");
                end_line(true);
                return false;
            }
            // The CR was bare.
            if (opt_.mode == LineEndMode::Normalize) {
                store_str("\r\n");
                end_line(false);
                return step(c);
            }
            if (opt_.mode == LineEndMode::Strict) problem(problems_.bare_cr);
            store_str("\r");  // LfEndsLine keeps a bare CR as an ordinary octet
            ++line_len_;
            state_ = State::Mid;
            return step(c);
    }
    return false;
}

// Whole lines `text CRLF` with no other CR, no NUL and no leading dot are
// stored as they are; a clean tail without LF is stored too.
std::size_t DataReader::fast_lines(const char* p, std::size_t n) {
    std::size_t used = 0;
    while (used < n && (state_ == State::Mid || (state_ == State::LineStart && p[used] != '.'))) {
        const char* s = p + used;
        const std::size_t avail = n - used;
        const char* nl = static_cast<const char*>(std::memchr(s, '\n', avail));
        if (nl == nullptr) {
            // A tail: clean if it has no CR before its last octet and no NUL.
            if (std::memchr(s, '\r', avail - 1) != nullptr || std::memchr(s, '\0', avail) != nullptr) break;
            const bool ends_cr = s[avail - 1] == '\r';
            const std::size_t text = ends_cr ? avail - 1 : avail;
            store(s, text);
            line_len_ += text;
            state_ = ends_cr ? State::Cr : State::Mid;
            return used + avail;
        }
        const auto len = static_cast<std::size_t>(nl - s);  // octets before the LF
        if (len == 0 || s[len - 1] != '\r' || std::memchr(s, '\r', len - 1) != nullptr ||
            std::memchr(s, '\0', len) != nullptr) {
            break;
        }
        store(s, len + 1);
        line_len_ += len - 1;
        end_line(true);
        used += len + 1;
    }
    return used;
}

DataReader::Step DataReader::read(std::string_view in) {
    const char* p = in.data();
    const std::size_t n = in.size();
    std::size_t i = 0;
    while (i < n) {
        i += fast_lines(p + i, n - i);
        if (i >= n) break;
        if (step(p[i++])) {
            wire_octets_ += i;
            return {i, true};
        }
    }
    wire_octets_ += n;
    return {n, false};
}

}  // namespace postino::smtp
