// header.cpp — header fields, folding, and the strict incremental header
// section parser (RFC 5322 §2.1–§2.2, §3.6).
#include "mail/header.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "core/octets.hpp"
#include "mail/chars.hpp"
#include "mail/encoded_word.hpp"
#include "mail/error.hpp"

namespace postino::mail {

HeaderField::HeaderField(std::string raw, std::size_t name_len, std::size_t value_end)
    : raw_(std::move(raw)), name_len_(name_len), value_end_(value_end) {}

std::string_view HeaderField::raw_value() const {
    // The colon may follow obsolete whitespace after the name (RFC 5322 §4.5).
    const std::size_t colon = raw_.find(':', name_len_);
    const std::size_t start = colon == std::string::npos ? value_end_ : colon + 1;
    return std::string_view(raw_).substr(start, value_end_ - start);
}

std::string unfold(std::string_view raw_value) {
    std::string out;
    out.reserve(raw_value.size());
    for (char c : raw_value)
        if (c != '\r' && c != '\n') out.push_back(c);
    return out;
}

std::string HeaderField::value() const { return std::string(chars::trim_wsp(unfold(raw_value()))); }

std::string HeaderField::text() const { return decode_unstructured(value()).text; }

bool HeaderField::is(std::string_view n) const { return chars::iequals(name(), n); }

Result<std::string> fold_field(std::string_view name, std::string_view value, std::size_t width) {
    for (char c : name)
        if (!chars::is(c, chars::kFtext))
            return make_error(Errc::field_name_invalid, 0, "field names are printable ASCII without ':' (RFC 5322 §2.2)");
    if (name.empty()) return make_error(Errc::field_name_invalid, 0, "empty field name (RFC 5322 §2.2)");
    if (const std::size_t i = octets::find_first(octets::Find::NonText, value); i != value.size())
        return make_error(Errc::fold_impossible, i, "field bodies hold printable ASCII and WSP only (RFC 5322 §2.2)");
    // A field that fits on one line (most of them) is "Name: value" as is.
    std::size_t lead = 0;
    while (lead < value.size() && chars::is_wsp(value[lead])) ++lead;
    if (name.size() + 2 + (value.size() - lead) <= width) {
        std::string line;
        line.reserve(name.size() + 4 + value.size() - lead);
        line.append(name).append(": ").append(value.substr(lead)).append("\r\n");
        return line;
    }
    std::string out;
    // Room for the usual case: a fold (CRLF and a WSP) every twenty octets or more.
    out.reserve(name.size() + 4 + value.size() + 3 * (value.size() / 20 + 1));
    out.append(name);
    out += ':';
    std::size_t line_start = 0;
    // Units: a run of WSP followed by a word; a fold goes before a unit.
    std::size_t i = 0;
    bool first = true;
    while (i < value.size() || first) {
        std::size_t j = i;
        while (j < value.size() && chars::is_wsp(value[j])) ++j;
        while (j < value.size() && !chars::is_wsp(value[j])) ++j;
        std::string_view unit = value.substr(i, j - i);
        if (first) {
            // The first unit goes right after "Name:" with one space, or on
            // the next line when that is what keeps the line short.
            unit = chars::trim_wsp(unit);
            if (name.size() + 2 + unit.size() > width && unit.size() + 1 <= width) {
                out += "\r\n";
                line_start = out.size();
            }
            out += ' ';
            first = false;
        } else {
            const bool has_word = !chars::trim_wsp(unit).empty();
            if (has_word && out.size() - line_start + unit.size() > width && out.size() > line_start + name.size() + 1) {
                // Fold before the last WSP of the run, so the new line starts
                // with one WSP and the word.
                std::size_t ws = 0;
                while (ws < unit.size() && chars::is_wsp(unit[ws])) ++ws;
                const std::size_t used = out.size() - line_start;
                const std::size_t room = used < width ? width - used : 0;
                const std::size_t keep = ws > 1 ? std::min(ws - 1, room) : 0;
                out.append(unit.substr(0, keep));
                unit.remove_prefix(keep);
                out += "\r\n";
                line_start = out.size();
                if (!chars::is_wsp(unit.front())) out += ' ';
            }
        }
        out.append(unit);
        i = j;
        if (out.size() - line_start > kMaxLineOctets)
            return make_error(Errc::fold_impossible, i, "no whitespace to fold at within 998 octets (RFC 5322 §2.1.1)");
    }
    out += "\r\n";
    return out;
}

Result<HeaderField> HeaderField::make(std::string_view name, std::string_view value) {
    // RFC 2047 §2: a line holding an encoded word is at most 76 characters.
    const bool encoded = value.find("=?") != std::string_view::npos;
    auto folded = fold_field(name, chars::trim_wsp(value), encoded ? kMaxEncodedLineChars : kFoldLineOctets);
    if (!folded.ok()) return folded.error();
    const std::size_t n = folded->size();
    return HeaderField(std::move(*folded), name.size(), n - 2);
}

Result<HeaderField> HeaderField::make_text(std::string_view name, std::string_view utf8) {
    return make(name, encode_unstructured(utf8));
}

const HeaderField* Header::find(std::string_view name) const {
    for (const auto& f : fields)
        if (f.is(name)) return &f;
    return nullptr;
}

std::vector<const HeaderField*> Header::find_all(std::string_view name) const {
    std::vector<const HeaderField*> out;
    for (const auto& f : fields)
        if (f.is(name)) out.push_back(&f);
    return out;
}

std::size_t Header::count(std::string_view name) const {
    std::size_t n = 0;
    for (const auto& f : fields) n += f.is(name) ? 1 : 0;
    return n;
}

std::optional<std::string> Header::get(std::string_view name) const {
    const HeaderField* f = find(name);
    if (f == nullptr) return std::nullopt;
    return f->value();
}

std::size_t Header::remove_all(std::string_view name) {
    const std::size_t before = fields.size();
    std::erase_if(fields, [&](const HeaderField& f) { return f.is(name); });
    return before - fields.size();
}

std::string Header::serialize() const {
    std::string out;
    for (const auto& f : fields) out += f.raw();
    return out;
}

Status check_field_counts(const Header& h) {
    for (std::string_view name : {"Date", "From"}) {
        if (h.count(name) != 1)
            return make_error(h.count(name) == 0 ? Errc::missing_field : Errc::duplicate_field, 0,
                              std::string(name) + " must occur exactly once (RFC 5322 §3.6)");
    }
    for (std::string_view name : {"Sender", "Reply-To", "To", "Cc", "Bcc", "Message-ID", "In-Reply-To",
                                  "References", "Subject"}) {
        if (h.count(name) > 1)
            return make_error(Errc::duplicate_field, 0, std::string(name) + " may occur at most once (RFC 5322 §3.6)");
    }
    return {};
}

namespace {

// The scanner behind HeaderParser and parse_header_section. It parses whole
// fields from buf[pos...]; a field is complete once the first octet of the
// next line is known not to be WSP. On need_more, pos is left at the start
// of the unfinished field so the next call re-reads it.
class Scanner {
public:
    Scanner(std::string_view buf, bool at_end, const ParseOptions& opt, std::size_t base, HeaderSection& sec)
        : buf_(buf), at_end_(at_end), opt_(opt), base_(base), sec_(sec) {}

    HeaderParser::State run(std::size_t& pos, Error& err) {
        using State = HeaderParser::State;
        while (true) {
            if (sec_.header.fields.size() >= kMaxHeaderFields || pos > kMaxHeaderOctets)
                return fail(err, Errc::header_too_large, pos, "header section too large (Postino bound)");
            if (pos == buf_.size()) {
                if (!at_end_) return State::need_more;
                sec_.consumed = pos;
                sec_.separator = 0;
                return State::complete;
            }
            const char c = buf_[pos];
            if (c == '\r' || c == '\n') {
                if (c == '\r') {
                    if (pos + 1 == buf_.size()) {
                        if (!at_end_) return State::need_more;
                        return fail(err, Errc::bare_cr, pos, "CR not followed by LF (RFC 5322 §2.3)");
                    }
                    if (buf_[pos + 1] != '\n') return fail(err, Errc::bare_cr, pos, "CR not followed by LF (RFC 5322 §2.3)");
                    sec_.separator = 2;
                } else {
                    if (!opt_.allows(Leniency::bare_lf))
                        return fail(err, Errc::bare_lf, pos, "LF without CR before it (RFC 5322 §2.3)");
                    sec_.used.add(Leniency::bare_lf);
                    sec_.separator = 1;
                }
                sec_.consumed = pos + sec_.separator;
                return State::complete;
            }
            if (chars::is_wsp(c))
                return fail(err, Errc::continuation_first, pos, "the header starts with a folded line (RFC 5322 §2.2.3)");
            const std::size_t start = pos;
            std::size_t next = 0;
            std::size_t content_end = 0;
            State s = line(start, content_end, next, err);
            if (s != State::complete) return s;
            const std::size_t first_end = content_end;
            std::size_t value_end = content_end;
            while (true) {
                if (next == buf_.size()) {
                    if (!at_end_) return State::need_more;
                    break;
                }
                if (!chars::is_wsp(buf_[next])) break;
                if (next > kMaxHeaderOctets)
                    return fail(err, Errc::header_too_large, next, "header section too large (Postino bound)");
                const std::size_t cont = next;
                s = line(cont, content_end, next, err);
                if (s != State::complete) return s;
                bool blank = true;
                for (std::size_t k = cont; k < content_end && blank; ++k) blank = chars::is_wsp(buf_[k]);
                if (blank) {
                    if (!opt_.allows(Leniency::obs_header_syntax))
                        return fail(err, Errc::blank_continuation, cont,
                                    "a folded line holds only whitespace (RFC 5322 §3.2.2; obs-FWS §4.2)");
                    sec_.used.add(Leniency::obs_header_syntax);
                }
                value_end = content_end;
            }
            // Field name: ftext up to ':' on the first line (§2.2, §3.6.8).
            std::size_t k = start;
            while (k < first_end && chars::is(buf_[k], chars::kFtext)) ++k;
            const std::size_t name_end = k;
            if (name_end == start)
                return fail(err, Errc::field_name_invalid, start, "a field must start with its name (RFC 5322 §2.2)");
            while (k < first_end && chars::is_wsp(buf_[k])) ++k;
            if (k == first_end || buf_[k] != ':') {
                if (k < first_end && buf_[k] != ':' && k == name_end)
                    return fail(err, Errc::field_name_invalid, k, "field names are printable ASCII without ':' (RFC 5322 §2.2)");
                return fail(err, Errc::missing_colon, k, "no ':' after the field name (RFC 5322 §2.2)");
            }
            if (k != name_end) {
                if (!opt_.allows(Leniency::obs_header_syntax))
                    return fail(err, Errc::ws_before_colon, name_end, "whitespace before ':' (RFC 5322 §4.5.1 obs-optional)");
                sec_.used.add(Leniency::obs_header_syntax);
            }
            // value_end is where the last line's break starts (or the data ends).
            sec_.header.fields.emplace_back(std::string(buf_.substr(start, next - start)), name_end - start,
                                            value_end - start);
            pos = next;
        }
    }

private:
    HeaderParser::State fail(Error& err, Errc code, std::size_t at, std::string_view what) {
        err = make_error(code, base_ + at, what);
        return HeaderParser::State::error;
    }

    // Reads the line at `start`: content [start, content_end), next line at `next`.
    HeaderParser::State line(std::size_t start, std::size_t& content_end, std::size_t& next, Error& err) {
        using State = HeaderParser::State;
        const void* nl = std::memchr(buf_.data() + start, '\n', buf_.size() - start);
        std::size_t e;
        if (nl == nullptr) {
            if (!at_end_) {
                if (buf_.size() - start > kMaxLineOctets + 1 && !opt_.allows(Leniency::long_lines))
                    return fail(err, Errc::line_too_long, start + kMaxLineOctets, "line longer than 998 octets (RFC 5322 §2.1.1)");
                return State::need_more;
            }
            // XXX RFC 5322 §2.2: a field ends with CRLF; at the end of the
            // input the last one may lack it, which is how a MIME body part
            // without a body looks once the CRLF before the next delimiter
            // is taken off (RFC 2046 §5.1.1).
            e = buf_.size();
            content_end = e;
            next = e;
        } else {
            e = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
            next = e + 1;
            if (e > start && buf_[e - 1] == '\r') {
                content_end = e - 1;
            } else {
                if (!opt_.allows(Leniency::bare_lf))
                    return fail(err, Errc::bare_lf, e, "LF without CR before it (RFC 5322 §2.3)");
                sec_.used.add(Leniency::bare_lf);
                content_end = e;
            }
        }
        if (content_end - start > kMaxLineOctets) {
            if (!opt_.allows(Leniency::long_lines))
                return fail(err, Errc::line_too_long, start + kMaxLineOctets, "line longer than 998 octets (RFC 5322 §2.1.1)");
            sec_.used.add(Leniency::long_lines);
        }
        for (std::size_t k = start; k < content_end; ++k) {
            const auto u = static_cast<unsigned char>(buf_[k]);
            if (u >= 0x20 && u < 0x7f) continue;
            if (u == '\t') continue;
            if (u == '\r') return fail(err, Errc::bare_cr, k, "CR not followed by LF (RFC 5322 §2.3)");
            if (u == 0) return fail(err, Errc::nul_octet, k, "NUL octet in a header field (RFC 5322 §2.2)");
            if (u >= 0x80) {
                if (!opt_.allows(Leniency::eight_bit_headers))
                    return fail(err, Errc::eight_bit_octet, k, "8-bit octet in a header field (RFC 5322 §2.2; RFC 6532 not enabled)");
                sec_.used.add(Leniency::eight_bit_headers);
                continue;
            }
            // Other controls (and DEL) are outside RFC 5322 field bodies.
            return fail(err, Errc::control_char, k, "control character in a header field (RFC 5322 §2.2)");
        }
        return State::complete;
    }

    std::string_view buf_;
    bool at_end_;
    const ParseOptions& opt_;
    std::size_t base_;
    HeaderSection& sec_;
};

}  // namespace

HeaderParser::HeaderParser(ParseOptions options, std::size_t base) : options_(options), base_(base) {}

HeaderParser::State HeaderParser::feed(std::string_view bytes) {
    if (state_ != State::need_more) return state_;
    buffer_.append(bytes);
    Scanner sc(buffer_, false, options_, base_, section_);
    state_ = sc.run(pos_, error_);
    return state_;
}

HeaderParser::State HeaderParser::finish() {
    if (state_ != State::need_more) return state_;
    Scanner sc(buffer_, true, options_, base_, section_);
    state_ = sc.run(pos_, error_);
    return state_;
}

Result<HeaderSection> parse_header_section(std::string_view data, const ParseOptions& options, std::size_t base) {
    HeaderSection sec;
    Error err;
    std::size_t pos = 0;
    Scanner sc(data, true, options, base, sec);
    if (sc.run(pos, err) != HeaderParser::State::complete) return err;
    return sec;
}

}  // namespace postino::mail
