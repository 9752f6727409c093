// builtin_delivery.cpp — the builtin world's delivery faults
// (builtin_delivery.hpp; RFC 5322 §2.1, §3.5, §3.6, RFC 2045 §6.7–6.8, RFC 2047 §2).
#include "conformance/builtin_delivery.hpp"

#include <vector>

#include "mail/encoded_word.hpp"
#include "mail/mailbox.hpp"

namespace postino::conformance {
namespace {

// The lines of `text`, each without its CRLF.
std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from < text.size()) {
        const std::size_t crlf = text.find("\r\n", from);
        if (crlf == std::string_view::npos) {
            out.emplace_back(text.substr(from));
            break;
        }
        out.emplace_back(text.substr(from, crlf - from));
        from = crlf + 2;
    }
    return out;
}

bool is_field(std::string_view line, std::string_view name) {
    return line.size() > name.size() && line[name.size()] == ':' &&
           mail::ascii_lower(line.substr(0, name.size())) == mail::ascii_lower(name);
}

}  // namespace

std::string apply_delivery_faults(std::string_view content, const DeliveryFaults& f) {
    if (!f.any()) return std::string(content);
    const std::size_t end = content.find("\r\n\r\n");
    const std::string_view head = end == std::string_view::npos ? content : content.substr(0, end);
    const std::string_view body = end == std::string_view::npos ? std::string_view() : content.substr(end + 4);

    std::string out;
    if (f.second_date) out += "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n";  // the delivery's own, a second one
    const std::vector<std::string> lines = split_lines(head);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (f.decode_subject && is_field(lines[i], "Subject")) {
            std::string value = lines[i].substr(8);
            while (i + 1 < lines.size() && !lines[i + 1].empty() && (lines[i + 1][0] == ' ' || lines[i + 1][0] == '\t')) {
                value += lines[++i];  // unfold (RFC 5322 §2.2.3) before decoding
            }
            out += "Subject:" + mail::decode_unstructured(value).text + "\r\n";
            continue;
        }
        out += lines[i] + "\r\n";
    }
    if (end == std::string_view::npos) return out;
    out += "\r\n";
    for (const std::string& line : split_lines(body)) {
        if (f.drop_blank_body_lines && line.empty()) continue;
        std::string_view rest = line;
        while (f.wrap_long_lines && rest.size() > kFaultWrapColumn) {
            out.append(rest.substr(0, kFaultWrapColumn));
            out += "\r\n";
            rest.remove_prefix(kFaultWrapColumn);
        }
        out.append(rest);
        out += "\r\n";
    }
    return out;
}

}  // namespace postino::conformance
