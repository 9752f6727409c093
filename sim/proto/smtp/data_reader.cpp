// data_reader.cpp — end-of-data detection, dot-unstuffing and bare CR/LF
// handling for received mail data (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8,
// §4.5.3.1.6; RFC 1870 §6). See data_reader.hpp for the three modes.
#include "proto/smtp/data_reader.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>

#include "proto/smtp/limits.hpp"

namespace postino::smtp {

const char* to_string(LineEndMode m) {
    switch (m) {
        case LineEndMode::Strict:
            return "strict";
        case LineEndMode::Normalize:
            return "normalize";
        case LineEndMode::LfEndsLine:
            return "lf-ends-line";
    }
    return "?";
}

void DataReader::begin(const Options& opt) {
    opt_ = opt;
    state_ = State::LineStart;
    problems_ = DataProblems{};
    drop_content();
    line_len_ = 0;
    wire_octets_ = 0;
    storing_ = true;
}

void DataReader::problem(bool& flag) {
    flag = true;
    if (problems_.rejects()) {
        // The message will be refused: keep scanning for its end, store nothing.
        storing_ = false;
        drop_content();
    }
}

void DataReader::drop_content() {
    for (auto& c : chunks_) {
        if (spare_.size() >= kSpareChunks) break;
        c.clear();
        spare_.push_back(std::move(c));
    }
    chunks_.clear();
    stored_ = 0;
}

std::string DataReader::take_content() {
    std::string out;
    if (chunks_.size() == 1) {
        out = std::move(chunks_.front());  // a small message: no copy
    } else {
        out.reserve(stored_);
        for (const auto& c : chunks_)
            out += c;
    }
    drop_content();
    return out;
}

namespace {

// True when any octet has its high bit set: 32 octets at a time in four
// independent words, so the loop is not one long dependency chain.
bool any_eight_bit(const char* p, std::size_t n) {
    std::uint64_t a = 0, b = 0, c = 0, d = 0;
    std::size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        std::uint64_t w[4];
        std::memcpy(w, p + i, sizeof w);
        a |= w[0];
        b |= w[1];
        c |= w[2];
        d |= w[3];
    }
    for (; i < n; ++i)
        a |= static_cast<unsigned char>(p[i]);
    return ((a | b | c | d) & 0x8080808080808080ULL) != 0;
}

}  // namespace

void DataReader::store(const char* p, std::size_t n) {
    if (!storing_) return;
    if (stored_ + n > opt_.max_octets) {
        problem(problems_.too_big);
        return;
    }
    stored_ += n;
    while (n != 0) {
        if (chunks_.empty() || chunks_.back().size() == kChunkOctets) {
            if (spare_.empty()) {
                chunks_.emplace_back();
                chunks_.back().reserve(kChunkOctets);
            } else {
                chunks_.push_back(std::move(spare_.back()));
                spare_.pop_back();
            }
        }
        std::string& c = chunks_.back();
        const std::size_t take = std::min(n, kChunkOctets - c.size());
        c.append(p, take);
        p += take;
        n -= take;
    }
}

// A line ended; line_len_ counts its octets without the line end.
void DataReader::end_line(bool real_crlf) {
    if (line_len_ + 2 > kMaxTextLineOctets && !opt_.accept_long_lines) problem(problems_.long_line);
    line_len_ = 0;
    state_ = real_crlf || opt_.mode == LineEndMode::LfEndsLine ? State::LineStart : State::LineStartSoft;
}

bool DataReader::step(char c) {
    if (c == '\0' && opt_.fault_drop_nul) return false;  // the fault drop-nul
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
            if (opt_.fault_dot_line_ends && c != '.' && c != '\r') return true;  // the fault dot-line-ends-data
            if (c == '\r') {
                state_ = State::DotCr;
                return false;
            }
            if (c == '\n' && opt_.mode == LineEndMode::LfEndsLine) return true;  // "<LF>.<LF>": the unsafe end
            if (c == '\n') store_str(".");  // the line "." ended by a bare LF: content, not the end
            state_ = State::Mid;            // otherwise the leading dot was stuffing (§4.5.2)
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
                if (opt_.mode == LineEndMode::Strict && opt_.fault_keep_bare_lf) {
                    store_str("\n");  // the fault store-bare-lf
                    ++line_len_;
                    return false;
                }
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
            // The fault cr-ends-line takes it for a real CRLF, so a "." after it may end the data.
            if (opt_.mode == LineEndMode::Normalize || opt_.fault_cr_ends_line) {
                store_str("\r\n");
                end_line(opt_.fault_cr_ends_line);
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

namespace {

// The offset of the first CR, LF or NUL in [s, s + n), or n. Eight octets at
// a time on little-endian hosts: (x - 0x01…) & ~x & 0x80… has its lowest set
// bit in the first zero octet of x.
std::size_t find_special(const char* s, std::size_t n) {
    std::size_t i = 0;
    if constexpr (std::endian::native == std::endian::little) {
        constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
        constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
        auto zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
        for (; i + 8 <= n; i += 8) {
            std::uint64_t w = 0;
            std::memcpy(&w, s + i, 8);
            const std::uint64_t m = zero(w) | zero(w ^ (kOnes * '\n')) | zero(w ^ (kOnes * '\r'));
            if (m != 0) return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
        }
    }
    for (; i < n; ++i) {
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0') return i;
    }
    return n;
}

}  // namespace

// Consumes clean text quickly: whole lines `text CRLF` (no other CR, no NUL,
// no leading dot) and clean text before anything special, which is left to
// step(). Returns the octets used.
std::size_t DataReader::fast_lines(const char* p, std::size_t n) {
    std::size_t used = 0;
    while (used < n && (state_ == State::Mid || (state_ == State::LineStart && p[used] != '.'))) {
        const char* s = p + used;
        const std::size_t avail = n - used;
        const std::size_t k = find_special(s, avail);
        if (k == 0) return used;  // a special octet first: step() decides (a dropped NUL keeps the line start)
        if (k + 1 < avail && s[k] == '\r' && s[k + 1] == '\n') {
            store(s, k + 2);
            line_len_ += k;
            end_line(true);
            used += k + 2;
            continue;
        }
        // No clean line end here: keep the clean text, leave the rest to step().
        store(s, k);
        line_len_ += k;
        state_ = State::Mid;
        return used + k;
    }
    return used;
}

DataReader::Step DataReader::read(std::string_view in) {
    const char* p = in.data();
    const std::size_t n = in.size();
    std::size_t i = 0;
    bool done = false;
    while (i < n && !done) {
        i += fast_lines(p + i, n - i);
        if (i < n) done = step(p[i++]);
    }
    wire_octets_ += i;
    // The octets read hold the same 8-bit octets as what was stored (stuffing
    // and line ends are ASCII), so one scan per read is enough.
    if (opt_.seven_bit && !problems_.eight_bit && any_eight_bit(p, i)) problems_.eight_bit = true;
    return {i, done};
}

}  // namespace postino::smtp
