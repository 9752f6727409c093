// reader.cpp — bounded reply readers for SMTP (RFC 5321 §4.2), POP3
// (RFC 1939 §3) and IMAP (RFC 3501 §2.2.2, §4.3, §7).
#include "conformance/reader.hpp"

#include <algorithm>
#include <cctype>

namespace postino::conformance {

std::string Reply::text() const {
    std::string t;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i) t += '\n';
        t += lines[i];
    }
    return t;
}

Status Conn::fill(Time deadline) {
    const Time now = clock_.now();
    if (now >= deadline) return Error{std::string(kNoReplyInTime), stream_->peer()};
    ReadResult r = stream_->read(deadline - now);
    if (off_ > 0 && off_ == buf_.size()) {
        buf_.clear();
        off_ = 0;
    }
    buf_ += r.data;
    if (r.closed) closed_ = true;
    if (!r.error.empty()) return Error{"connection failed: " + r.error, stream_->peer()};
    if (r.data.empty() && !r.closed && clock_.now() >= deadline) {
        return Error{std::string(kNoReplyInTime), stream_->peer()};
    }
    return {};
}

Result<std::optional<Conn::Line>> Conn::line(Time deadline) {
    std::size_t scanned = off_;
    for (;;) {
        const std::size_t lf = buf_.find('\n', scanned);
        if (lf != std::string::npos) {
            Line l;
            std::size_t end = lf;
            if (end > off_ && buf_[end - 1] == '\r') {
                --end;
            } else {
                l.bare_lf = true;
            }
            l.text = buf_.substr(off_, end - off_);
            l.octets = lf + 1 - off_;
            off_ = lf + 1;
            if (off_ == buf_.size()) {
                buf_.clear();
                off_ = 0;
            }
            return std::optional<Line>(std::move(l));
        }
        scanned = buf_.size();
        if (buf_.size() - off_ > kMaxReplyLineOctets) {
            return Error{"the server sent a line longer than " + std::to_string(kMaxReplyLineOctets) +
                             " octets without a line end",
                         stream_->peer()};
        }
        if (closed_) {
            if (buf_.size() > off_) {
                Line l;
                l.text = buf_.substr(off_);
                l.octets = l.text.size();
                l.bare_lf = true;
                buf_.clear();
                off_ = 0;
                return std::optional<Line>(std::move(l));
            }
            return std::optional<Line>();
        }
        if (Status st = fill(deadline); !st) return st.error();
    }
}

Result<std::optional<std::string>> Conn::octets(std::size_t n, Time deadline) {
    while (buf_.size() - off_ < n) {
        if (closed_) return std::optional<std::string>();
        if (Status st = fill(deadline); !st) return st.error();
    }
    std::string out = buf_.substr(off_, n);
    off_ += n;
    return std::optional<std::string>(std::move(out));
}

namespace {

bool digits3(std::string_view s) {
    return s.size() >= 3 && std::isdigit(static_cast<unsigned char>(s[0])) &&
           std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[2]));
}

// "{123}" or "{123+}" at the end of an IMAP line: the literal's size.
std::optional<std::size_t> trailing_literal(std::string_view l) {
    if (l.empty() || l.back() != '}') return std::nullopt;
    const auto open = l.rfind('{');
    if (open == std::string_view::npos) return std::nullopt;
    std::string_view n = l.substr(open + 1, l.size() - open - 2);
    if (!n.empty() && n.back() == '+') n.remove_suffix(1);
    if (n.empty() || n.size() > 12) return std::nullopt;
    std::size_t v = 0;
    for (char c : n) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + static_cast<std::size_t>(c - '0');
    }
    return v;
}

std::string first_word(std::string_view s) {
    const auto sp = s.find(' ');
    return std::string(s.substr(0, sp));
}

}  // namespace

void Conn::note_sent(std::string_view bytes) {
    constexpr std::size_t kKeptTags = 256;  // enough for any pipelined group of a suite
    std::size_t from = 0;
    while (from < bytes.size()) {
        auto lf = bytes.find('\n', from);
        if (lf == std::string_view::npos) lf = bytes.size();
        const std::string_view l = bytes.substr(from, lf - from);
        const std::string tag = first_word(l);
        if (!tag.empty() && tag != "*" && tag != "+" && tag.find('\r') == std::string::npos) sent_tags_.push_back(tag);
        from = lf + 1;
    }
    if (sent_tags_.size() > kKeptTags) sent_tags_.erase(sent_tags_.begin(), sent_tags_.end() - kKeptTags);
}

Result<Reply> Conn::read_reply(const ReadSpec& spec, Duration timeout,
                               const std::function<void(std::string_view)>& on_line) {
    const Time deadline = clock_.now() + timeout;
    Reply r;
    auto next = [&]() -> Result<std::optional<Line>> {
        if (r.lines.size() >= kMaxReplyLines) {
            return Error{"the reply has more than " + std::to_string(kMaxReplyLines) + " lines", stream_->peer()};
        }
        auto l = line(deadline);
        if (!l) return l.error();
        if (!*l) {
            r.closed = true;
            return l;
        }
        const Line& x = **l;
        if (on_line) on_line(std::string_view(x.text + (x.bare_lf ? "\n" : "\r\n")));
        if (x.bare_lf && x.octets > x.text.size()) {
            r.problems.push_back("line " + std::to_string(r.lines.size() + 1) + " ends in a bare LF, not CRLF");
        }
        r.lines.push_back(x.text);
        r.octets.push_back(x.octets);
        return l;
    };

    if (spec.protocol == Protocol::Smtp) {
        for (;;) {
            auto l = next();
            if (!l) return l.error();
            if (!*l) break;
            const std::string& t = (*l)->text;
            const std::size_t n = r.lines.size();
            if (!digits3(t) || (t.size() > 3 && t[3] != ' ' && t[3] != '-')) {
                r.problems.push_back("line " + std::to_string(n) + " is not 'ddd text' or 'ddd-text': '" + t.substr(0, 60) + "'");
                if (n == 1) r.code = 0;
                break;
            }
            const int code = std::stoi(t.substr(0, 3));
            if (n == 1) {
                r.code = code;
            } else if (code != r.code) {
                r.problems.push_back("line " + std::to_string(n) + " carries code " + std::to_string(code) + ", not " +
                                     std::to_string(r.code) + " (RFC 5321 §4.2: one code per reply)");
            }
            if (t.size() == 3 || t[3] == ' ') break;
        }
        return r;
    }

    if (spec.protocol == Protocol::Pop3) {
        auto l = next();
        if (!l) return l.error();
        if (!*l) return r;
        const std::string& t = (*l)->text;
        const std::string w = first_word(t);
        if (w == "+OK" || w == "-ERR") {
            r.status = w;
        } else {
            r.problems.push_back("the status is not exactly +OK or -ERR: '" + t.substr(0, 60) + "'");
            if (w.size() >= 3 && (w[0] == '+' || w[0] == '-')) {
                std::string up = w;
                for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                if (up == "+OK" || up == "-ERR") r.status = up;
            }
        }
        if (!spec.pop3_multiline || r.status != "+OK") return r;
        for (;;) {
            auto b = next();
            if (!b) return b.error();
            if (!*b) {
                r.problems.push_back("the connection closed before the multi-line response's '.' line");
                return r;
            }
            const std::string& bt = (*b)->text;
            if (bt == ".") return r;
            r.body += (!bt.empty() && bt[0] == '.') ? bt.substr(1) : bt;
            r.body += "\r\n";
            if (r.body.size() > kMaxBodyOctets) {
                return Error{"the multi-line response is longer than " + std::to_string(kMaxBodyOctets) + " octets",
                             stream_->peer()};
            }
        }
    }

    // IMAP
    if (!spec.imap_tag.empty()) {
        auto st = stashed_tagged_.find(spec.imap_tag);
        if (st != stashed_tagged_.end()) {
            r.lines.push_back(st->second);
            r.octets.push_back(st->second.size() + 2);
            r.tagged = st->second;
            stashed_tagged_.erase(st);
            const std::string rest = r.tagged.substr(r.tagged.find(' ') + 1);
            r.status = first_word(rest);
            return r;
        }
    }
    // A timeout while waiting for `imap_tag` when a command sent after it has
    // already been completed: the response is missing, not slow (§2.2.2).
    auto overtaken = [&]() -> std::optional<std::string> {
        if (spec.imap_tag.empty()) return std::nullopt;
        auto mine = std::find(sent_tags_.rbegin(), sent_tags_.rend(), spec.imap_tag);
        if (mine == sent_tags_.rend()) return std::nullopt;
        for (auto later = sent_tags_.rbegin(); later != mine; ++later) {
            if (stashed_tagged_.count(*later)) return *later;
        }
        return std::nullopt;
    };
    for (;;) {
        auto l = next();
        if (!l) {
            if (auto later = overtaken()) {
                r.problems.push_back("no tagged response to " + spec.imap_tag + ", though " + *later +
                                     ", sent after it, was completed (RFC 3501 §2.2.2: one per command)");
                return r;
            }
            return l.error();
        }
        if (!*l) return r;
        // Literals: the line goes on after n octets (RFC 3501 §4.3).
        for (;;) {
            std::string& cur = r.lines.back();
            auto n = trailing_literal(cur);
            if (!n) break;
            if (*n > kMaxLiteralOctets) {
                return Error{"the server announced a literal of " + std::to_string(*n) + " octets (more than " +
                                 std::to_string(kMaxLiteralOctets) + ")",
                             stream_->peer()};
            }
            auto lit = octets(*n, deadline);
            if (!lit) return lit.error();
            if (!*lit) {
                r.closed = true;
                return r;
            }
            if (on_line) on_line(**lit);
            r.body += **lit;
            if (r.body.size() > kMaxBodyOctets) {
                return Error{"the literals of one reply exceed " + std::to_string(kMaxBodyOctets) + " octets",
                             stream_->peer()};
            }
            auto rest = line(deadline);
            if (!rest) return rest.error();
            if (!*rest) {
                r.closed = true;
                return r;
            }
            if (on_line) on_line((*rest)->text + "\r\n");
            cur += **lit;
            cur += (*rest)->text;
            r.octets.back() += (*rest)->octets + *n;
        }
        const std::string t = r.lines.back();
        if (t.starts_with("* ") || t == "*") {
            r.untagged.push_back(t.size() > 2 ? t.substr(2) : "");
            if (spec.imap_tag.empty() && !spec.imap_continuation) {
                const std::string w = first_word(r.untagged.back());
                if (w == "OK" || w == "NO" || w == "BAD" || w == "PREAUTH" || w == "BYE") r.status = w;
                return r;  // one untagged line (the greeting)
            }
            continue;
        }
        if (t.starts_with("+")) {
            if (spec.imap_continuation) {
                r.continuation = true;
                return r;
            }
            r.problems.push_back("unexpected continuation request: '" + t.substr(0, 60) + "'");
            continue;
        }
        const std::string tag = first_word(t);
        const std::string rest = t.size() > tag.size() ? t.substr(tag.size() + 1) : "";
        if (spec.imap_continuation || tag == spec.imap_tag) {
            r.tagged = t;
            r.status = first_word(rest);
            return r;
        }
        if (spec.imap_tag.empty()) {
            r.problems.push_back("a tagged line where an untagged one was expected: '" + t.substr(0, 60) + "'");
            return r;
        }
        // Another command's completion, read ahead of its expect step.
        r.lines.pop_back();
        r.octets.pop_back();
        stashed_tagged_[tag] = t;
    }
}

Result<TlsInfo> Conn::start_tls(const TlsStart& how) {
    auto r = stream_->start_tls(how);
    if (!r) {
        closed_ = true;
        return r;
    }
    buf_.clear();
    off_ = 0;
    stashed_tagged_.clear();
    sent_tags_.clear();
    tls_ = true;
    return r;
}

std::string Conn::read_for(Duration d, bool& closed) {
    std::string got = buf_.substr(off_);
    buf_.clear();
    off_ = 0;
    const Time until = clock_.now() + d;
    while (!closed_) {
        const Time now = clock_.now();
        if (now >= until) break;
        ReadResult r = stream_->read(until - now);
        got += r.data;
        if (r.closed) closed_ = true;
    }
    closed = closed_;
    return got;
}

Result<std::string> Conn::wait_close(Duration timeout) {
    std::string got = buf_.substr(off_);
    buf_.clear();
    off_ = 0;
    const Time until = clock_.now() + timeout;
    while (!closed_) {
        const Time now = clock_.now();
        if (now >= until) return Error{"the server did not close the connection within " + format_duration(timeout), stream_->peer()};
        ReadResult r = stream_->read(until - now);
        got += r.data;
        if (got.size() > kMaxReplyLineOctets) break;
        if (r.closed) closed_ = true;
    }
    return got;
}

}  // namespace postino::conformance
