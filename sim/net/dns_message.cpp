// dns_message.cpp — RFC 1035 §4.1 encoder and bounded decoder.
#include "net/dns_message.hpp"

namespace postino::net::dns {

const char* to_string(RrType t) {
    switch (t) {
        case RrType::A: return "A";
        case RrType::MX: return "MX";
    }
    return "?";
}

const char* to_string(Rcode r) {
    switch (r) {
        case Rcode::NoError: return "NOERROR";
        case Rcode::FormErr: return "FORMERR";
        case Rcode::ServFail: return "SERVFAIL";
        case Rcode::NxDomain: return "NXDOMAIN";
        case Rcode::NotImp: return "NOTIMP";
        case Rcode::Refused: return "REFUSED";
    }
    return "?";
}

std::string Record::rdata_text() const {
    if (type == RrType::A) return a.str();
    return std::to_string(preference) + " " + exchange;
}

std::string canonical_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::string out(name);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string check_name(std::string_view name) {
    if (name.size() > kMaxNameOctets - 2) return "name longer than 253 characters (RFC 1035 §2.3.4)";
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t dot = name.find('.', start);
        const std::size_t end = dot == std::string_view::npos ? name.size() : dot;
        const std::size_t len = end - start;
        if (len == 0) return "empty label in \"" + std::string(name) + "\"";
        if (len > kMaxLabelOctets) return "label longer than 63 octets (RFC 1035 §2.3.4)";
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return {};
}

namespace {

void put16(std::string& out, std::uint16_t v) {
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
}
void put_name(std::string& out, std::string_view name) {
    name = name.empty() || name.back() != '.' ? name : name.substr(0, name.size() - 1);
    std::size_t start = 0;
    while (!name.empty() && start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) dot = name.size();
        const std::size_t len = std::min(dot - start, kMaxLabelOctets);
        out.push_back(static_cast<char>(len));
        out.append(name.substr(start, len));
        start = dot + 1;
    }
    out.push_back('\0');
}

struct Reader {
    std::string_view w;
    std::size_t pos = 0;
    Error err(const std::string& what) const { return Error{what, "DNS message offset " + std::to_string(pos)}; }
    bool need(std::size_t n) const { return pos + n <= w.size(); }
    std::uint16_t u16() {
        const auto v = static_cast<std::uint16_t>((static_cast<unsigned char>(w[pos]) << 8) |
                                                  static_cast<unsigned char>(w[pos + 1]));
        pos += 2;
        return v;
    }
    std::uint32_t u32() {
        const std::uint32_t hi = u16();
        return (hi << 16) | u16();
    }
    // Reads a possibly compressed name starting at pos; advances pos past it.
    Result<std::string> name() {
        std::string out;
        std::size_t p = pos;
        bool jumped = false;
        int hops = 0;
        for (;;) {
            if (p >= w.size()) return err("name runs past the end of the message");
            const auto len = static_cast<unsigned char>(w[p]);
            if ((len & 0xC0) == 0xC0) {
                if (p + 1 >= w.size()) return err("truncated compression pointer");
                const std::size_t target = ((len & 0x3Fu) << 8) | static_cast<unsigned char>(w[p + 1]);
                if (target >= p) return err("compression pointer does not point backwards");
                if (++hops > kMaxPointerHops) return err("too many compression pointers");
                if (!jumped) pos = p + 2;
                jumped = true;
                p = target;
                continue;
            }
            if ((len & 0xC0) != 0) return err("reserved label type");
            if (len == 0) {
                if (!jumped) pos = p + 1;
                break;
            }
            if (p + 1 + len > w.size()) return err("label runs past the end of the message");
            if (!out.empty()) out.push_back('.');
            out.append(w.substr(p + 1, len));
            if (out.size() > kMaxNameOctets) return err("name longer than 255 octets");
            p += 1 + len;
        }
        return out;
    }
};

}  // namespace

std::string encode(const Message& m) {
    std::string out;
    put16(out, m.id);
    std::uint16_t flags = 0;
    if (m.response) flags |= 0x8000;
    if (m.authoritative) flags |= 0x0400;
    if (m.recursion_desired) flags |= 0x0100;
    if (m.response) flags |= 0x0080;  // recursion available: the simulated server answers everything it knows
    flags |= static_cast<std::uint16_t>(m.rcode);
    put16(out, flags);
    put16(out, 1);  // QDCOUNT
    put16(out, static_cast<std::uint16_t>(m.answers.size()));
    put16(out, 0);  // NSCOUNT
    put16(out, 0);  // ARCOUNT
    put_name(out, m.qname);
    put16(out, static_cast<std::uint16_t>(m.qtype));
    put16(out, 1);  // class IN
    for (const Record& r : m.answers) {
        put_name(out, r.name);
        put16(out, static_cast<std::uint16_t>(r.type));
        put16(out, 1);
        put32(out, r.ttl);
        if (r.type == RrType::A) {
            put16(out, 4);
            put32(out, r.a.value);
        } else {
            std::string rdata;
            put16(rdata, r.preference);
            put_name(rdata, r.exchange);
            put16(out, static_cast<std::uint16_t>(rdata.size()));
            out += rdata;
        }
    }
    return out;
}

Result<Message> decode(std::string_view wire) {
    Reader r{wire};
    if (wire.size() > kMaxUdpMessageOctets) return r.err("message longer than 512 octets (RFC 1035 §4.2.1)");
    if (!r.need(12)) return r.err("message shorter than the 12-octet header");
    Message m;
    m.id = r.u16();
    const std::uint16_t flags = r.u16();
    m.response = (flags & 0x8000) != 0;
    if (((flags >> 11) & 0xF) != 0) return r.err("unsupported opcode (only QUERY)");
    m.authoritative = (flags & 0x0400) != 0;
    m.recursion_desired = (flags & 0x0100) != 0;
    const unsigned rcode = flags & 0xF;
    if (rcode > 5) return r.err("unknown RCODE " + std::to_string(rcode));
    m.rcode = static_cast<Rcode>(rcode);
    const std::uint16_t qd = r.u16(), an = r.u16();
    r.u16();
    r.u16();
    if (qd != 1) return r.err("expected exactly one question");
    auto qn = r.name();
    if (!qn) return qn.error();
    m.qname = std::move(*qn);
    if (!r.need(4)) return r.err("truncated question");
    const std::uint16_t qt = r.u16();
    if (qt != 1 && qt != 15) return r.err("unsupported query type " + std::to_string(qt) + " (A and MX only)");
    m.qtype = static_cast<RrType>(qt);
    if (r.u16() != 1) return r.err("unsupported class (IN only)");
    for (std::uint16_t i = 0; i < an; ++i) {
        Record rec;
        auto n = r.name();
        if (!n) return n.error();
        rec.name = std::move(*n);
        if (!r.need(10)) return r.err("truncated resource record");
        const std::uint16_t type = r.u16();
        r.u16();  // class
        rec.ttl = r.u32();
        const std::uint16_t rdlen = r.u16();
        if (!r.need(rdlen)) return r.err("RDATA runs past the end of the message");
        const std::size_t rd_end = r.pos + rdlen;
        if (type == 1) {
            if (rdlen != 4) return r.err("A record RDATA must be 4 octets");
            rec.type = RrType::A;
            rec.a = Ip4{r.u32()};
        } else if (type == 15) {
            if (rdlen < 3) return r.err("MX record RDATA too short");
            rec.type = RrType::MX;
            rec.preference = r.u16();
            auto ex = r.name();
            if (!ex) return ex.error();
            rec.exchange = std::move(*ex);
            if (r.pos != rd_end) return r.err("MX RDATA length does not match its content");
        } else {
            r.pos = rd_end;  // skip records of other types
            continue;
        }
        m.answers.push_back(std::move(rec));
    }
    if (r.pos != wire.size()) return r.err("trailing octets after the last record");
    return m;
}

}  // namespace postino::net::dns
