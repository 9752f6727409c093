// mime_tree.cpp — flattening a parsed MIME tree into views, and the text
// rendering used by the golden files.
#include "mail/mime_tree.hpp"

#include <cstdio>

#include "core/rng.hpp"
#include "mail/charset.hpp"
#include "mail/chars.hpp"
#include "mail/encoded_word.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

// Lines of a text preview the golden files show at most.
constexpr std::size_t kPreviewLines = 40;

void visit(const MimeMessage& m, const Part& p, const ParseOptions& opt, std::vector<PartView>& out) {
    PartView v;
    v.path = p.path;
    v.depth = p.depth;
    v.kind = p.kind;
    v.mime_type = p.type.mime_type();
    v.params = p.type.params;
    v.type_defaulted = p.type_defaulted;
    v.encoding = p.encoding_name;
    v.size = p.body.size;
    v.lines = p.body_lines;
    v.leniencies = p.used;
    if (const HeaderField* f = p.fields.find("Content-Disposition")) {
        auto cd = parse_content_disposition(f->value());
        if (cd.ok()) v.disposition = std::move(*cd);
    }
    if (p.depth == 0 || p.fields.find("Subject") != nullptr || p.fields.find("From") != nullptr) {
        if (const HeaderField* f = p.fields.find("Subject")) v.subject = f->text();
        if (const HeaderField* f = p.fields.find("From")) v.from = f->text();
    }
    if (p.kind == PartKind::multipart) {
        v.preamble = p.preamble.size;
        v.epilogue = p.epilogue.size;
    }
    if (p.kind == PartKind::leaf) {
        auto d = decode_body(m, p, opt);
        if (d.ok()) {
            v.decoded = std::move(d->bytes);
            v.leniencies |= d->used;
            if (d->base64.ignored_chars > 0)
                v.note = std::to_string(d->base64.ignored_chars) +
                         " characters outside the base64 alphabet ignored (RFC 2045 §6.8)";
            if (d->base64.long_lines > 0)
                v.note += (v.note.empty() ? "" : "; ") + std::to_string(d->base64.long_lines) +
                          " base64 lines over 76 characters";
            if (d->qp.trailing_ws_removed > 0)
                v.note += (v.note.empty() ? "" : "; ") + std::to_string(d->qp.trailing_ws_removed) +
                          " lines had trailing whitespace deleted (RFC 2045 §6.7 rule 3)";
        } else {
            v.decode_error = d.error();
        }
    } else {
        v.decoded = std::string(m.bytes(p.body));
    }
    out.push_back(std::move(v));
    for (const Part& c : p.children) visit(m, c, opt, out);
}

std::string params_text(const MimeParameters& ps) {
    std::string out;
    for (const auto& p : ps) {
        out += "; " + p.name + (p.extended ? "*" : "") + "=\"" + p.value + "\"";
        if (!p.charset.empty()) out += " (" + p.charset + (p.language.empty() ? "" : " " + p.language) + ")";
    }
    return out;
}

// Control characters shown as \xNN so a golden file stays one line per line.
std::string printable(std::string_view s) {
    std::string out;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t') {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", u);
            out += buf;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::vector<PartView> mime_tree(const MimeMessage& m, const ParseOptions& options) {
    std::vector<PartView> out;
    visit(m, m.root, options, out);
    return out;
}

std::string render_mime_tree(const MimeMessage& m, const ParseOptions& options) {
    std::string out;
    for (const PartView& v : mime_tree(m, options)) {
        const std::string ind(2 * v.depth, ' ');
        out += ind + v.path + " " + v.mime_type + params_text(v.params) + (v.type_defaulted ? " (default)" : "") + "\n";
        const std::string in2 = ind + "  ";
        if (v.subject) out += in2 + "subject: " + printable(*v.subject) + "\n";
        if (v.from) out += in2 + "from: " + printable(*v.from) + "\n";
        if (v.disposition) out += in2 + "disposition: " + v.disposition->type + params_text(v.disposition->params) + "\n";
        out += in2 + v.encoding + ", " + std::to_string(v.size) + " octets, " + std::to_string(v.lines) + " lines";
        if (v.kind == PartKind::multipart)
            out += ", preamble " + std::to_string(v.preamble) + ", epilogue " + std::to_string(v.epilogue);
        out += "\n";
        if (!v.leniencies.empty()) out += in2 + "lenient: " + v.leniencies.names() + "\n";
        if (!v.note.empty()) out += in2 + "note: " + v.note + "\n";
        if (v.kind != PartKind::leaf) continue;
        if (v.decode_error) {
            out += in2 + "decode error: " + v.decode_error->message() + "\n";
            continue;
        }
        const bool text = v.mime_type.rfind("text/", 0) == 0 || v.mime_type == "message/delivery-status";
        const MimeParameter* cs_param = find_parameter(v.params, "charset");
        const auto cs = charset_from_name(cs_param ? cs_param->value : "us-ascii");
        if (text && cs) {
            const Utf8Text u = to_utf8(v.decoded, *cs);
            out += in2 + "decoded " + std::to_string(v.decoded.size()) + " octets, text in " +
                   std::string(charset_name(*cs)) + (u.replaced ? " (invalid octets replaced)" : "") + ":\n";
            std::size_t shown = 0;
            std::size_t i = 0;
            while (i < u.text.size() && shown < kPreviewLines) {
                std::size_t e = u.text.find('\n', i);
                if (e == std::string::npos) e = u.text.size();
                std::string_view line = std::string_view(u.text).substr(i, e - i);
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                out += in2 + "| " + printable(line) + "\n";
                ++shown;
                i = e + 1;
            }
            if (i < u.text.size()) out += in2 + "| ...\n";
        } else {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(v.decoded)));
            out += in2 + "decoded " + std::to_string(v.decoded.size()) + " octets, fnv1a64 " + buf + ", starts";
            for (std::size_t k = 0; k < v.decoded.size() && k < 16; ++k) {
                std::snprintf(buf, sizeof buf, " %02x", static_cast<unsigned char>(v.decoded[k]));
                out += buf;
            }
            out += "\n";
        }
    }
    return out;
}

}  // namespace postino::mail
