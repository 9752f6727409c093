// response.cpp — status lines, byte-stuffing and TOP (RFC 1939 §3, §7, §10;
// RFC 2449 §8).
#include "proto/pop3/response.hpp"

#include <cstdint>

namespace postino::pop3 {

std::string Response::line() const {
    std::string s = ok ? "+OK" : "-ERR";
    if (!code.empty() || !text.empty()) s += ' ';
    if (!code.empty()) {
        s += '[' + code + ']';
        if (!text.empty()) s += ' ';
    }
    s += text;
    s += "\r\n";
    return s;
}

Response ok(std::string text) { return Response{true, "", std::move(text)}; }
Response err(std::string text, std::string code) { return Response{false, std::move(code), std::move(text)}; }

void append_stuffed_body(std::string& out, std::string_view content) {
    bool line_start = true;
    std::size_t from = 0;
    for (std::size_t i = 0; i < content.size(); ++i) {
        if (line_start && content[i] == '.') {
            out.append(content.substr(from, i - from));
            out.push_back('.');  // the stuffed dot; content[i] follows
            from = i;
        }
        line_start = content[i] == '\n';
    }
    out.append(content.substr(from));
    out.append(".\r\n");
}

std::string stuff_body(std::string_view content) {
    std::string out;
    out.reserve(content.size() + content.size() / 64 + 3);
    append_stuffed_body(out, content);
    return out;
}

std::string normalize_message(std::string_view stored) {
    std::string out;
    out.reserve(stored.size() + 2);
    for (std::size_t i = 0; i < stored.size(); ++i) {
        const char c = stored[i];
        if (c == '\r') {
            out.append("\r\n");
            if (i + 1 < stored.size() && stored[i + 1] == '\n') ++i;
        } else if (c == '\n') {
            out.append("\r\n");
        } else {
            out.push_back(c);
        }
    }
    if (!out.empty() && (out.size() < 2 || out.substr(out.size() - 2) != "\r\n")) out.append("\r\n");
    return out;
}

std::string_view top_of(std::string_view normalized, std::uint64_t lines) {
    const std::string_view m = normalized;
    // The header ends at the first empty line ("\r\n" at a line start).
    std::size_t pos = 0;
    bool in_header = true;
    std::uint64_t body_lines = 0;
    while (pos < m.size()) {
        const std::size_t nl = m.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? m.size() : nl + 1;
        if (in_header) {
            if (end - pos == 2 && m[pos] == '\r') in_header = false;  // the blank line is sent too
        } else {
            if (body_lines == lines) return m.substr(0, pos);
            ++body_lines;
        }
        pos = end;
    }
    return m;
}

}  // namespace postino::pop3
