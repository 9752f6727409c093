// builder.cpp — MIME entity serialization with deterministic boundaries.
#include "mail/builder.hpp"

#include <cstdio>

namespace postino::mail {
namespace {

std::string draw_boundary(Rng& rng) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "=_%016llx%08llx", static_cast<unsigned long long>(rng.next_u64()),
                  static_cast<unsigned long long>(rng.next_u64() & 0xffffffffULL));
    return buf;
}

// Serializes `part`'s MIME fields and body into `out`, after `top` fields.
Status emit(const Header* top, const BuiltPart& part, Rng& rng, std::string& out) {
    std::string body;
    ContentType type = part.type;
    if (!part.children.empty()) {
        std::vector<std::string> kids;
        for (const BuiltPart& c : part.children) {
            std::string k;
            if (Status s = emit(nullptr, c, rng, k); !s.ok()) return s;
            kids.push_back(std::move(k));
        }
        std::string boundary;
        bool clash = true;
        while (clash) {
            boundary = draw_boundary(rng);
            clash = false;
            for (const auto& k : kids) clash = clash || k.find("--" + boundary) != std::string::npos;
        }
        type.set_param("boundary", boundary);
        for (const auto& k : kids) {
            body += "--" + boundary + "\r\n";
            body += k;
            body += "\r\n";
        }
        body += "--" + boundary + "--\r\n";
    } else {
        body = part.body;
    }
    if (top != nullptr) out += top->serialize();
    auto ct = HeaderField::make("Content-Type", format_content_type(type));
    if (!ct.ok()) return ct.error();
    out += ct->raw();
    out += part.fields.serialize();
    out += "\r\n";
    out += body;
    return {};
}

}  // namespace

Result<std::string> serialize_part(const BuiltPart& part, Rng& rng) {
    std::string out;
    if (Status s = emit(nullptr, part, rng, out); !s.ok()) return s.error();
    return out;
}

Result<std::string> serialize_message(const Header& top, const BuiltPart& part, Rng& rng) {
    std::string out;
    if (Status s = emit(&top, part, rng, out); !s.ok()) return s.error();
    return out;
}

}  // namespace postino::mail
