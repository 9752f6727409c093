// classify.cpp — per-event classification and labels for the visualizer.
#include "model/classify.hpp"

#include "core/trace_describe.hpp"
#include "model/dns_peek.hpp"

namespace postino::viz {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        char a = s[i];
        if (a >= 'a' && a <= 'z') a = static_cast<char>(a - 'a' + 'A');
        if (a != prefix[i]) return false;
    }
    return true;
}

std::int64_t code_field(const trace::Event& e) {
    if (auto v = e.get_int("code")) return *v;
    const std::string s = e.get_str("code");
    std::int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + (c - '0');
    }
    return n;
}

bool is_dns_port(const trace::Event& e) {
    return e.get_int("sport").value_or(0) == 53 || e.get_int("dport").value_or(0) == 53;
}

std::string cut(std::string s, std::size_t max) {
    if (s.size() > max) {
        s.resize(max);
        s += "...";
    }
    return s;
}

}  // namespace

Cat cat_of_proto(std::string_view p) {
    if (p == "smtp" || p == "submission" || p == "lmtp") return Cat::smtp;
    if (p == "pop3") return Cat::pop3;
    if (p == "imap") return Cat::imap;
    if (p == "http") return Cat::http;
    if (p == "dns") return Cat::dns;
    return Cat::app;
}

int smtp_reply_code(std::string_view b) {
    if (b.size() < 3) return 0;
    for (std::size_t i = 0; i < 3; ++i) {
        if (b[i] < '0' || b[i] > '9') return 0;
    }
    if (b.size() > 3 && b[3] != ' ' && b[3] != '-' && b[3] != '\r' && b[3] != '\n') return 0;
    return (b[0] - '0') * 100 + (b[1] - '0') * 10 + (b[2] - '0');
}

bool is_negative_reply(std::string_view proto, std::string_view b, std::int64_t code) {
    if (proto == "smtp" || proto == "submission" || proto == "lmtp") {
        const std::int64_t c = code != 0 ? code : smtp_reply_code(b);
        return c >= 400 && c < 600;
    }
    if (proto == "pop3") return b.substr(0, 4) == "-ERR";
    if (proto == "imap") {
        // "<tag> NO ..." / "<tag> BAD ..." / "* NO ..." / "* BAD ..."
        const std::size_t sp = b.find(' ');
        if (sp == std::string_view::npos) return false;
        const std::string_view rest = b.substr(sp + 1);
        return starts_with_ci(rest, "NO ") || starts_with_ci(rest, "BAD ") || rest == "NO\r\n" ||
               rest == "BAD\r\n";
    }
    if (proto == "http") {
        if (code != 0) return code >= 400;
        if (b.substr(0, 5) != "HTTP/") return false;
        const std::size_t sp = b.find(' ');
        if (sp == std::string_view::npos || sp + 4 > b.size()) return false;
        return b[sp + 1] == '4' || b[sp + 1] == '5';
    }
    return false;
}

std::string first_line_label(std::string_view bytes, std::size_t max) {
    std::size_t eol = bytes.find('\n');
    std::string_view first = bytes.substr(0, eol);
    if (!first.empty() && first.back() == '\r') first.remove_suffix(1);
    std::size_t more = 0;
    if (eol != std::string_view::npos) {
        for (std::size_t i = eol + 1; i < bytes.size(); ++i) {
            if (bytes[i] == '\n') ++more;
        }
        if (eol + 1 < bytes.size() && bytes.back() != '\n') ++more;
    }
    std::string s = trace::visible(first, max);
    if (more > 0) s += "  (+" + std::to_string(more) + (more == 1 ? " line)" : " lines)");
    return s;
}

EventClass classify(const trace::Event& e) {
    EventClass c;
    c.kind = kind_from(e.kind).value_or(Kind::note);
    const std::string ev = e.get_str("ev");
    if (e.kind == "tls") {  // STARTTLS/STLS: the handshake and the records, in the protocol's colour
        c.cat = cat_of_proto(e.get_str("proto"));
        if (ev == "established" || (ev == "record" && e.get_str("content") != "application_data")) c.mark = Mark::handshake;
        if (ev == "failed") c.flags |= flag::failure;
        return c;
    }
    switch (c.kind) {
        case Kind::segment:
            c.cat = Cat::tcp;
            if (ev == "lost") c.flags |= flag::lost | flag::failure;
            if (e.get_bool("retransmit").value_or(false)) c.flags |= flag::retry;
            break;
        case Kind::datagram:
            c.cat = is_dns_port(e) ? Cat::dns : Cat::udp;
            if (ev == "lost") c.flags |= flag::lost | flag::failure;
            break;
        case Kind::tcp:
            c.cat = Cat::tcp;
            if (ev == "refused" || ev == "timeout" || ev == "reset" || ev == "abort") {
                c.flags |= flag::failure;
                c.mark = Mark::fault;
            }
            break;
        case Kind::dns:
            c.cat = Cat::dns;
            if (ev == "nxdomain" || ev == "servfail" || ev == "timeout" || ev == "malformed") c.flags |= flag::failure;
            if (ev == "retry") c.flags |= flag::retry;
            break;
        case Kind::line: {
            const std::string proto = e.get_str("proto");
            c.cat = cat_of_proto(proto);
            const std::string bytes = e.get_bytes("bytes");
            if (is_negative_reply(proto, bytes, code_field(e))) c.flags |= flag::failure;
            if (c.cat == Cat::smtp && starts_with_ci(bytes, "MAIL FROM:<>")) c.flags |= flag::bounce;
            break;
        }
        case Kind::fault:
            c.cat = Cat::fault;
            c.mark = Mark::fault;
            if (ev == "begin") c.flags |= flag::failure;
            break;
        case Kind::host:
            c.cat = Cat::fault;
            c.mark = Mark::fault;
            if (ev == "down") c.flags |= flag::failure;
            break;
        case Kind::note: c.cat = Cat::note; break;
        case Kind::spool:
            c.cat = Cat::mail;
            if (ev == "delivered" || ev == "sent") c.mark = Mark::delivery;
            if (ev == "deferred") {
                c.mark = Mark::deferral;
                c.flags |= flag::failure;
            }
            if (ev == "bounced" || ev == "expired") {
                c.mark = Mark::bounce;
                c.flags |= flag::failure | flag::bounce;
            }
            if (ev == "warned") {
                c.mark = Mark::bounce;
                c.flags |= flag::bounce;
            }
            if (!e.get_str("dsn_for").empty()) c.flags |= flag::bounce;
            if (ev == "attempt" && e.get_int("attempt").value_or(1) > 1) c.flags |= flag::retry;
            break;
        case Kind::mailbox: c.cat = Cat::mail; break;
        case Kind::message:
            c.cat = Cat::mail;
            if (e.get_str("role") == "dsn") c.flags |= flag::bounce;
            break;
        case Kind::ua:
            c.cat = Cat::mail;
            if (ev == "error") {
                c.flags |= flag::failure;
                c.mark = Mark::fault;
            }
            break;
        case Kind::proto:
            c.cat = cat_of_proto(e.get_str("proto"));
            if (ev == "violation") c.flags |= flag::failure;
            break;
        case Kind::count: break;
    }
    return c;
}

std::string label_of(const trace::Event& e) {
    const std::string ev = e.get_str("ev");
    const auto kind = kind_from(e.kind).value_or(Kind::note);
    if (e.kind == "tls") return trace::describe(e);
    if (kind == Kind::line && e.get_bool("tls").value_or(false)) return "[TLS] " + first_line_label(e.get_bytes("bytes"));
    switch (kind) {
        case Kind::segment: {
            std::string s = e.get_str("flags");
            const auto len = e.get_int("len").value_or(0);
            s += " seq=" + std::to_string(e.get_int("seqno").value_or(0));
            if (s.find("ACK") != std::string::npos) s += " ack=" + std::to_string(e.get_int("ackno").value_or(0));
            if (len > 0) s += " len=" + std::to_string(len);
            if (e.get_bool("retransmit").value_or(false)) s += " (retransmission)";
            if (ev == "lost") s += " LOST";
            return s;
        }
        case Kind::datagram: {
            const std::string bytes = e.get_bytes("bytes");
            if (is_dns_port(e)) {
                if (auto d = peek_dns(bytes)) return dns_label(*d) + (ev == "lost" ? " LOST" : "");
            }
            return "UDP " + std::to_string(e.get_int("sport").value_or(0)) + " > " +
                   std::to_string(e.get_int("dport").value_or(0)) + " len=" +
                   std::to_string(e.get_int("len").value_or(0)) + (ev == "lost" ? " LOST" : "");
        }
        case Kind::tcp: {
            const std::string reason = e.get_str("reason");
            if (ev == "connect") return "connect to port " + std::to_string(e.get_int("dport").value_or(0));
            if (ev == "eof") return "peer closed (FIN)";
            return ev + (reason.empty() || reason == ev || reason == "connection " + ev ? "" : " (" + reason + ")");
        }
        case Kind::dns: {
            std::string s = "DNS " + ev + " " + e.get_str("type") + " " + e.get_str("name");
            const std::string answer = e.get_str("answer");
            if (!answer.empty()) s += " = " + answer;
            return cut(s, 80);
        }
        case Kind::line: return first_line_label(e.get_bytes("bytes"));
        case Kind::fault: return e.get_str("fault") + " " + e.get_str("target") + (ev == "begin" ? " begins" : " ends");
        case Kind::note: return cut(e.get_str("text"), 80);
        case Kind::host: return ev == "down" ? "host crashed" : ev == "up" ? "host restarted" : "host " + ev;
        case Kind::spool: {
            std::string s = ev + " " + e.get_str("queue_id");
            const std::string status = e.get_str("status");
            if (!status.empty()) s += " " + status;
            if (auto a = e.get_int("attempt"); a && ev == "attempt") s += " #" + std::to_string(*a);
            const std::string to = e.get_str("to");
            if (!to.empty()) s += " to " + to;
            return cut(s, 80);
        }
        case Kind::mailbox: {
            if (ev.rfind("folder-", 0) == 0) {  // CREATE, DELETE, RENAME of a folder: no message
                std::string s = ev + " " + e.get_str("mailbox") + "/" + e.get_str("folder");
                if (ev == "folder-renamed") s += " from " + e.get_str("from_folder");
                return cut(s, 80);
            }
            std::string s = ev + " uid " + std::to_string(e.get_int("uid").value_or(0)) + " in " + e.get_str("mailbox");
            if (const std::string f = e.get_str("folder"); !f.empty() && f != "INBOX") s += "/" + f;
            const std::string flags = e.get_str("flags");
            if (!flags.empty()) s += " " + flags;
            return s;
        }
        case Kind::message: {
            const std::string role = e.get_str("role");
            const std::string subject = e.get_str("subject");
            return cut((role.empty() ? std::string("message") : role == "dsn" ? std::string("DSN") : role) + " " +
                           e.get_str("id") + (subject.empty() ? "" : " \"" + subject + "\""),
                       80);
        }
        case Kind::ua: {
            const std::string text = e.get_str("text");
            return cut("user agent: " + ev + (text.empty() ? "" : ": " + text), 80);
        }
        case Kind::proto: {
            std::string s = e.get_str("proto") + " " + ev;
            const std::string detail = e.get_str("detail");
            if (!detail.empty()) s += ": " + detail;
            const std::string section = e.get_str("section");
            if (!section.empty()) s += " (" + section + ")";
            return cut(s, 80);
        }
        case Kind::count: break;
    }
    return e.kind;
}

}  // namespace postino::viz
