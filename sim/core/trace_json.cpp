// trace_json.cpp — canonical JSON Lines encoding (docs/trace-format.md).
#include "core/trace_json.hpp"

#include <array>
#include <cstdint>

namespace postino::trace {
namespace {

void append_escape(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        default: break;
    }
    out += "\\u00";
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
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

void append_int(std::string& out, std::int64_t v) { out += std::to_string(v); }

void append_value(std::string& out, const Value& v) {
    switch (v.index()) {
        case 0: append_int(out, std::get<std::int64_t>(v)); break;
        case 1: out += std::get<bool>(v) ? "true" : "false"; break;
        case 2: append_json_text(out, std::get<std::string>(v)); break;
        case 3: append_json_bytes(out, std::get<Bytes>(v).data); break;
        default: break;
    }
}

}  // namespace

void append_json_text(std::string& out, std::string_view s) {
    out.push_back('"');
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const std::size_t n = utf8_sequence_length(s, i);
            if (n == 0) {
                append_escape(out, c);
                ++i;
            } else {
                out.append(s.substr(i, n));
                i += n;
            }
            continue;
        }
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') append_escape(out, c);
        else out.push_back(static_cast<char>(c));
        ++i;
    }
    out.push_back('"');
}

void append_json_bytes(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') append_escape(out, c);
        else out.push_back(ch);
    }
    out.push_back('"');
}

void append_json(std::string& out, const Event& e) {
    out += "{\"seq\":";
    append_int(out, static_cast<std::int64_t>(e.seq));
    out += ",\"t\":";
    append_int(out, e.t.ns());
    out += ",\"kind\":";
    append_json_text(out, e.kind);
    out += ",\"host\":";
    append_json_text(out, e.host);
    if (!e.peer.empty()) {
        out += ",\"peer\":";
        append_json_text(out, e.peer);
    }
    if (e.conn != 0) {
        out += ",\"conn\":";
        append_int(out, static_cast<std::int64_t>(e.conn));
    }
    for (const auto& f : e.fields) {
        out.push_back(',');
        append_json_text(out, f.key);
        out.push_back(':');
        append_value(out, f.value);
    }
    out.push_back('}');
}

std::string to_json(const Event& e) {
    std::string out;
    append_json(out, e);
    return out;
}

std::string to_json(const Header& h) {
    std::string out = "{\"postino_trace\":";
    append_int(out, h.version);
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

void JsonlWriter::on_event(const Event& e) {
    line_.clear();
    append_json(line_, e);
    line_.push_back('\n');
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

}  // namespace postino::trace
