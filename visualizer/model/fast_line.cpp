// fast_line.cpp — strict fast-path parser for canonical trace lines.
#include "model/fast_line.hpp"

#include <limits>

#include "core/trace_schema.hpp"

namespace postino::viz {
namespace {

struct Cursor {
    std::string_view s;
    std::size_t i = 0;
    [[nodiscard]] bool at_end() const { return i >= s.size(); }
    [[nodiscard]] char peek() const { return s[i]; }
    bool eat(char c) {
        if (i < s.size() && s[i] == c) {
            ++i;
            return true;
        }
        return false;
    }
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Keys: lower-case letters, digits and '_' (every key Postino writes).
bool parse_key(Cursor& c, std::string_view& key) {
    if (!c.eat('"')) return false;
    const std::size_t start = c.i;
    while (!c.at_end()) {
        const char ch = c.peek();
        if (ch == '"') {
            key = c.s.substr(start, c.i - start);
            ++c.i;
            return !key.empty();
        }
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
        ++c.i;
    }
    return false;
}

// A string value. `octets`: a bytes field (code points <= U+00FF become one
// octet each); otherwise text (code points become UTF-8). Raw non-ASCII and
// raw control characters, and \u escapes above U+07FF, leave the subset.
bool parse_string(Cursor& c, std::string& out, bool octets) {
    out.clear();
    if (!c.eat('"')) return false;
    while (!c.at_end()) {
        const std::size_t run = c.i;
        while (!c.at_end()) {
            const auto u = static_cast<unsigned char>(c.peek());
            if (u == '"' || u == '\\' || u < 0x20 || u >= 0x80) break;
            ++c.i;
        }
        out.append(c.s.data() + run, c.i - run);
        if (c.at_end()) return false;
        const auto u = static_cast<unsigned char>(c.peek());
        if (u == '"') {
            ++c.i;
            return true;
        }
        if (u != '\\') return false;  // raw control or non-ASCII: let the full reader decide
        ++c.i;
        if (c.at_end()) return false;
        const char e = c.peek();
        ++c.i;
        switch (e) {
            case '"': out.push_back('"'); break;
            case '\\': out.push_back('\\'); break;
            case '/': out.push_back('/'); break;
            case 'b': out.push_back('\b'); break;
            case 'f': out.push_back('\f'); break;
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'u': {
                if (c.i + 4 > c.s.size()) return false;
                unsigned cp = 0;
                for (int k = 0; k < 4; ++k) {
                    const int d = hex_digit(c.s[c.i + static_cast<std::size_t>(k)]);
                    if (d < 0) return false;
                    cp = cp * 16 + static_cast<unsigned>(d);
                }
                c.i += 4;
                if (octets) {
                    if (cp > 0xFF) return false;
                    out.push_back(static_cast<char>(cp));
                } else if (cp < 0x80) {
                    out.push_back(static_cast<char>(cp));
                } else if (cp < 0x800) {
                    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
                    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
                } else {
                    return false;
                }
                break;
            }
            default: return false;
        }
    }
    return false;
}

// -?digits, no leading zeros, no fraction or exponent, within int64.
bool parse_int(Cursor& c, std::int64_t& v, bool& negative) {
    negative = c.eat('-');
    const std::size_t start = c.i;
    std::uint64_t acc = 0;
    while (!c.at_end() && c.peek() >= '0' && c.peek() <= '9') {
        const auto d = static_cast<std::uint64_t>(c.peek() - '0');
        if (acc > (std::numeric_limits<std::uint64_t>::max() - d) / 10) return false;
        acc = acc * 10 + d;
        ++c.i;
    }
    const std::size_t n = c.i - start;
    if (n == 0) return false;
    if (n > 1 && c.s[start] == '0') return false;
    if (!c.at_end() && (c.peek() == '.' || c.peek() == 'e' || c.peek() == 'E')) return false;
    if (acc > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    v = negative ? -static_cast<std::int64_t>(acc) : static_cast<std::int64_t>(acc);
    return true;
}

bool is_head(std::string_view k) {
    return k == "seq" || k == "t" || k == "kind" || k == "host" || k == "peer" || k == "conn";
}

// Stores a text value in field slot `n`, reusing its string when possible.
std::string& text_slot(trace::Event& e, std::size_t n, std::string_view key, bool octets) {
    if (e.fields.size() <= n) e.fields.resize(n + 1);
    trace::Field& f = e.fields[n];
    f.key.assign(key);
    if (octets) {
        if (auto* b = std::get_if<trace::Bytes>(&f.value)) return b->data;
        f.value = trace::Bytes{};
        return std::get<trace::Bytes>(f.value).data;
    }
    if (auto* s = std::get_if<std::string>(&f.value)) return *s;
    f.value = std::string{};
    return std::get<std::string>(f.value);
}

}  // namespace

bool fast_parse_event(std::string_view line, trace::Event& out) {
    Cursor c{line, 0};
    if (!c.eat('{')) return false;
    std::size_t nfields = 0;
    bool has_seq = false, has_t = false, has_kind = false, has_host = false, has_peer = false, has_conn = false;
    out.peer.clear();
    out.conn = 0;
    if (c.eat('}')) return false;  // {} lacks the head: the full reader reports which key
    for (;;) {
        std::string_view key;
        if (!parse_key(c, key)) return false;
        if (!c.eat(':')) return false;
        if (c.at_end()) return false;
        const char first = c.peek();
        if (is_head(key)) {
            if (key == "seq" || key == "t" || key == "conn") {
                std::int64_t v = 0;
                bool neg = false;
                if (!parse_int(c, v, neg)) return false;
                if (key == "seq") {
                    if (has_seq || neg) return false;
                    out.seq = static_cast<std::uint64_t>(v);
                    has_seq = true;
                } else if (key == "t") {
                    if (has_t) return false;
                    out.t = Duration::from_ns(v);
                    has_t = true;
                } else {
                    if (has_conn || neg) return false;
                    out.conn = static_cast<std::uint64_t>(v);
                    has_conn = true;
                }
            } else {
                std::string* dst = key == "kind" ? &out.kind : key == "host" ? &out.host : &out.peer;
                bool& seen = key == "kind" ? has_kind : key == "host" ? has_host : has_peer;
                if (seen) return false;
                if (!parse_string(c, *dst, false)) return false;
                seen = true;
            }
        } else {
            for (std::size_t k = 0; k < nfields; ++k) {
                if (out.fields[k].key == key) return false;  // duplicate key
            }
            if (first == '"') {
                const bool octets = trace::is_bytes_key(key);
                if (!parse_string(c, text_slot(out, nfields, key, octets), octets)) return false;
            } else if (first == 't' || first == 'f') {
                const std::string_view word = first == 't' ? "true" : "false";
                if (line.substr(c.i, word.size()) != word) return false;
                c.i += word.size();
                if (out.fields.size() <= nfields) out.fields.resize(nfields + 1);
                out.fields[nfields].key.assign(key);
                out.fields[nfields].value = first == 't';
            } else {
                std::int64_t v = 0;
                bool neg = false;
                if (!parse_int(c, v, neg)) return false;
                if (out.fields.size() <= nfields) out.fields.resize(nfields + 1);
                out.fields[nfields].key.assign(key);
                out.fields[nfields].value = v;
            }
            ++nfields;
        }
        if (c.eat(',')) continue;
        if (c.eat('}')) break;
        return false;
    }
    if (!c.at_end()) return false;
    out.fields.resize(nfields);
    if (!has_seq || !has_t || !has_kind || !has_host) return false;
    return trace::validate(out).empty();
}

}  // namespace postino::viz
