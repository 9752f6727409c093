// form.cpp — targets, percent-decoding, urlencoded forms, cookies, HTML
// escaping (RFC 3986 §2.1, §2.3, §3.3; RFC 9112 §3.2; RFC 6265 §4.1.1,
// §5.4; WHATWG URL "application/x-www-form-urlencoded"). See form.hpp.
#include "proto/http/form.hpp"

#include "proto/http/message.hpp"

namespace postino::http {
namespace {
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

Result<std::string> percent_decode(std::string_view s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
            const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) return Error{"a '%' not followed by two hex digits (RFC 3986 §2.1)", "octet " + std::to_string(i)};
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string form_escape(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

Result<Target> split_target(std::string_view target) {
    std::string_view t = target;
    if (t.size() > 7 && (iequals(t.substr(0, 7), "http://") || (t.size() > 8 && iequals(t.substr(0, 8), "https://")))) {
        const auto scheme_end = t.find("//") + 2;
        const auto slash = t.find('/', scheme_end);
        t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
    }
    if (t.empty() || t.front() != '/') return Error{"not an origin-form target (RFC 9112 §3.2.1)", std::string(target)};
    const auto q = t.find('?');
    const std::string_view raw_path = t.substr(0, q);
    auto path = percent_decode(raw_path, false);
    if (!path) return Error{path.error().what, "path " + path.error().where};
    if (path->find('\0') != std::string::npos) return Error{"a NUL in the path", std::string(target)};
    // Dot segments (RFC 3986 §3.3) are refused rather than resolved: no page of ours has them.
    std::size_t p = 1;
    while (p <= path->size()) {
        std::size_t e = path->find('/', p);
        if (e == std::string::npos) e = path->size();
        const std::string_view seg = std::string_view(*path).substr(p, e - p);
        if (seg == "." || seg == "..") return Error{"a '.' or '..' segment in the path (RFC 3986 §3.3)", std::string(target)};
        p = e + 1;
    }
    Target out;
    out.path = std::move(*path);
    if (q != std::string_view::npos) out.query = std::string(t.substr(q + 1));
    return out;
}

Result<FormFields> parse_form(std::string_view body) {
    FormFields out;
    std::size_t p = 0;
    while (p < body.size()) {
        std::size_t e = body.find('&', p);
        if (e == std::string_view::npos) e = body.size();
        const std::string_view pair = body.substr(p, e - p);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            auto name = percent_decode(pair.substr(0, eq), true);
            if (!name) return Error{name.error().what, "form field at octet " + std::to_string(p)};
            auto value = percent_decode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
            if (!value) return Error{value.error().what, "form field '" + *name + "'"};
            out.emplace_back(std::move(*name), std::move(*value));
        }
        p = e + 1;
    }
    return out;
}

std::string encode_form(const FormFields& fields) {
    std::string out;
    for (const auto& [n, v] : fields) {
        if (!out.empty()) out += '&';
        out += form_escape(n) + "=" + form_escape(v);
    }
    return out;
}

std::optional<std::string> form_value(const FormFields& f, std::string_view name) {
    for (const auto& [n, v] : f) {
        if (n == name) return v;
    }
    return std::nullopt;
}

std::optional<std::string> cookie_value(std::string_view header, std::string_view name) {
    std::size_t p = 0;
    while (p < header.size()) {
        std::size_t e = header.find(';', p);
        if (e == std::string_view::npos) e = header.size();
        std::string_view pair = header.substr(p, e - p);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            std::string_view v = pair.substr(eq + 1);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            return std::string(v);
        }
        p = e + 1;
    }
    return std::nullopt;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace postino::http
