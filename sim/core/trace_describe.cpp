// trace_describe.cpp — plain-text rendering of trace events.
#include "core/trace_describe.hpp"

#include <cstdio>

namespace postino::trace {

std::string visible(std::string_view bytes, std::size_t max) {
    std::string out;
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\\') out += "\\\\";
        else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else {
            out.push_back(ch);
        }
        if (out.size() > max) {
            out.resize(max);
            out += "...";
            break;
        }
    }
    return out;
}

std::string endpoints(const Event& e) {
    const std::string ev = e.get_str("ev");
    if (e.peer.empty()) return e.host;
    if (e.kind == "segment" || e.kind == "datagram") {
        if (ev == "recv") return e.host + " <- " + e.peer;
        if (ev == "lost") return e.host + " -x " + e.peer;
        return e.host + " -> " + e.peer;
    }
    if (e.kind == "line" || (e.kind == "tls" && ev == "record")) {
        return e.get_str("dir") == "recv" ? e.host + " <- " + e.peer : e.host + " -> " + e.peer;
    }
    return e.host + " .. " + e.peer;
}

namespace {
std::string upper(std::string s) {
    for (char& c : s) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return s;
}
}  // namespace

std::string describe(const Event& e) {
    const std::string ev = e.get_str("ev");
    const std::string reason = e.get_str("reason");
    const std::string because = reason.empty() ? "" : " (" + reason + ")";
    if (e.kind == "segment") {
        std::string s = "TCP " + e.get_str("flags") + " seq=" + std::to_string(e.get_int("seqno").value_or(0)) +
                        " ack=" + std::to_string(e.get_int("ackno").value_or(0)) +
                        " len=" + std::to_string(e.get_int("len").value_or(0));
        if (e.get_bool("retransmit").value_or(false)) s += " [retransmission]";
        if (ev == "lost") s += " LOST" + because;
        return s;
    }
    if (e.kind == "datagram") {
        std::string s = "UDP " + std::to_string(e.get_int("sport").value_or(0)) + " > " +
                        std::to_string(e.get_int("dport").value_or(0)) +
                        " len=" + std::to_string(e.get_int("len").value_or(0));
        if (ev == "lost") s += " LOST" + because;
        return s;
    }
    if (e.kind == "tcp") {
        const auto port = e.get_int("dport").value_or(0);
        if (ev == "connect") return "TCP connect to port " + std::to_string(port);
        if (ev == "established") return "TCP connection established";
        if (ev == "eof") return "TCP peer closed its side (FIN)";
        if (ev == "closed") return "TCP connection closed" + because;
        return "TCP " + ev + because;
    }
    if (e.kind == "dns") {
        std::string s = "DNS " + ev + " " + e.get_str("type") + " " + e.get_str("name");
        if (auto id = e.get_int("id")) s += " (id " + std::to_string(*id) + ")";
        if (auto a = e.get_int("attempt")) s += " attempt " + std::to_string(*a);
        const std::string answer = e.get_str("answer");
        if (!answer.empty()) s += " = " + answer;
        return s + because;
    }
    if (e.kind == "line") {
        if (e.get_str("verb") == "DATA-CONTENT") {
            return upper(e.get_str("proto")) + " message content, " + std::to_string(e.get_bytes("bytes").size()) + " octets";
        }
        std::string b = e.get_bytes("bytes");
        // A multi-line reply shows its first and last line.
        const auto first_end = b.find("\r\n");
        if (first_end != std::string::npos && first_end + 2 < b.size()) {
            const auto last_start = b.rfind("\r\n", b.size() - 3);
            b = b.substr(0, first_end + 2) + (last_start > first_end ? "... " + b.substr(last_start + 2) : "");
        }
        const std::string in_tls = e.get_bool("tls").value_or(false) ? " (inside TLS)" : "";
        const std::string injected = e.get_bool("injected").value_or(false) ? " (injected by a man in the middle)" : "";
        return upper(e.get_str("proto")) + " \"" + visible(b) + "\"" + in_tls + injected;
    }
    if (e.kind == "tls") {
        if (ev == "record") {
            std::string s = "TLS record " + e.get_str("content") + " (" + e.get_str("msg") + "), " +
                            std::to_string(e.get_int("len").value_or(0)) + " octets";
            if (auto inner = e.get_int("inner"); inner && e.get_str("content") == "application_data") {
                s += " carrying " + std::to_string(*inner);
            }
            return s;
        }
        if (ev == "established") {
            return "TLS established for " + upper(e.get_str("proto")) + ": " + e.get_str("version") + ", " +
                   e.get_str("cipher");
        }
        return "TLS " + ev + because;
    }
    if (e.kind == "spool") {
        const std::string q = "[" + e.get_str("queue_id") + "] ";
        const std::string to = e.get_str("to");
        if (ev == "enqueued") {
            const std::string from = e.get_str("from");
            return "SPOOL " + q + "enqueued from <" + from + "> to " + to +
                   (e.get_bool("bounce").value_or(false) ? " (a bounce, DSN)" : "");
        }
        if (ev == "attempt") return "SPOOL " + q + "delivery attempt " + std::to_string(e.get_int("attempt").value_or(0)) + " for " + to;
        if (ev == "deferred") {
            const auto next = e.get_int("next");
            return "SPOOL " + q + "DEFERRED " + to + ": " + e.get_str("error") +
                   (next ? "; next attempt at " + format_timestamp(Duration::from_ns(*next)) : "");
        }
        if (ev == "sent") return "SPOOL " + q + "sent " + to + " to " + e.get_str("remote") + ": local copy no longer needed";
        if (ev == "delivered") return "SPOOL " + q + "delivered " + to + " into the local mailbox";
        if (ev == "bounced") return "SPOOL " + q + "BOUNCED " + to + " " + e.get_str("status") + ": " + e.get_str("error");
        if (ev == "expired") return "SPOOL " + q + "EXPIRED: lifetime over for " + to;
        if (ev == "warned") return "SPOOL " + q + "delay warning sent for " + to;
        if (ev == "removed") return "SPOOL " + q + "removed from the spool";
        if (ev == "expanded") return "SPOOL " + q + "alias " + e.get_str("alias") + " expands to " + to;
        if (ev == "double-bounce") return "SPOOL " + q + "DOUBLE BOUNCE: handed to " + to;
        return "SPOOL " + q + ev;
    }
    if (e.kind == "mailbox" && ev.rfind("folder-", 0) == 0) {
        const std::string who = "MAILBOX " + e.get_str("mailbox") + ": folder " + e.get_str("folder");
        if (ev == "folder-created") return who + " created (UIDVALIDITY " + std::to_string(e.get_int("uid_validity").value_or(0)) + ")";
        const std::string n = std::to_string(e.get_int("messages").value_or(0)) + " message(s)";
        if (ev == "folder-deleted") return who + " deleted with " + n + (e.get_bool("noselect").value_or(false) ? "; the name stays \\Noselect (it has inferiors)" : "");
        if (ev == "folder-renamed") return who + " renamed from " + e.get_str("from_folder") + ", " + n;
        return who + " " + ev;
    }
    if (e.kind == "mailbox") {
        std::string s = "MAILBOX " + e.get_str("mailbox") + ": " + ev + " message uid " + std::to_string(e.get_int("uid").value_or(0));
        const std::string folder = e.get_str("folder");
        if (ev == "flags") s += " in " + folder + ", flags now " + (e.get_str("flags").empty() ? "(none)" : e.get_str("flags"));
        else if (ev == "expunged") s += " from " + folder;
        else if (ev == "copied") s += " into " + folder + " (from " + e.get_str("from_folder") + " uid " + std::to_string(e.get_int("from_uid").value_or(0)) + ")";
        else if (ev == "appended") s += " into " + folder + (e.get_str("flags").empty() ? "" : " with " + e.get_str("flags"));
        const std::string dsn = e.get_str("dsn_status");
        if (!dsn.empty()) s += " (a bounce: status " + dsn + ")";
        return s;
    }
    if (e.kind == "message") return "MESSAGE " + e.get_str("role") + " " + e.get_str("id") + ", " + std::to_string(e.get_bytes("bytes").size()) + " octets";
    if (e.kind == "ua") return "USER AGENT " + ev + ": " + e.get_str("text");
    if (e.kind == "proto") return upper(e.get_str("proto")) + " " + ev + ": " + e.get_str("detail") + (e.get_str("section").empty() ? "" : " (" + e.get_str("section") + ")");
    if (e.kind == "fault") return "FAULT " + ev + ": " + e.get_str("fault") + " " + e.get_str("target");
    if (e.kind == "note") return "# " + e.get_str("text");
    if (e.kind == "host") return ev == "down" ? "HOST DOWN (crash)" : "HOST UP (restart)";
    return e.kind + " " + ev;
}

std::string timeline_line(const Event& e, std::size_t width) {
    std::string ends = endpoints(e);
    if (ends.size() < width) ends.resize(width, ' ');
    return format_timestamp(e.t) + "  " + ends + "  " + describe(e);
}

}  // namespace postino::trace
