// message.cpp — HTTP/1.1 message values and their serialization (RFC 9112
// §2.1, §3, §4, §5, §6.2; RFC 9110 §5, §15). See message.hpp.
#include "proto/http/message.hpp"

#include <cctype>

namespace postino::http {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
    }
    return true;
}

bool is_tchar(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) return true;
    switch (c) {
        case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
        case '-': case '.': case '^': case '_': case '`': case '|': case '~':
            return true;
        default:
            return false;
    }
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (!is_tchar(c)) return false;
    }
    return true;
}

std::optional<std::string> Fields::get(std::string_view name) const {
    for (const auto& [n, v] : lines) {
        if (iequals(n, name)) return v;
    }
    return std::nullopt;
}

std::size_t Fields::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& l : lines) n += iequals(l.first, name) ? 1 : 0;
    return n;
}

std::string Fields::combined(std::string_view name) const {
    std::string out;
    for (const auto& [n, v] : lines) {
        if (!iequals(n, name)) continue;
        if (!out.empty()) out += ", ";
        out += v;
    }
    return out;
}

Fields& Fields::add(std::string name, std::string value) {
    lines.emplace_back(std::move(name), std::move(value));
    return *this;
}

Fields& Fields::set(std::string_view name, std::string value) {
    std::erase_if(lines, [&](const auto& l) { return iequals(l.first, name); });
    lines.emplace_back(std::string(name), std::move(value));
    return *this;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 100: return "Continue";
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 411: return "Length Required";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 417: return "Expectation Failed";
        case 431: return "Request Header Fields Too Large";  // RFC 6585 §5
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        default: return "";
    }
}

bool status_has_no_content(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

std::string serialize(const Request& r) {
    std::string out = r.method + " " + r.target + " HTTP/1." + std::to_string(r.minor) + "\r\n";
    const bool needs_length = !r.body.empty() || r.method == "POST" || r.method == "PUT";
    for (const auto& [n, v] : r.fields.lines) {
        if (iequals(n, "Content-Length")) continue;
        out.append(n).append(": ").append(v).append("\r\n");
    }
    if (needs_length) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    out += "\r\n";
    out += r.body;
    return out;
}

std::string serialize(const Response& r, bool head_only) {
    const std::string reason = r.reason.empty() ? std::string(reason_phrase(r.status)) : r.reason;
    std::string out = "HTTP/1." + std::to_string(r.minor) + " " + std::to_string(r.status) + " " + reason + "\r\n";
    for (const auto& [n, v] : r.fields.lines) {
        if (iequals(n, "Content-Length")) continue;
        out.append(n).append(": ").append(v).append("\r\n");
    }
    const bool no_content = status_has_no_content(r.status);
    if (!no_content) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
    out += "\r\n";
    if (!no_content && !head_only) out += r.body;
    return out;
}

bool list_has_token(std::string_view list, std::string_view token) {
    std::size_t p = 0;
    while (p <= list.size()) {
        std::size_t e = list.find(',', p);
        if (e == std::string_view::npos) e = list.size();
        std::string_view item = list.substr(p, e - p);
        while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
        while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
        if (iequals(item, token)) return true;
        p = e + 1;
    }
    return false;
}

}  // namespace postino::http
