// expectations.cpp — the expectation kinds over trace events.
#include "scenario/expectations.hpp"

#include <algorithm>
#include <map>

#include "core/trace_describe.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"

namespace postino::scenario {
namespace {

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

bool same_address(const std::string& a, const std::string& b) { return lower(a) == lower(b); }

bool contains_rcpt(const std::string& list, const std::string& who) {
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t c = list.find(',', start);
        if (c == std::string::npos) c = list.size();
        if (same_address(list.substr(start, c - start), who)) return true;
        start = c + 1;
    }
    return false;
}

std::vector<std::string> around(const std::vector<trace::Event>& ev, std::size_t index, std::size_t radius = 3) {
    std::vector<std::string> out;
    const std::size_t lo = index > radius ? index - radius : 0;
    const std::size_t hi = std::min(ev.size(), index + radius + 1);
    for (std::size_t i = lo; i < hi; ++i) out.push_back((i == index ? "> " : "  ") + trace::timeline_line(ev[i]));
    return out;
}

std::vector<std::string> last_of(const std::vector<trace::Event>& ev, const std::string& kind, std::size_t n = 5) {
    std::vector<std::string> out;
    for (std::size_t i = ev.size(); i-- > 0 && out.size() < n;) {
        if (ev[i].kind == kind) out.insert(out.begin(), "  " + trace::timeline_line(ev[i]));
    }
    return out;
}

std::string count_text(const ExpectSpec& e) {
    if (e.exactly) return "exactly " + std::to_string(*e.exactly);
    std::string s;
    if (e.at_least) s += "at least " + std::to_string(*e.at_least);
    if (e.at_most) s += std::string(s.empty() ? "" : " and ") + "at most " + std::to_string(*e.at_most);
    return s.empty() ? "at least 1" : s;
}

bool count_ok(const ExpectSpec& e, std::int64_t n) {
    if (e.exactly) return n == *e.exactly;
    if (e.at_least && n < *e.at_least) return false;
    if (e.at_most && n > *e.at_most) return false;
    if (!e.at_least && !e.at_most) return n >= 1;
    return true;
}

// The messages stored in `address`'s mailbox, as the MTA spooled them: a
// mailbox event names (host, queue id), the spool's "message" event with that
// id holds the octets (delivery adds only Return-Path: in front).
std::vector<std::string> stored_messages(const std::vector<trace::Event>& ev, const std::string& address) {
    std::map<std::pair<std::string, std::string>, const std::string*> spooled;
    std::vector<std::string> out;
    for (const auto& x : ev) {
        const trace::Value* bytes = x.kind == "message" ? x.find("bytes") : nullptr;
        if (bytes != nullptr && std::holds_alternative<trace::Bytes>(*bytes)) {
            spooled[{x.host, x.get_str("id")}] = &std::get<trace::Bytes>(*bytes).data;
        } else if (x.kind == "mailbox" && x.get_str("ev") == "stored" && same_address(x.get_str("address"), address)) {
            auto it = spooled.find({x.host, x.get_str("queue_id")});
            if (it != spooled.end()) out.push_back(*it->second);
        }
    }
    return out;
}

std::string lf_lines(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
        out.push_back(s[i]);
    }
    return out;
}

std::string describe(const PartExpect& p) {
    std::string d = "a MIME part";
    if (!p.type.empty()) d += " of type " + p.type;
    if (!p.encoding.empty()) d += " encoded " + p.encoding;
    if (!p.filename.empty()) d += " named " + p.filename;
    if (p.decoded) d += " decoding to \"" + *p.decoded + "\"";
    if (!p.decoded_contains.empty()) d += " whose decoded body contains \"" + p.decoded_contains + "\"";
    return d;
}

// Does some leaf of `message` match every key of `p`? `seen` collects what
// the leaves were, for the report.
bool has_part(const std::string& message, const PartExpect& p, std::vector<std::string>& seen) {
    auto parsed = mail::parse_mime(message);
    if (!parsed) {
        seen.push_back("unparsable message: " + parsed.error().message());
        return false;
    }
    for (const auto& v : mail::mime_tree(*parsed)) {
        if (v.kind != mail::PartKind::leaf) continue;
        std::string name;
        if (v.disposition) {
            if (const auto* f = v.disposition->param("filename")) name = f->value;
        }
        if (name.empty()) {
            if (const auto* f = mail::find_parameter(v.params, "name")) name = f->value;
        }
        seen.push_back(v.mime_type + " " + v.encoding + (name.empty() ? "" : " " + name));
        if (!p.type.empty() && lower(p.type) != lower(v.mime_type)) continue;
        if (!p.encoding.empty() && lower(p.encoding) != lower(v.encoding)) continue;
        if (!p.filename.empty() && p.filename != name) continue;
        if (v.decode_error) continue;
        if (p.decoded && lf_lines(*p.decoded) != lf_lines(v.decoded)) continue;
        if (!p.decoded_contains.empty() && lf_lines(v.decoded).find(lf_lines(p.decoded_contains)) == std::string::npos) continue;
        return true;
    }
    return false;
}

}  // namespace

std::vector<ExpectationResult> check_expectations(const Scenario& s, const std::vector<trace::Event>& ev) {
    std::vector<ExpectationResult> out;
    for (const auto& e : s.expects) {
        if (e.kind == "breaks") continue;  // judged with the invariants (invariants.hpp)
        ExpectationResult r;
        r.spec = &e;
        if (e.kind == "delivered") {
            std::int64_t n = 0;
            std::size_t first = ev.size();
            std::size_t late = ev.size();
            std::size_t early = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i) {
                const auto& x = ev[i];
                if (x.kind != "mailbox" || x.get_str("ev") != "stored" || !same_address(x.get_str("address"), e.to)) continue;
                if (x.find("dsn_status") != nullptr) continue;  // a bounce is not the delivery asked for
                if (e.within && x.t > *e.within) {
                    late = std::min(late, i);
                    continue;
                }
                if (e.after && x.t < *e.after) {
                    early = std::min(early, i);
                    continue;
                }
                ++n;
                first = std::min(first, i);
            }
            r.expected = "a message delivered to " + e.to + (e.after ? " after " + format_duration(*e.after) : "") +
                         (e.within ? " within " + format_duration(*e.within) : "") +
                         (e.exactly ? " (" + count_text(e) + ")" : "");
            r.passed = (e.exactly ? n == *e.exactly : n >= 1) && early == ev.size();
            r.happened = std::to_string(n) + " delivered" +
                         (late < ev.size() ? ", the first one late at " + format_timestamp(ev[late].t) : "") +
                         (early < ev.size() ? ", one too early at " + format_timestamp(ev[early].t) : "");
            if (early < ev.size()) r.context = around(ev, early);
            else if (first < ev.size()) r.context = around(ev, first);
            else r.context = last_of(ev, "spool");
        } else if (e.kind == "bounced") {
            std::size_t hit = ev.size();
            std::vector<std::string> seen;
            for (std::size_t i = 0; i < ev.size(); ++i) {
                const auto& x = ev[i];
                if (x.kind != "mailbox" || x.get_str("ev") != "stored" || !same_address(x.get_str("address"), e.to)) continue;
                const std::string st = x.get_str("dsn_status");
                if (st.empty()) continue;
                seen.push_back(st);
                if ((e.status.empty() || contains_rcpt(st, e.status)) && (!e.within || x.t <= *e.within)) {
                    hit = i;
                    break;
                }
            }
            r.expected = "a bounce (DSN)" + (e.status.empty() ? "" : " with status " + e.status) + " delivered to " + e.to;
            r.passed = hit < ev.size();
            if (r.passed) {
                r.happened = "DSN delivered at " + format_timestamp(ev[hit].t);
                r.context = around(ev, hit);
            } else {
                r.happened = seen.empty() ? "no DSN reached " + e.to : "DSNs reached " + e.to + " with status " + seen.front();
                r.context = last_of(ev, "spool");
            }
        } else if (e.kind == "attempts" || e.kind == "deferred") {
            const std::string want = e.kind == "attempts" ? "attempt" : "deferred";
            std::int64_t n = 0;
            for (const auto& x : ev) {
                if (x.kind != "spool" || x.get_str("ev") != want) continue;
                if (e.kind == "attempts" && !e.to.empty() && x.host != e.to) continue;
                if (e.kind == "deferred" && !e.to.empty() && !contains_rcpt(x.get_str("to"), e.to)) continue;
                ++n;
            }
            r.expected = count_text(e) + " " + (e.kind == "attempts" ? "delivery attempt(s)" : "deferral(s)") +
                         (e.to.empty() ? "" : (e.kind == "attempts" ? " on " : " of ") + e.to);
            r.passed = count_ok(e, n);
            r.happened = std::to_string(n);
            r.context = last_of(ev, "spool");
        } else if (e.kind == "ua-error") {
            std::size_t hit = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i) {
                if (ev[i].kind == "ua" && ev[i].get_str("ev") == "error" && (e.to.empty() || ev[i].host == e.to)) {
                    hit = i;
                    break;
                }
            }
            r.expected = "the user agent" + (e.to.empty() ? "" : " " + e.to) + " reports an error to its user";
            r.passed = hit < ev.size();
            r.happened = r.passed ? ev[hit].get_str("text") : "no error was reported";
            r.context = r.passed ? around(ev, hit) : last_of(ev, "ua");
        } else if (e.kind == "trace-contains" || e.kind == "trace-lacks") {
            std::size_t hit = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i) {
                if (trace::timeline_line(ev[i]).find(e.text) != std::string::npos ||
                    ev[i].get_bytes("bytes").find(e.text) != std::string::npos) {
                    hit = i;
                    break;
                }
            }
            const bool want = e.kind == "trace-contains";
            r.expected = std::string("the trace ") + (want ? "contains" : "does not contain") + " \"" + e.text + "\"";
            r.passed = (hit < ev.size()) == want;
            r.happened = hit < ev.size() ? "found at " + format_timestamp(ev[hit].t) : "not found";
            if (hit < ev.size()) r.context = around(ev, hit);
        } else if (e.kind == "duplicates") {
            std::map<std::string, int> copies;
            for (const auto& x : ev) {
                if (x.kind == "mailbox" && x.get_str("ev") == "stored" && !x.get_str("message_id").empty() &&
                    (e.to.empty() || same_address(x.get_str("address"), e.to))) {
                    ++copies[x.get_str("address") + " " + x.get_str("message_id")];
                }
            }
            std::int64_t n = 0;
            for (const auto& [k, c] : copies) n += c > 1 ? c - 1 : 0;
            r.expected = count_text(e) + " duplicate deliveries" + (e.to.empty() ? "" : " to " + e.to);
            r.passed = count_ok(e, n);
            r.happened = std::to_string(n);
        } else if (e.kind == "fetched") {
            // Messages a user agent downloaded (POP3 "ua fetched" events, with the octets).
            std::int64_t n = 0;
            bool found = e.text.empty(), lacked = true;
            std::size_t hit = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i) {
                const auto& x = ev[i];
                if (x.kind != "ua" || x.get_str("ev") != "fetched" || (!e.to.empty() && x.host != e.to)) continue;
                ++n;
                hit = i;
                const std::string bytes = x.get_bytes("bytes");
                if (!e.text.empty() && bytes.find(e.text) != std::string::npos) found = true;
                if (!e.lacks.empty() && bytes.find(e.lacks) != std::string::npos) lacked = false;
            }
            r.expected = (e.exactly || e.at_least || e.at_most ? count_text(e) : std::string("at least 1")) +
                         " message(s) fetched" + (e.to.empty() ? "" : " by " + e.to);
            r.passed = count_ok(e, n) && found && lacked;
            r.happened = std::to_string(n) + " fetched";
            if (!e.text.empty()) {
                r.expected += ", one containing \"" + e.text + "\"";
                if (!found) r.happened += ", none containing \"" + e.text + "\"";
            }
            if (!e.lacks.empty()) {
                r.expected += ", none containing \"" + e.lacks + "\"";
                if (!lacked) r.happened += ", one containing \"" + e.lacks + "\"";
            }
            r.context = hit < ev.size() ? around(ev, hit) : last_of(ev, "ua");
        } else if (e.kind == "mailbox") {
            // The folder's messages at the end, with their flags, replayed from the
            // mailbox events: delivered (stored), put there by IMAP (appended,
            // copied), flags changed, removed (POP3 deleted, IMAP expunged), and
            // the folders' own changes: a RENAME takes the messages to the new
            // name, a DELETE (or a CREATE of a fresh folder) leaves none.
            const std::string folder = e.folder.empty() ? std::string("INBOX") : e.folder;
            std::map<std::string, std::map<std::int64_t, std::string>> folders;  // folder -> uid -> flags
            std::size_t hit = ev.size();
            for (std::size_t i = 0; i < ev.size(); ++i) {
                const auto& x = ev[i];
                if (x.kind != "mailbox" || !same_address(x.get_str("address"), e.to)) continue;
                std::string f = x.get_str("folder");
                if (f.empty()) f = "INBOX";
                const std::string what = x.get_str("ev");
                if (what == "folder-renamed") {
                    const std::string from = x.get_str("from_folder");
                    folders[f] = std::move(folders[from]);
                    folders[from].clear();
                    if (f == folder || from == folder) hit = i;
                    continue;
                }
                auto& held = folders[f];
                const std::int64_t uid = x.get_int("uid").value_or(0);
                if (what == "stored" || what == "appended" || what == "copied") held[uid] = " " + x.get_str("flags") + " ";
                else if (what == "flags" && held.count(uid) != 0) held[uid] = " " + x.get_str("flags") + " ";
                else if (what == "deleted" || what == "expunged") held.erase(uid);
                else if (what == "folder-deleted" || what == "folder-created") held.clear();
                else continue;
                if (f == folder) hit = i;
            }
            const auto& held = folders[folder];
            std::int64_t n = 0;
            for (const auto& entry : held) {
                const std::string& fl = entry.second;  // a structured binding cannot be captured before C++20 in clang 14
                n += std::all_of(e.flags.begin(), e.flags.end(), [&](const std::string& f) { return fl.find(" " + f + " ") != std::string::npos; }) ? 1 : 0;
            }
            std::string flag_list;
            for (const auto& f : e.flags) flag_list += (flag_list.empty() ? "" : " ") + f;
            const std::string where = e.folder.empty() ? "the mailbox of " + e.to : "folder " + folder + " of " + e.to;
            r.expected = where + " holds " + (e.exactly ? count_text(e) : "at least 1") + " message(s)" +
                         (flag_list.empty() ? "" : " with flags " + flag_list);
            r.passed = e.exactly ? n == *e.exactly : n >= 1;
            r.happened = std::to_string(n) + " message(s)" + (flag_list.empty() ? "" : " with those flags, of " + std::to_string(held.size()));
            if (hit < ev.size()) r.context = around(ev, hit);
            const std::vector<std::string> stored = stored_messages(ev, e.to);
            if (!e.text.empty()) {
                const bool found = std::any_of(stored.begin(), stored.end(), [&](const std::string& m) { return m.find(e.text) != std::string::npos; });
                r.expected += ", one containing \"" + e.text + "\"";
                r.passed = r.passed && found;
                if (!found) r.happened += ", none containing \"" + e.text + "\"";
            }
            if (!e.lacks.empty()) {
                const bool found = std::any_of(stored.begin(), stored.end(), [&](const std::string& m) { return m.find(e.lacks) != std::string::npos; });
                r.expected += ", none containing \"" + e.lacks + "\"";
                r.passed = r.passed && !found;
                if (found) r.happened += ", one containing \"" + e.lacks + "\"";
            }
            if (e.part) {
                std::vector<std::string> seen;
                bool found = false;
                for (const auto& m : stored) found = has_part(m, *e.part, seen) || found;
                r.expected += ", one with " + describe(*e.part);
                r.passed = r.passed && found;
                if (!found) {
                    std::string parts;
                    for (const auto& p : seen) parts += (parts.empty() ? "" : "; ") + p;
                    r.happened += ", no such part (parts seen: " + (parts.empty() ? std::string("none") : parts) + ")";
                }
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace postino::scenario
