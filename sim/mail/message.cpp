// message.cpp — RFC 5322 message parse/serialize and 7/8-bit classification.
#include "mail/message.hpp"

#include "mail/chars.hpp"
#include "mail/lines.hpp"

namespace postino::mail {

Result<Message> Message::parse(std::string_view bytes, const ParseOptions& options) {
    auto sec = parse_header_section(bytes, options);
    if (!sec.ok()) return sec.error();
    Message m;
    m.header = std::move(sec->header);
    m.used = sec->used;
    m.separator = std::string(bytes.substr(sec->consumed - sec->separator, sec->separator));
    const std::string_view body = bytes.substr(sec->consumed);
    const auto cte = m.header.get("Content-Transfer-Encoding");
    const bool binary = cte && chars::iequals(*cte, "binary");
    LineStats st;
    if (Status s = check_lines(body, sec->consumed, binary ? LineDomain::binary : LineDomain::eight_bit,
                               options.allow, st);
        !s.ok())
        return s.error();
    m.used |= st.used;
    m.body = std::string(body);
    return m;
}

std::string Message::serialize() const {
    std::string out;
    std::size_t n = separator.size() + body.size();
    for (const auto& f : header.fields) n += f.raw().size();
    out.reserve(n);
    out += header.serialize();
    out += separator;
    out += body;
    return out;
}

MessageClass classify(std::string_view bytes) {
    LineStats st;
    if (!check_lines(bytes, 0, LineDomain::eight_bit, Leniencies{}, st).ok()) return MessageClass::binary;
    return st.has_8bit ? MessageClass::eight_bit : MessageClass::seven_bit;
}

std::string_view to_string(MessageClass c) {
    switch (c) {
        case MessageClass::seven_bit: return "7bit";
        case MessageClass::eight_bit: return "8bit";
        case MessageClass::binary: return "binary";
    }
    return "binary";
}

}  // namespace postino::mail
