// command.cpp — POP3 keywords and argument splitting (RFC 1939 §3, §7).
#include "proto/pop3/command.hpp"

#include <array>
#include <utility>

#include "proto/pop3/limits.hpp"

namespace postino::pop3 {
namespace {

constexpr std::array<std::pair<Verb, const char*>, 14> kVerbs{{
    {Verb::User, "USER"}, {Verb::Pass, "PASS"}, {Verb::Apop, "APOP"}, {Verb::Quit, "QUIT"},
    {Verb::Stat, "STAT"}, {Verb::List, "LIST"}, {Verb::Retr, "RETR"}, {Verb::Dele, "DELE"},
    {Verb::Noop, "NOOP"}, {Verb::Rset, "RSET"}, {Verb::Top, "TOP"},   {Verb::Uidl, "UIDL"},
    {Verb::Capa, "CAPA"}, {Verb::Stls, "STLS"},
}};

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

const char* verb_name(Verb v) {
    for (const auto& [verb, name] : kVerbs) {
        if (verb == v) return name;
    }
    return "";
}

Verb lookup_verb(std::string_view keyword) {
    if (keyword.size() < kMinKeywordOctets || keyword.size() > kMaxKeywordOctets) return Verb::Unknown;
    std::string up;
    for (char c : keyword) up.push_back(upper(c));
    for (const auto& [verb, name] : kVerbs) {
        if (up == name) return verb;
    }
    return Verb::Unknown;
}

CommandLine split_command(std::string_view line) {
    CommandLine c;
    const std::size_t sp = line.find(' ');
    c.keyword = std::string(line.substr(0, sp));
    c.verb = lookup_verb(c.keyword);
    if (sp == std::string_view::npos) return c;
    std::string_view rest = line.substr(sp + 1);
    if (c.verb == Verb::Pass) {
        // §7: the whole rest is the password, spaces included.
        if (rest.empty()) c.empty_argument = true;
        c.args.emplace_back(rest);
        return c;
    }
    for (;;) {
        const std::size_t next = rest.find(' ');
        const std::string_view arg = rest.substr(0, next);
        if (arg.empty()) c.empty_argument = true;
        c.args.emplace_back(arg);
        if (next == std::string_view::npos) break;
        rest.remove_prefix(next + 1);
    }
    return c;
}

std::optional<std::uint64_t> parse_count(std::string_view s) {
    if (s.empty() || s.size() > kMaxMessageNumberDigits) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return n;
}

std::optional<std::uint32_t> parse_message_number(std::string_view s) {
    const auto n = parse_count(s);
    if (!n || *n == 0 || *n > 0xffffffffULL) return std::nullopt;
    return static_cast<std::uint32_t>(*n);
}

}  // namespace postino::pop3
