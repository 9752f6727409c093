// trace_json.cpp — canonical JSON Lines encoding (docs/trace-format.md).
//
// One pass, no per-character appends: the encoder first bounds the length of
// the line (every input octet becomes at most six output octets, "\u00XX"),
// makes room once, then copies runs of octets that need no escaping whole
// (found sixteen at a time, core/octets.hpp), writes each escape from a
// table and integers two digits at a time. The recorder encodes every
// event this way to update the fingerprint, so this is the hot path of a run.
#include "core/trace_json.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/octets.hpp"

namespace postino::trace {
namespace {

// Longest escape of one octet ("\u00XX") and longest decimal int64.
constexpr std::size_t kMaxEscape = 6;
constexpr std::size_t kMaxInt = 20;

char* put(char* p, std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    return p + s.size();
}

// The escape of each octet (\n, \u0001, …) and its length, built once.
struct Escape {
    std::array<char, kMaxEscape> text;
    std::uint8_t size;
};
constexpr std::array<Escape, 256> kEscapes = [] {
    constexpr char kHex[] = "0123456789abcdef";
    std::array<Escape, 256> t{};
    for (std::size_t c = 0; c < 256; ++c) {
        Escape& e = t[c];
        e.text = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
        e.size = 6;
        const char* two = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : nullptr;
        if (two != nullptr) {
            e.text = {two[0], two[1], 0, 0, 0, 0};
            e.size = 2;
        }
    }
    return t;
}();

// Writes all six octets of the table entry (room for them is in every
// bound: six per input octet) and moves on by the escape's length.
char* put_escape(char* p, unsigned char c) {
    const Escape& e = kEscapes[c];
    std::memcpy(p, e.text.data(), kMaxEscape);
    return p + e.size;
}

// "00" "01" … "99": two decimal digits per table read.
constexpr std::array<char, 200> kDigitPairs = [] {
    std::array<char, 200> t{};
    for (std::size_t i = 0; i < 100; ++i) {
        t[2 * i] = static_cast<char>('0' + i / 10);
        t[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return t;
}();

// Decimal digits of `u` (at least 1).
constexpr int decimal_digits(std::uint64_t u) {
    int n = 1;
    for (;;) {
        if (u < 10) return n;
        if (u < 100) return n + 1;
        if (u < 1000) return n + 2;
        if (u < 10000) return n + 3;
        u /= 10000;
        n += 4;
    }
}

// The same octets as std::to_chars (a '-' for negatives, no leading zeros),
// written back to front two digits at a time: a trace line has six to ten
// integers, most of them the 10-13 digits of a time or sequence number.
char* put_int(char* p, std::int64_t v) {
    std::uint64_t u = static_cast<std::uint64_t>(v);
    if (v < 0) {
        *p++ = '-';
        u = ~u + 1;  // |v|, also for INT64_MIN
    }
    const int n = decimal_digits(u);
    char* q = p + n;
    while (u >= 100) {
        const std::size_t pair = 2 * static_cast<std::size_t>(u % 100);
        u /= 100;
        *--q = kDigitPairs[pair + 1];
        *--q = kDigitPairs[pair];
    }
    if (u >= 10) {
        *--q = kDigitPairs[2 * u + 1];
        *--q = kDigitPairs[2 * u];
    } else {
        *--q = static_cast<char>('0' + u);
    }
    return p + n;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if invalid.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
    const auto c0 = static_cast<unsigned char>(s[i]);
    std::size_t n;
    std::uint32_t cp;
    if (c0 < 0x80) return 1;
    if ((c0 & 0xE0) == 0xC0) { n = 2; cp = c0 & 0x1F; }
    else if ((c0 & 0xF0) == 0xE0) { n = 3; cp = c0 & 0x0F; }
    else if ((c0 & 0xF8) == 0xF0) { n = 4; cp = c0 & 0x07; }
    else return 0;
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return n;
}

// Copies n octets, sizeof(Word) <= n <= 2 * sizeof(Word), as two
// overlapping fixed-size copies (no call, no loop).
template <typename Word>
void copy_overlapping(char* p, const char* s, std::size_t n) {
    Word head;
    Word tail;
    std::memcpy(&head, s, sizeof head);
    std::memcpy(&tail, s + n - sizeof tail, sizeof tail);
    std::memcpy(p, &head, sizeof head);
    std::memcpy(p + n - sizeof tail, &tail, sizeof tail);
}

// Copies n octets; up to 16 without a call, the common case for names,
// verbs and flags.
char* put_octets(char* p, const char* s, std::size_t n) {
    if (n >= 8 && n <= 16) copy_overlapping<std::uint64_t>(p, s, n);
    else if (n >= 4 && n < 8) copy_overlapping<std::uint32_t>(p, s, n);
    else if (n != 0) std::memcpy(p, s, n);  // an empty view's data() may be null
    return p + n;
}

// A string literal: `bytes` false for text (valid UTF-8 kept), true for raw
// octets (everything outside 0x20..0x7E escaped). The runs that need no
// escaping are found sixteen octets at a time (core/octets.hpp) and copied
// whole; a run of octets that do is handled octet by octet.
char* put_string(char* p, std::string_view s, bool bytes) {
    *p++ = '"';
    const char* const src = s.data();
    const std::size_t n = s.size();
    std::size_t i = 0;
    for (;;) {
        const std::size_t plain = octets::find_first(octets::Find::JsonEscape, s.substr(i));
        p = put_octets(p, src + i, plain);
        i += plain;
        if (i == n) break;
        do {
            const auto c = static_cast<unsigned char>(src[i]);
            if (c >= 0x80 && !bytes) {  // text: kept when part of valid UTF-8
                const std::size_t len = utf8_sequence_length(s, i);
                if (len != 0) {
                    p = put_octets(p, src + i, len);
                    i += len;
                    continue;
                }
            }
            p = put_escape(p, c);
            ++i;
        } while (i < n && octets::in_class(octets::Find::JsonEscape, static_cast<unsigned char>(src[i])));
        if (i == n) break;
    }
    *p++ = '"';
    return p;
}

constexpr std::size_t string_bound(std::size_t n) { return kMaxEscape * n + 2; }

std::size_t value_bound(const Value& v) {
    switch (v.index()) {
        case 0: return kMaxInt;
        case 1: return 5;  // false
        case 2: return string_bound(std::get<std::string>(v).size());
        case 3: return string_bound(std::get<Bytes>(v).data.size());
        default: return 0;
    }
}

char* put_value(char* p, const Value& v) {
    switch (v.index()) {
        case 0: return put_int(p, std::get<std::int64_t>(v));
        case 1: return put(p, std::get<bool>(v) ? "true" : "false");
        case 2: return put_string(p, std::get<std::string>(v), false);
        case 3: return put_string(p, std::get<Bytes>(v).data, true);
        default: return p;
    }
}

// Appends to a std::string through the bounded encoders: grow by `bound`,
// write, cut back to what was written.
template <typename Write>
void append_bounded(std::string& out, std::size_t bound, Write write) {
    const std::size_t old = out.size();
    out.resize(old + bound);
    char* end = write(out.data() + old);
    out.resize(static_cast<std::size_t>(end - out.data()));
}

}  // namespace

std::size_t json_bound(const Event& e) {
    // {"seq":,"t":,"kind":,"host":,"peer":,"conn":} and the integers.
    std::size_t n = 48 + 3 * kMaxInt + string_bound(e.kind.size()) + string_bound(e.host.size()) +
                    string_bound(e.peer.size());
    for (const auto& f : e.fields) n += 2 + string_bound(f.key.size()) + value_bound(f.value);
    return n;
}

namespace {
// write_json after the seq and t of the head.
char* write_json_body(char* p, const Event& e) {
    p = put(p, ",\"kind\":");
    p = put_string(p, e.kind, false);
    p = put(p, ",\"host\":");
    p = put_string(p, e.host, false);
    if (!e.peer.empty()) {
        p = put(p, ",\"peer\":");
        p = put_string(p, e.peer, false);
    }
    if (e.conn != 0) {
        p = put(p, ",\"conn\":");
        p = put_int(p, static_cast<std::int64_t>(e.conn));
    }
    for (const auto& f : e.fields) {
        *p++ = ',';
        p = put_string(p, f.key, false);
        *p++ = ':';
        p = put_value(p, f.value);
    }
    *p++ = '}';
    return p;
}
}  // namespace

char* write_json(char* p, const Event& e) {
    p = put(p, "{\"seq\":");
    p = put_int(p, static_cast<std::int64_t>(e.seq));
    p = put(p, ",\"t\":");
    p = put_int(p, e.t.ns());
    return write_json_body(p, e);
}

char* LineEncoder::reserve(std::size_t bound) {
    if (bound > capacity_) {
        capacity_ = std::max(bound, 2 * capacity_);
        buffer_ = std::make_unique<char[]>(capacity_);
    }
    return buffer_.get();
}

namespace {
// Writes `v` through its cache: the cached digits when `v` is the value
// before, the cached digits plus one when it is one more (decimal carry
// in place), else the full conversion, cached for next time.
char* put_cached(char* p, LineEncoder::Decimal& c, std::int64_t v) {
    if (c.size != 0 && c.value >= 0 && c.value < INT64_MAX && v == c.value + 1) {
        int i = c.size - 1;
        while (i >= 0 && c.digits[i] == '9') c.digits[i--] = '0';
        if (i >= 0) {
            ++c.digits[i];
        } else {  // 99…9 + 1: one more digit
            std::memmove(c.digits + 1, c.digits, c.size);
            c.digits[0] = '1';
            ++c.size;
        }
        c.value = v;
    } else if (c.size == 0 || v != c.value) {
        c.size = static_cast<std::uint8_t>(put_int(c.digits, v) - c.digits);
        c.value = v;
    }
    std::memcpy(p, c.digits, c.size);
    return p + c.size;
}
}  // namespace

char* LineEncoder::put_head(char* p, std::uint64_t seq, Time t) {
    p = put(p, "{\"seq\":");
    p = put_cached(p, seq_, static_cast<std::int64_t>(seq));
    p = put(p, ",\"t\":");
    return put_cached(p, t_, t.ns());
}

std::string_view LineEncoder::encode(const Event& e) {
    char* const start = reserve(json_bound(e) + 1);
    char* end = write_json_body(put_head(start, e.seq, e.t), e);
    *end++ = '\n';
    return {start, static_cast<std::size_t>(end - start)};
}

// The line of write_json(p.to_event()) written without the Event: the same
// head, then the fields in to_event()'s order.
std::string_view LineEncoder::encode(const PacketRecord& r, std::uint64_t seq, Time t) {
    const std::size_t reason_size = r.reason != nullptr ? std::strlen(r.reason) : 0;
    // Head and the integers as in json_bound, the keys (all short, none
    // escaped) and the strings.
    const std::size_t bound = 48 + 3 * kMaxInt + string_bound(8) + string_bound(r.host.size()) +
                              string_bound(r.peer.size()) + 160 + 7 * kMaxInt + string_bound(r.ev.size()) +
                              string_bound(r.flags.size()) + string_bound(r.bytes.size()) +
                              string_bound(reason_size) + 1;
    char* const start = reserve(bound);
    char* p = put_head(start, seq, t);
    p = put(p, r.tcp ? ",\"kind\":\"segment\",\"host\":" : ",\"kind\":\"datagram\",\"host\":");
    p = put_string(p, r.host, false);
    if (!r.peer.empty()) {
        p = put(p, ",\"peer\":");
        p = put_string(p, r.peer, false);
    }
    if (r.tcp && r.conn != 0) {
        p = put(p, ",\"conn\":");
        p = put_int(p, static_cast<std::int64_t>(r.conn));
    }
    p = put(p, ",\"ev\":");
    p = put_string(p, r.ev, false);
    p = put(p, ",\"id\":");
    p = put_int(p, static_cast<std::int64_t>(r.id));
    if (r.tcp) {
        p = put(p, ",\"flags\":");
        p = put_string(p, r.flags, false);
        p = put(p, ",\"seqno\":");
        p = put_int(p, static_cast<std::int64_t>(r.seqno));
        p = put(p, ",\"ackno\":");
        p = put_int(p, static_cast<std::int64_t>(r.ackno));
        p = put(p, ",\"len\":");
        p = put_int(p, static_cast<std::int64_t>(r.len));
        p = put(p, ",\"sport\":");
        p = put_int(p, r.sport);
        p = put(p, ",\"dport\":");
        p = put_int(p, r.dport);
        if (r.retransmit) p = put(p, ",\"retransmit\":true");
    } else {
        p = put(p, ",\"sport\":");
        p = put_int(p, r.sport);
        p = put(p, ",\"dport\":");
        p = put_int(p, r.dport);
        p = put(p, ",\"len\":");
        p = put_int(p, static_cast<std::int64_t>(r.len));
        p = put(p, ",\"bytes\":");
        p = put_string(p, r.bytes, true);
    }
    if (r.reason != nullptr) {
        p = put(p, ",\"reason\":");
        p = put_string(p, std::string_view(r.reason, reason_size), false);
    }
    *p++ = '}';
    *p++ = '\n';
    return {start, static_cast<std::size_t>(p - start)};
}

// The line of write_json(r.to_event()) written without the Event.
std::string_view LineEncoder::encode(const SmtpLineRecord& r, std::uint64_t seq, Time t) {
    // Head and integers as in json_bound, the keys (all short, none escaped)
    // and the strings.
    const std::size_t bound = 48 + 4 * kMaxInt + string_bound(4) + string_bound(r.host.size()) +
                              string_bound(r.peer.size()) + 96 + string_bound(r.bytes.size()) +
                              string_bound(r.verb.size()) + string_bound(r.enhanced.size()) + 1;
    char* const start = reserve(bound);
    char* p = put_head(start, seq, t);
    p = put(p, ",\"kind\":\"line\",\"host\":");
    p = put_string(p, r.host, false);
    if (!r.peer.empty()) {
        p = put(p, ",\"peer\":");
        p = put_string(p, r.peer, false);
    }
    if (r.conn != 0) {
        p = put(p, ",\"conn\":");
        p = put_int(p, static_cast<std::int64_t>(r.conn));
    }
    p = put(p, r.send ? ",\"proto\":\"smtp\",\"dir\":\"send\",\"bytes\":" : ",\"proto\":\"smtp\",\"dir\":\"recv\",\"bytes\":");
    p = put_string(p, r.bytes, true);
    if (!r.verb.empty()) {
        p = put(p, ",\"verb\":");
        p = put_string(p, r.verb, false);
    }
    if (r.has_code) {
        p = put(p, ",\"code\":");
        p = put_int(p, r.code);
    }
    if (!r.enhanced.empty()) {
        p = put(p, ",\"enhanced\":");
        p = put_string(p, r.enhanced, false);
    }
    if (r.tls) p = put(p, ",\"tls\":true");
    *p++ = '}';
    *p++ = '\n';
    return {start, static_cast<std::size_t>(p - start)};
}

// The line of write_json(r.to_event()) written without the Event.
std::string_view LineEncoder::encode(const TcpRecord& r, std::uint64_t seq, Time t) {
    const std::size_t reason_size = r.reason != nullptr ? std::strlen(r.reason) : 0;
    const std::size_t bound = 48 + 5 * kMaxInt + string_bound(3) + string_bound(r.host.size()) +
                              string_bound(r.peer.size()) + 40 + string_bound(r.ev.size()) +
                              string_bound(reason_size) + 1;
    char* const start = reserve(bound);
    char* p = put_head(start, seq, t);
    p = put(p, ",\"kind\":\"tcp\",\"host\":");
    p = put_string(p, r.host, false);
    if (!r.peer.empty()) {
        p = put(p, ",\"peer\":");
        p = put_string(p, r.peer, false);
    }
    if (r.conn != 0) {
        p = put(p, ",\"conn\":");
        p = put_int(p, static_cast<std::int64_t>(r.conn));
    }
    p = put(p, ",\"ev\":");
    p = put_string(p, r.ev, false);
    p = put(p, ",\"sport\":");
    p = put_int(p, r.sport);
    p = put(p, ",\"dport\":");
    p = put_int(p, r.dport);
    if (r.reason != nullptr) {
        p = put(p, ",\"reason\":");
        p = put_string(p, std::string_view(r.reason, reason_size), false);
    }
    *p++ = '}';
    *p++ = '\n';
    return {start, static_cast<std::size_t>(p - start)};
}

void append_json_text(std::string& out, std::string_view s) {
    append_bounded(out, string_bound(s.size()), [&](char* p) { return put_string(p, s, false); });
}

void append_json_bytes(std::string& out, std::string_view s) {
    append_bounded(out, string_bound(s.size()), [&](char* p) { return put_string(p, s, true); });
}

void append_json(std::string& out, const Event& e) {
    append_bounded(out, json_bound(e), [&](char* p) { return write_json(p, e); });
}

std::string to_json(const Event& e) {
    std::string out;
    append_json(out, e);
    return out;
}

std::string to_json(const Header& h) {
    std::string out = "{\"postino_trace\":";
    out += std::to_string(h.version);
    out += ",\"seed\":";
    out += std::to_string(h.seed);
    out += ",\"scenario\":";
    append_json_text(out, h.scenario);
    out += ",\"generator\":";
    append_json_text(out, h.generator);
    out.push_back('}');
    return out;
}

JsonlWriter::JsonlWriter(std::ostream& out, const Header& header) : out_(out) {
    out_ << to_json(header) << '\n';
}

void JsonlWriter::on_event(const Event& e) { write_line(encoder_.encode(e)); }

void JsonlWriter::on_event_line(const Event&, std::string_view line) { write_line(line); }

void JsonlWriter::on_packet_line(const PacketRecord&, std::string_view line, const LazyPacketEvent&) {
    write_line(line);
}

void JsonlWriter::on_smtp_line(const SmtpLineRecord&, std::string_view line, const LazySmtpLineEvent&) {
    write_line(line);
}

void JsonlWriter::on_tcp_line(const TcpRecord&, std::string_view line, const LazyTcpEvent&) { write_line(line); }

void JsonlWriter::write_line(std::string_view line) {
    out_.write(line.data(), static_cast<std::streamsize>(line.size()));
}

}  // namespace postino::trace
