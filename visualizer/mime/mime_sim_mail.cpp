// mime_sim_mail.cpp — analyze_message() on top of Postino's MIME library
// (sim/mail/mime.hpp): the same parser the agents use, so the inspector shows
// the structure the simulated servers saw.
#include "mail/mime.hpp"
#include "mime/mime_info.hpp"
#include "model/text_util.hpp"

namespace postino::viz {
namespace {

void walk(const mail::MimeMessage& msg, const mail::Part& p, MimeInfo& info) {
    MimeNode n;
    n.path = p.path;
    n.depth = static_cast<int>(p.depth);
    n.type = p.type.mime_type();
    n.encoding = p.encoding_name;
    n.filename = p.type.param_value("name");
    n.headers = split_header(msg.bytes(p.header)).fields;
    for (const auto& [k, v] : n.headers) {
        if (n.filename.empty() && (k == "Content-Disposition" || k == "content-disposition")) {
            const auto at = v.find("filename=");
            if (at != std::string::npos) {
                std::string f = v.substr(at + 9);
                if (!f.empty() && f.front() == '"') f = f.substr(1, f.find('"', 1) - 1);
                n.filename = f.substr(0, f.find(';'));
            }
        }
    }
    n.leaf = p.kind == mail::PartKind::leaf;
    n.body = std::string(msg.bytes(p.body));
    if (n.leaf) {
        auto d = mail::decode_body(msg, p, mail::ParseOptions::lenient());
        if (d) n.decoded = d->bytes;
        else n.decode_error = d.error().message();
    }
    const bool dsn = p.type.type == "message" && p.type.subtype == "delivery-status";
    const std::string decoded = n.decoded.empty() ? n.body : n.decoded;
    info.parts.push_back(std::move(n));
    if (dsn) info.dsn_blocks = header_blocks(decoded);
    for (const auto& c : p.children) walk(msg, c, info);
}

}  // namespace

MimeInfo analyze_message(std::string_view raw) {
    MimeInfo info;
    info.available = true;
    info.backend = "sim/mail";
    auto parsed = mail::parse_mime(std::string(raw), mail::ParseOptions::lenient());
    if (!parsed) {
        info.error = parsed.error().message();
        return info;
    }
    walk(parsed.value(), parsed->root, info);
    return info;
}

}  // namespace postino::viz
