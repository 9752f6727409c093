// transcript.cpp — the golden transcript format (docs/transcript-format.md).
#include "proto/smtp/transcript.hpp"

namespace postino::smtp {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool printable_line(std::string_view s) {
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || u >= 0x80) return false;
    }
    // Trailing spaces would not survive editors; a leading space is ambiguous.
    return s.empty() || (s.back() != ' ' && s.front() != ' ');
}

}  // namespace

Result<std::string> unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out.push_back(s[i]);
            continue;
        }
        if (i + 1 >= s.size()) return Error{"backslash at the end of the line", std::to_string(i)};
        const char e = s[++i];
        switch (e) {
            case 'r':
                out.push_back('\r');
                break;
            case 'n':
                out.push_back('\n');
                break;
            case 't':
                out.push_back('\t');
                break;
            case '0':
                out.push_back('\0');
                break;
            case '\\':
                out.push_back('\\');
                break;
            case 'x': {
                if (i + 2 >= s.size()) return Error{"\\x needs two hex digits", std::to_string(i)};
                const int hi = hex_value(s[i + 1]);
                const int lo = hex_value(s[i + 2]);
                if (hi < 0 || lo < 0) return Error{"\\x needs two hex digits", std::to_string(i)};
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                break;
            }
            default:
                return Error{std::string("unknown escape \\") + e, std::to_string(i)};
        }
    }
    return out;
}

std::string escape(std::string_view bytes) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '\r':
                out += "\\r";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\0':
                out += "\\0";
                break;
            case '\\':
                out += "\\\\";
                break;
            default:
                if (u < 0x20 || u >= 0x7f) {
                    out += "\\x";
                    out.push_back(kHex[u >> 4]);
                    out.push_back(kHex[u & 15]);
                } else {
                    out.push_back(c);
                }
        }
    }
    return out;
}

std::string format_transcript_line(char who, std::string_view bytes) {
    if (bytes.size() >= 2 && bytes.substr(bytes.size() - 2) == "\r\n") {
        const std::string_view text = bytes.substr(0, bytes.size() - 2);
        if (printable_line(text))
            return text.empty() ? std::string(1, who) + ":" : std::string(1, who) + ": " + std::string(text);
    }
    return std::string(1, who) + "| " + escape(bytes);
}

Result<Transcript> parse_transcript(std::string_view text, std::string_view name) {
    Transcript t;
    int lineno = 0;
    auto where = [&] {
        return (name.empty() ? std::string("line ") : std::string(name) + ":") + std::to_string(lineno);
    };
    while (!text.empty()) {
        ++lineno;
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty() || line.front() == '#') continue;

        if (line.front() == '@') {
            const std::size_t sp = line.find(' ');
            const std::string_view dir = line.substr(1, sp == std::string_view::npos ? std::string_view::npos : sp - 1);
            const std::string_view arg = sp == std::string_view::npos ? std::string_view{} : line.substr(sp + 1);
            auto key_value = [&](std::vector<std::pair<std::string, std::string>>& into) -> Status {
                const std::size_t ksp = arg.find(' ');
                if (arg.empty()) return Error{"@" + std::string(dir) + " needs a key", where()};
                into.emplace_back(std::string(arg.substr(0, ksp)),
                                  ksp == std::string_view::npos ? std::string() : std::string(arg.substr(ksp + 1)));
                return {};
            };
            TranscriptStep step;
            step.line = lineno;
            if (dir == "role") {
                if (arg != "server" && arg != "client") return Error{"@role is server or client", where()};
                t.role = std::string(arg);
            } else if (dir == "set") {
                if (Status s = key_value(t.settings); !s) return s.error();
            } else if (dir == "policy") {
                if (Status s = key_value(t.policy); !s) return s.error();
            } else if (dir == "eof") {
                step.kind = TranscriptStep::Kind::Eof;
                t.steps.push_back(step);
            } else if (dir == "timeout") {
                step.kind = TranscriptStep::Kind::Timeout;
                t.steps.push_back(step);
            } else if (dir == "close") {
                step.kind = TranscriptStep::Kind::Close;
                t.steps.push_back(step);
            } else if (dir == "tls") {
                step.kind = TranscriptStep::Kind::Tls;
                t.steps.push_back(step);
            } else if (dir == "wait") {
                Result<Duration> d = parse_duration(arg);
                if (!d) return Error{"@wait: " + d.error().message(), where()};
                step.kind = TranscriptStep::Kind::Wait;
                step.wait = *d;
                t.steps.push_back(step);
            } else if (dir == "message" || dir == "txn") {
                // Addresses may hold any octet: the argument is escaped text.
                Result<std::string> u = unescape(arg);
                if (!u) return Error{u.error().what, where()};
                if (dir == "message") {
                    t.messages.push_back({std::move(*u), "", lineno});
                } else {
                    t.txns.push_back({std::move(*u), "", lineno});
                }
            } else if (dir == "expect") {
                t.expects.emplace_back(arg);
            } else {
                return Error{"unknown directive @" + std::string(dir), where()};
            }
            continue;
        }

        if (line.size() < 2 || (line[1] != ':' && line[1] != '|')) {
            return Error{"expected `C:`, `S:`, `M:`, `B:` (or `|`), `@directive` or `#`", where()};
        }
        const char who = line[0];
        const bool raw = line[1] == '|';
        std::string_view body = line.substr(2);
        if (!body.empty()) {
            if (body.front() != ' ') return Error{"a space must follow the prefix", where()};
            body.remove_prefix(1);
        }
        std::string bytes;
        if (raw) {
            Result<std::string> u = unescape(body);
            if (!u) return Error{u.error().what, where()};
            bytes = std::move(*u);
        } else {
            bytes = std::string(body) + "\r\n";
        }
        switch (who) {
            case 'C':
            case 'S': {
                TranscriptStep step;
                step.kind = who == 'C' ? TranscriptStep::Kind::Client : TranscriptStep::Kind::Server;
                step.bytes = std::move(bytes);
                step.line = lineno;
                t.steps.push_back(std::move(step));
                break;
            }
            case 'M':
                if (t.messages.empty()) return Error{"M line before any @message", where()};
                t.messages.back().content += bytes;
                break;
            case 'B':
                if (t.txns.empty()) return Error{"B line before any @txn", where()};
                t.txns.back().content += bytes;
                break;
            default:
                return Error{std::string("unknown line prefix '") + who + "'", where()};
        }
    }
    return t;
}

}  // namespace postino::smtp
