// mermaid_export.cpp — trace → Mermaid sequenceDiagram (see mermaid_export.hpp).
#include "export/mermaid_export.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "export/tcp_streams.hpp"

namespace postino::exporter {
namespace {

constexpr std::string_view kEllipsis = "\u2026";  // …

// Length of the valid UTF-8 sequence starting at s[i] (RFC 3629 §4), 0 if invalid.
std::size_t utf8_length(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<std::uint8_t>(s[i]);
    std::size_t n = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        n = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        n = 3;
        if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        n = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size()) return 0;
    for (std::size_t k = 1; k < n; ++k) {
        const auto b = static_cast<std::uint8_t>(s[i + k]);
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    }
    return n;
}

// The first line of protocol bytes, with " …" when more lines follow
// (multi-line replies such as an EHLO response).
std::string first_line(std::string_view bytes) {
    const std::size_t lf = bytes.find('\n');
    std::string_view line = bytes.substr(0, lf);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string out(line);
    if (lf != std::string_view::npos && bytes.find_first_not_of("\r\n", lf) != std::string_view::npos) {
        out += " ";
        out += kEllipsis;
    }
    return out;
}

struct Item {
    enum class Kind { Arrow, Note, NoteAll };
    Kind kind = Kind::Note;
    std::string from;  // the host of a note
    std::string to;
    std::string arrow;  // "->>", "-->>", "-x", "--x"
    std::string text;   // not yet escaped
};

class Builder {
public:
    Builder(const std::vector<trace::Event>& events, const MermaidOptions& options)
        : events_(events), options_(options) {
        for (const trace::Event& e : events_) {
            if (!e.host.empty()) hosts_.insert(e.host);
            if (!e.peer.empty()) hosts_.insert(e.peer);
            if (e.kind == "line" && e.get_str("dir") == "send") senders_.insert({e.conn, e.host});
            if (e.kind == "segment" && e.get_str("ev") == "lost") {
                if (auto id = e.get_int("id")) lost_.insert(*id);
            }
            if (e.kind == "segment" && e.get_str("ev") == "send") note_coverage(e);
            if (e.kind == "tcp" && e.conn != 0) {
                const std::string ev = e.get_str("ev");
                if (ev == "established") established_.insert(e.conn);
                if ((ev == "refused" || ev == "timeout") && established_.count(e.conn) == 0) {
                    failed_.emplace(e.conn, ev == "refused" ? "refused" : "timed out");
                }
            }
        }
    }

    std::string build() {
        for (const trace::Event& e : events_) add(e);
        return render();
    }

private:
    void arrow(const std::string& from, const std::string& to, const char* style, std::string text) {
        if (from.empty() || to.empty()) {
            note(from.empty() ? to : from, std::move(text));
            return;
        }
        items_.push_back(Item{Item::Kind::Arrow, from, to, style, std::move(text)});
    }

    void note(const std::string& host, std::string text) {
        if (host.empty()) {
            items_.push_back(Item{Item::Kind::NoteAll, "", "", "", std::move(text)});
        } else {
            items_.push_back(Item{Item::Kind::Note, host, "", "", std::move(text)});
        }
    }

    void add(const trace::Event& e) {
        if (e.kind == "line") return add_line(e);
        if (e.kind == "dns") return add_dns(e);
        if (e.kind == "tcp") return add_tcp(e);
        if (e.kind == "segment") return add_segment(e);
        if (e.kind == "spool") return add_spool(e);
        if (e.kind == "note") {
            const std::string it = e.get_str("it");
            return note(e.host, options_.italian && !it.empty() ? it : e.get_str("text"));
        }
        if (e.kind == "fault") return add_fault(e);
        if (e.kind == "host") {
            const std::string ev = e.get_str("ev");
            return note(e.host, ev == "down" ? "host down (crash)" : ev == "up" ? "host up (restart)" : "host " + ev);
        }
        if (e.kind == "mailbox") {
            std::string text = "mailbox " + e.get_str("mailbox") + ": " + e.get_str("ev");
            if (auto uid = e.get_int("uid")) text += " uid " + std::to_string(*uid);
            const std::string ev = e.get_str("ev"), folder = e.get_str("folder");
            if (ev == "flags") text += " " + (e.get_str("flags").empty() ? std::string("(none)") : e.get_str("flags"));
            else if (ev == "copied" || ev == "appended") text += " into " + folder;
            else if (ev == "expunged" && !folder.empty()) text += " from " + folder;
            return note(e.host, std::move(text));
        }
        if (e.kind == "ua") {
            std::string text = "user agent " + e.get_str("ev");
            if (const std::string t = e.get_str("text"); !t.empty()) text += ": " + t;
            return note(e.host, std::move(text));
        }
        if (e.kind == "proto" && e.get_str("ev") == "violation") {
            std::string text = e.get_str("proto") + " violation: " + e.get_str("detail");
            if (const std::string s = e.get_str("section"); !s.empty()) text += " (" + s + ")";
            return note(e.host, std::move(text));
        }
        // message, datagram (DNS shows as dns events), other proto events: not drawn.
    }

    // How far into its stream a host's segments on a connection reached
    // (tcp_streams.hpp: stream octet k has sequence number k + 1).
    void note_coverage(const trace::Event& e) {
        const auto seqno = e.get_int("seqno");
        const auto len = e.get_int("len");
        if (!seqno || !len || *len < 0) return;
        const auto offset = stream_offset(*seqno, e.get_str("flags").find("SYN") != std::string::npos);
        std::uint64_t& reach = covered_[{e.conn, e.host}];
        if (offset) reach = std::max(reach, *offset + static_cast<std::uint64_t>(*len));
    }

    void add_line(const trace::Event& e) {
        const std::string dir = e.get_str("dir");
        const std::string bytes = e.get_bytes("bytes");
        const std::string label = e.get_str("verb") == "DATA-CONTENT"
                                      ? "(message, " + std::to_string(bytes.size()) + " octets)"
                                      : first_line(bytes);
        if (dir == "send") {
            // A line the engine wrote but no segment carried (the connection
            // was aborted first, or the run ended): it never reached the peer.
            std::uint64_t& start = written_[{e.conn, e.host}];
            const auto reach = covered_.find({e.conn, e.host});
            const bool never_sent = e.conn != 0 && reach != covered_.end() && start >= reach->second;
            start += bytes.size();
            if (never_sent) return arrow(e.host, e.peer, "-x", label + " (never sent)");
            return arrow(e.host, e.peer, "->>", label);
        }
        // A line only its receiver reported (a real server in `postino check`):
        // drawn from the receiver's side when the sender wrote no line at all.
        if (dir == "recv" && senders_.count({e.conn, e.peer}) == 0) arrow(e.peer, e.host, "->>", label);
    }

    void add_dns(const trace::Event& e) {
        const std::string ev = e.get_str("ev");
        const std::string what = e.get_str("type") + " " + e.get_str("name");
        if (ev == "query" || ev == "retry") {
            std::string text = "DNS query " + what;
            if (auto n = e.get_int("attempt")) text += " (attempt " + std::to_string(*n) + ")";
            return arrow(e.host, e.peer, "->>", std::move(text));
        }
        if (ev == "answer") return arrow(e.peer, e.host, "->>", "DNS " + what + " = " + e.get_str("answer"));
        if (ev == "nodata") return arrow(e.peer, e.host, "->>", "DNS " + what + ": no data");
        if (ev == "nxdomain") return arrow(e.peer, e.host, "->>", "DNS " + what + ": NXDOMAIN");
        if (ev == "servfail") return arrow(e.peer, e.host, "->>", "DNS " + what + ": SERVFAIL");
        if (ev == "timeout") return note(e.host, "DNS " + what + ": no answer (timeout)");
        note(e.host, "DNS " + ev + " " + what);
    }

    void add_tcp(const trace::Event& e) {
        const std::string ev = e.get_str("ev");
        const bool failed_attempt = failed_.count(e.conn) != 0;
        if (ev == "connect") {
            if (!options_.fold_tcp) return;  // the SYN arrows show it
            std::string text = "TCP connect";
            if (auto p = e.get_int("dport")) text += " :" + std::to_string(*p);
            if (auto f = failed_.find(e.conn); f != failed_.end()) {
                return arrow(e.host, e.peer, "--x", text + " (" + f->second + ")");
            }
            return arrow(e.host, e.peer, "-->>", std::move(text));
        }
        if ((ev == "refused" || ev == "timeout") && failed_attempt && options_.fold_tcp) return;  // on the arrow
        if (ev == "refused") return note(e.host, "TCP connection refused");
        if (ev == "timeout") return note(e.host, "TCP connection timed out");
        if (ev == "reset") return note(e.host, "TCP connection reset by " + (e.peer.empty() ? "the peer" : e.peer));
        if (ev == "abort") return note(e.host, "TCP connection aborted");
        // established, eof, closed: folded away or visible as SYN/FIN arrows.
    }

    void add_segment(const trace::Event& e) {
        if (options_.fold_tcp || e.get_str("ev") != "send") return;
        const std::string flags = e.get_str("flags");
        std::string text = flags + " seq=" + std::to_string(e.get_int("seqno").value_or(0));
        if (flags.find("ACK") != std::string::npos) text += " ack=" + std::to_string(e.get_int("ackno").value_or(0));
        if (const auto len = e.get_int("len").value_or(0); len > 0) text += " len=" + std::to_string(len);
        if (e.get_bool("retransmit").value_or(false)) text += " (retransmission)";
        const auto id = e.get_int("id");
        const bool lost = id && lost_.count(*id) != 0;
        if (lost) text += " (lost)";
        arrow(e.host, e.peer, lost ? "--x" : "-->>", std::move(text));
    }

    void add_spool(const trace::Event& e) {
        const std::string ev = e.get_str("ev");
        std::string text = "spool " + e.get_str("queue_id") + " " + ev;
        const std::string to = e.get_str("to");
        const std::string alias = e.get_str("alias");
        if (auto n = e.get_int("attempt"); n && ev == "attempt") text += " " + std::to_string(*n);
        if (ev == "enqueued") text += " from <" + e.get_str("from") + ">";
        if (!alias.empty()) text += " " + alias;
        if (!to.empty()) text += (ev == "attempt" ? " for " : ev == "enqueued" || !alias.empty() ? " to " : " ") + to;
        if (const std::string remote = e.get_str("remote"); !remote.empty()) text += " via " + remote;
        if (const std::string status = e.get_str("status"); !status.empty()) text += " " + status;
        if (const std::string error = e.get_str("error"); !error.empty()) text += ": " + error;
        note(e.host, std::move(text));
    }

    void add_fault(const trace::Event& e) {
        const std::string target = e.get_str("target");
        std::string text = "FAULT " + e.get_str("ev") + ": " + e.get_str("fault") + " " + target;
        // A port-closed target is "host:port".
        const std::string host = target.substr(0, target.find(':'));
        note(hosts_.count(host) != 0 ? host : std::string{}, std::move(text));
    }

    std::string render() {
        std::vector<std::string> order;
        std::map<std::string, std::string> ids;
        std::set<std::string> used_ids;
        auto appear = [&](const std::string& host) {
            if (host.empty() || ids.count(host) != 0) return;
            std::string id = mermaid_id(host);
            if (used_ids.count(id) != 0) {
                int n = 2;
                while (used_ids.count(id + "_" + std::to_string(n)) != 0) ++n;
                id += "_" + std::to_string(n);
            }
            used_ids.insert(id);
            ids.emplace(host, id);
            order.push_back(host);
        };
        // Hosts that exchange arrows first, in order of their first arrow, so
        // the diagram reads left to right from the first sender (a world
        // note at t = 0 would otherwise put whatever host it names first).
        for (const Item& it : items_) {
            if (it.kind != Item::Kind::Arrow) continue;
            appear(it.from);
            appear(it.to);
        }
        for (const Item& it : items_) appear(it.from);
        if (order.empty()) {
            // Mermaid notes need a participant; a trace with world notes only gets one.
            ids.emplace("", "h_world");
        }
        std::string out;
        if (options_.fenced) out += "```mermaid\n";
        out += "sequenceDiagram\n";
        if (order.empty()) out += "    participant h_world as (world)\n";
        for (const std::string& host : order) {
            out += "    participant " + ids[host] + " as " + mermaid_text(host, std::string::npos) + "\n";
        }
        const std::string everyone =
            order.empty() ? "h_world" : order.size() == 1 ? ids[order.front()] : ids[order.front()] + "," + ids[order.back()];
        for (const Item& it : items_) {
            const std::string text = mermaid_text(it.text, options_.max_label);
            switch (it.kind) {
                case Item::Kind::Arrow:
                    out += "    " + ids[it.from] + it.arrow + ids[it.to] + ": " + text + "\n";
                    break;
                case Item::Kind::Note:
                    out += "    Note over " + ids[it.from] + ": " + text + "\n";
                    break;
                case Item::Kind::NoteAll:
                    out.append("    Note over ").append(everyone).append(": ").append(text).append("\n");
                    break;
            }
        }
        if (options_.fenced) out += "```\n";
        return out;
    }

    const std::vector<trace::Event>& events_;
    const MermaidOptions& options_;
    std::set<std::string> hosts_;
    std::set<std::pair<std::uint64_t, std::string>> senders_;  // (conn, host) that wrote lines
    std::set<std::int64_t> lost_;                              // ids of lost segments
    std::set<std::uint64_t> established_;
    std::map<std::uint64_t, std::string> failed_;  // connections that never got established
    // Per (conn, host) that sent segments: stream octets its segments carried, and octets its lines wrote so far.
    std::map<std::pair<std::uint64_t, std::string>, std::uint64_t> covered_, written_;
    std::vector<Item> items_;
};

}  // namespace

std::string mermaid_text(std::string_view text, std::size_t max) {
    std::vector<std::string> chars;  // one entry per character, already escaped
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<std::uint8_t>(text[i]);
        if (c < 0x80) {
            switch (c) {
                case '#': chars.emplace_back("#35;"); break;
                case ';': chars.emplace_back("#59;"); break;
                case '<': chars.emplace_back("#60;"); break;
                case '>': chars.emplace_back("#62;"); break;
                case '&': chars.emplace_back("#38;"); break;
                case '%': chars.emplace_back("#37;"); break;
                case '"': chars.emplace_back("#34;"); break;
                default: chars.emplace_back(1, c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
            }
            ++i;
            continue;
        }
        const std::size_t n = utf8_length(text, i);
        if (n == 0) {
            chars.emplace_back("\uFFFD");
            ++i;
        } else {
            chars.emplace_back(text.substr(i, n));
            i += n;
        }
    }
    // Trailing spaces would vanish in the rendering anyway.
    while (!chars.empty() && chars.back() == " ") chars.pop_back();
    if (chars.empty()) return "(empty)";
    std::string out;
    const bool cut = max != std::string::npos && chars.size() > max;
    const std::size_t keep = cut ? (max == 0 ? 0 : max - 1) : chars.size();
    for (std::size_t i = 0; i < keep; ++i) out += chars[i];
    if (cut) out += kEllipsis;
    return out;
}

std::string mermaid_id(std::string_view host) {
    std::string id = "h_";
    for (char c : host) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        id += keep ? c : '_';
    }
    return id;
}

std::string export_mermaid(const std::vector<trace::Event>& events, const MermaidOptions& options) {
    return Builder(events, options).build();
}

}  // namespace postino::exporter
