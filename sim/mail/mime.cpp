// mime.cpp — the strict MIME structure parser (see mime.hpp).
#include "mail/mime.hpp"

#include <algorithm>
#include <cstring>

#include "mail/chars.hpp"
#include "mail/error.hpp"
#include "mail/lines.hpp"

namespace postino::mail {
namespace {

std::size_t count_lines(std::string_view s) {
    const auto n = static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
    return n + (!s.empty() && s.back() != '\n' ? 1 : 0);
}

class MimeParser {
public:
    MimeParser(const std::string& raw, const ParseOptions& opt) : raw_(raw), opt_(opt) {}

    // Parses the entity in raw[begin, end); `digest` says the enclosing
    // multipart is a digest (RFC 2046 §5.1.5 default type). Paths are
    // assigned afterwards by number().
    Status entity(std::size_t begin, std::size_t end, Part& p, std::size_t depth, bool digest) {
        if (depth > kMaxMimeDepth) return make_error(Errc::nesting_too_deep, begin, "MIME nesting too deep (Postino bound)");
        if (++parts_ > kMaxMimeParts) return make_error(Errc::too_many_parts, begin, "too many MIME parts (Postino bound)");
        p.depth = depth;
        const std::string_view view = std::string_view(raw_).substr(begin, end - begin);
        auto sec = parse_header_section(view, opt_, begin);
        if (!sec.ok()) return sec.error();
        p.used |= sec->used;
        p.fields = std::move(sec->header);
        p.whole = {begin, end - begin};
        p.header = {begin, sec->consumed - sec->separator};
        p.separator = {begin + sec->consumed - sec->separator, sec->separator};
        p.body = {begin + sec->consumed, end - begin - sec->consumed};

        if (Status s = content_type(p, begin, digest); !s.ok()) return s;
        if (Status s = transfer_encoding(p, begin); !s.ok()) return s;
        p.kind = p.type.is_multipart() ? PartKind::multipart : p.type.is_message() ? PartKind::message : PartKind::leaf;
        if (p.kind != PartKind::leaf && p.encoding != TransferEncoding::seven_bit &&
            p.encoding != TransferEncoding::eight_bit && p.encoding != TransferEncoding::binary)
            return make_error(Errc::composite_encoding, field_offset(p, "Content-Transfer-Encoding"),
                              "a multipart or message/rfc822 part must be 7bit, 8bit or binary (RFC 2045 §6.4)");
        const std::string_view body = std::string_view(raw_).substr(p.body.offset, p.body.size);
        switch (p.kind) {
            case PartKind::leaf: {
                LineStats st;
                if (Status s = check_lines(body, p.body.offset, domain(p.encoding), opt_.allow, st); !s.ok()) return s;
                p.used |= st.used;
                p.body_lines = st.lines;
                p.body_8bit = st.has_8bit;
                return {};
            }
            case PartKind::message: {
                p.body_lines = count_lines(body);
                p.body_8bit = has_8bit(body);
                Part& inner = p.children.emplace_back();
                return entity(p.body.offset, p.body.end(), inner, depth + 1, false);
            }
            case PartKind::multipart:
                p.body_lines = count_lines(body);
                p.body_8bit = has_8bit(body);
                return multipart(p, depth);
        }
        return {};
    }

    // IMAP numbering (RFC 3501 §6.4.5): `prefix` is what this part's
    // children are numbered under.
    static void number(Part& p, const std::string& path, const std::string& prefix) {
        p.path = path;
        auto child = [](const std::string& pre, std::size_t i) {
            return pre.empty() ? std::to_string(i + 1) : pre + "." + std::to_string(i + 1);
        };
        if (p.kind == PartKind::multipart) {
            for (std::size_t i = 0; i < p.children.size(); ++i) number(p.children[i], child(prefix, i), child(prefix, i));
        } else if (p.kind == PartKind::message && !p.children.empty()) {
            Part& inner = p.children[0];
            if (inner.kind == PartKind::multipart) number(inner, path + ".TEXT", path);
            else number(inner, path + ".1", path + ".1");
        }
    }

private:
    static LineDomain domain(TransferEncoding e) {
        switch (e) {
            case TransferEncoding::binary: return LineDomain::binary;
            case TransferEncoding::eight_bit:
            case TransferEncoding::unknown: return LineDomain::eight_bit;
            default: return LineDomain::seven_bit;
        }
    }

    static std::size_t field_offset(const Part& p, std::string_view name) {
        std::size_t off = p.header.offset;
        for (const auto& f : p.fields.fields) {
            if (f.is(name)) return off;
            off += f.raw().size();
        }
        return p.header.offset;
    }

    Status content_type(Part& p, std::size_t begin, bool digest) {
        const auto all = p.fields.find_all("Content-Type");
        if (all.size() > 1)
            return make_error(Errc::duplicate_field, begin, "more than one Content-Type field (RFC 2045 §5)");
        if (all.empty()) {
            p.type = digest ? ContentType::default_digest() : ContentType::default_text();
            p.type_defaulted = true;
            return {};
        }
        auto ct = parse_content_type(all[0]->value());
        Status bad;
        if (ct.ok()) {
            p.type = std::move(*ct);
            if (p.type.is_multipart()) {
                const MimeParameter* b = p.type.param("boundary");
                if (b == nullptr)
                    bad = make_error(Errc::missing_boundary, field_offset(p, "Content-Type"),
                                     "a multipart needs a boundary parameter (RFC 2046 §5.1.1)");
                else if (!is_valid_boundary(b->value))
                    bad = make_error(Errc::boundary_invalid, field_offset(p, "Content-Type"),
                                     "a boundary is 1-70 bchars, not ending in a space (RFC 2046 §5.1.1)");
                else
                    p.boundary = b->value;
            }
        } else {
            bad = make_error(error_code(ct.error()).value_or(Errc::content_type_syntax), field_offset(p, "Content-Type"),
                             ct.error().what);
        }
        if (bad.ok()) return {};
        if (!opt_.allows(Leniency::invalid_content_type)) return bad;
        p.used.add(Leniency::invalid_content_type);
        p.type = ContentType::default_text();
        p.boundary.clear();
        return {};
    }

    Status transfer_encoding(Part& p, std::size_t begin) {
        const auto all = p.fields.find_all("Content-Transfer-Encoding");
        if (all.size() > 1)
            return make_error(Errc::duplicate_field, begin, "more than one Content-Transfer-Encoding field (RFC 2045 §6)");
        if (all.empty()) return {};
        const std::string v = all[0]->value();
        auto e = parse_transfer_encoding(v);
        if (e.ok()) {
            p.encoding = *e;
            p.encoding_name = std::string(to_string(*e));
            return {};
        }
        if (!opt_.allows(Leniency::unknown_transfer_encoding))
            return make_error(Errc::unknown_transfer_encoding, field_offset(p, "Content-Transfer-Encoding"),
                              e.error().what.substr(e.error().what.find(':') + 2));
        // RFC 2045 §6.4: treat it as application/octet-stream.
        p.used.add(Leniency::unknown_transfer_encoding);
        p.encoding = TransferEncoding::unknown;
        p.encoding_name = chars::to_lower(chars::trim_wsp(v));
        p.type = ContentType{};
        p.type.type = "application";
        p.type.subtype = "octet-stream";
        p.boundary.clear();
        return {};
    }

    struct Delim {
        std::size_t start = 0;     // where the delimiter span starts (its leading CRLF)
        std::size_t line_end = 0;  // just after its line break (or the body end)
        bool close = false;
    };

    // Finds the next delimiter line of `dash` in raw[from, end); `body_begin`
    // is where a delimiter may start without a line break before it.
    Result<std::optional<Delim>> next_delimiter(std::string_view dash, std::size_t from, std::size_t body_begin,
                                                std::size_t end, Part& p) {
        const char* base = raw_.data();
        std::size_t pos = from;
        bool try_start = from == body_begin;
        while (true) {
            std::size_t line;  // offset of the "--"
            if (try_start) {
                try_start = false;
                if (end - pos < dash.size() || std::memcmp(base + pos, dash.data(), dash.size()) != 0) continue;
                line = pos;
            } else {
                // The LF before the "--" must lie in [from, end): the line
                // break of the previous delimiter is not shared.
                const void* hit = search(base, pos, end, dash);
                if (hit == nullptr) return std::optional<Delim>{};
                line = static_cast<std::size_t>(static_cast<const char*>(hit) - base) + 1;
            }
            // What follows the boundary decides whether this is a delimiter.
            std::size_t k = line + dash.size();
            Delim d;
            if (k + 2 <= end && raw_[k] == '-' && raw_[k + 1] == '-') {
                d.close = true;
                k += 2;
            }
            while (k < end && chars::is_wsp(raw_[k])) ++k;
            bool ok = false;
            if (k == end) {
                ok = d.close;
                d.line_end = end;
            } else if (raw_[k] == '\r' && k + 1 < end && raw_[k + 1] == '\n') {
                ok = true;
                d.line_end = k + 2;
            } else if (raw_[k] == '\n') {
                if (!opt_.allows(Leniency::bare_lf))
                    return make_error(Errc::bare_lf, k, "LF without CR before it (RFC 5322 §2.3)");
                p.used.add(Leniency::bare_lf);
                ok = true;
                d.line_end = k + 1;
            }
            if (!ok) {
                pos = line;
                continue;
            }
            if (line == body_begin) {
                d.start = line;
            } else if (line >= from + 2 && raw_[line - 2] == '\r') {
                d.start = line - 2;
            } else {
                if (!opt_.allows(Leniency::bare_lf))
                    return make_error(Errc::bare_lf, line - 1, "LF without CR before it (RFC 5322 §2.3)");
                p.used.add(Leniency::bare_lf);
                d.start = line - 1;
            }
            return std::optional<Delim>{d};
        }
    }

    // memmem for "\n" + dash in raw[from, end); returns a pointer to the '\n'.
    static const void* search(const char* base, std::size_t from, std::size_t end, std::string_view dash) {
        while (from < end) {
            const void* nl = std::memchr(base + from, '\n', end - from);
            if (nl == nullptr) return nullptr;
            const auto at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
            // A candidate needs the boundary right after the LF.
            if (end - at - 1 >= dash.size() && std::memcmp(base + at + 1, dash.data(), dash.size()) == 0) return nl;
            from = at + 1;
        }
        return nullptr;
    }

    Status multipart(Part& p, std::size_t depth) {
        const std::string dash = "--" + p.boundary;
        const std::size_t b = p.body.offset;
        const std::size_t e = p.body.end();
        const LineDomain dom = domain(p.encoding);
        auto first = next_delimiter(dash, b, b, e, p);
        if (!first.ok()) return first.error();
        if (!*first)
            return make_error(Errc::no_first_boundary, b, "no \"--" + p.boundary + "\" delimiter line in the multipart body (RFC 2046 §5.1.1)");
        Delim d = **first;
        if (d.close)
            return make_error(Errc::no_first_boundary, d.start, "a multipart has at least one body part (RFC 2046 §5.1.1)");
        p.preamble = {b, d.start - b};
        LineStats st;
        if (Status s = check_lines(std::string_view(raw_).substr(b, d.start - b), b, dom, opt_.allow, st); !s.ok()) return s;
        const bool digest = p.type.subtype == "digest";
        while (true) {
            p.delimiters.push_back({d.start, d.line_end - d.start});
            const std::size_t part_begin = d.line_end;
            auto next = next_delimiter(dash, part_begin, b, e, p);
            if (!next.ok()) return next.error();
            std::size_t part_end;
            if (!*next) {
                if (!opt_.allows(Leniency::missing_close_delimiter))
                    return make_error(Errc::unterminated_multipart, e,
                                      "the multipart ends without \"--" + p.boundary + "--\" (RFC 2046 §5.1.1)");
                p.used.add(Leniency::missing_close_delimiter);
                part_end = e;
            } else {
                part_end = (**next).start;
            }
            Part& child = p.children.emplace_back();
            if (Status s = entity(part_begin, part_end, child, depth + 1, digest); !s.ok()) return s;
            if (!*next) {
                p.close_delimiter = {e, 0};
                p.epilogue = {e, 0};
                break;
            }
            d = **next;
            if (d.close) {
                p.close_delimiter = {d.start, d.line_end - d.start};
                p.epilogue = {d.line_end, e - d.line_end};
                if (Status s = check_lines(std::string_view(raw_).substr(d.line_end, e - d.line_end), d.line_end, dom,
                                           opt_.allow, st);
                    !s.ok())
                    return s;
                break;
            }
        }
        p.used |= st.used;
        return {};
    }

    const std::string& raw_;
    const ParseOptions& opt_;
    std::size_t parts_ = 0;
};

void collect_used(const Part& p, Leniencies& acc) {
    acc |= p.used;
    for (const auto& c : p.children) collect_used(c, acc);
}

void rebuild_part(const MimeMessage& m, const Part& p, std::string& out) {
    out += p.fields.serialize();
    out += m.bytes(p.separator);
    switch (p.kind) {
        case PartKind::leaf: out += m.bytes(p.body); break;
        case PartKind::message: rebuild_part(m, p.children.at(0), out); break;
        case PartKind::multipart:
            out += m.bytes(p.preamble);
            for (std::size_t i = 0; i < p.children.size(); ++i) {
                out += m.bytes(p.delimiters.at(i));
                rebuild_part(m, p.children[i], out);
            }
            out += m.bytes(p.close_delimiter);
            out += m.bytes(p.epilogue);
            break;
    }
}

const Part* find_in(const Part& p, std::string_view path) {
    if (p.path == path) return &p;
    for (const auto& c : p.children)
        if (const Part* f = find_in(c, path)) return f;
    return nullptr;
}

}  // namespace

const Part* MimeMessage::find(std::string_view path) const { return find_in(root, path); }

Result<MimeMessage> parse_mime(std::string raw, const ParseOptions& options) {
    MimeMessage m;
    m.raw = std::move(raw);
    MimeParser parser(m.raw, options);
    if (Status s = parser.entity(0, m.raw.size(), m.root, 0, false); !s.ok()) return s.error();
    MimeParser::number(m.root, m.root.kind == PartKind::multipart ? "TEXT" : "1",
                       m.root.kind == PartKind::multipart ? "" : "1");
    collect_used(m.root, m.used);
    return m;
}

std::string rebuild(const MimeMessage& m) {
    std::string out;
    out.reserve(m.raw.size());
    rebuild_part(m, m.root, out);
    return out;
}

Result<DecodedBody> decode_body(const MimeMessage& m, const Part& p, const ParseOptions& options) {
    DecodedBody d;
    const std::string_view body = m.bytes(p.body);
    if (p.kind == PartKind::leaf && p.encoding == TransferEncoding::base64) {
        auto r = base64_decode_mime(body, options.allow);
        if (!r.ok()) return shift_error(r.error(), p.body.offset);
        d.bytes = std::move(r->bytes);
        d.base64 = r->report;
        d.used = r->report.used;
        return d;
    }
    if (p.kind == PartKind::leaf && p.encoding == TransferEncoding::quoted_printable) {
        auto r = qp_decode(body, options.allow);
        if (!r.ok()) return shift_error(r.error(), p.body.offset);
        d.bytes = std::move(r->bytes);
        d.qp = r->report;
        d.used = r->report.used;
        return d;
    }
    d.bytes = std::string(body);
    return d;
}

}  // namespace postino::mail
