// command.cpp — SMTP verb table (RFC 5321 §4.1.1, §4.5.1, §4.2.4).
#include "proto/smtp/command.hpp"

#include <array>

namespace postino::smtp {
namespace {

struct VerbSpec {
    std::string_view name;
    Verb verb;
    bool implemented;
};

constexpr std::array<VerbSpec, 20> kVerbs{{
    {"EHLO", Verb::Ehlo, true},  {"HELO", Verb::Helo, true},  {"MAIL", Verb::Mail, true},
    {"RCPT", Verb::Rcpt, true},  {"DATA", Verb::Data, true},  {"RSET", Verb::Rset, true},
    {"NOOP", Verb::Noop, true},  {"VRFY", Verb::Vrfy, true},  {"HELP", Verb::Help, true},
    {"QUIT", Verb::Quit, true},  {"EXPN", Verb::Expn, false}, {"STARTTLS", Verb::Starttls, false},
    {"AUTH", Verb::Auth, false}, {"BDAT", Verb::Bdat, false}, {"ETRN", Verb::Etrn, false},
    {"TURN", Verb::Turn, false}, {"ATRN", Verb::Atrn, false}, {"SEND", Verb::Send, false},
    {"SOML", Verb::Soml, false}, {"SAML", Verb::Saml, false},
}};

// Longest token kept for traces: every verb above is at most 8 letters.
constexpr std::size_t kMaxTokenOctets = 16;

}  // namespace

std::string_view verb_name(Verb v) {
    for (const auto& s : kVerbs) {
        if (s.verb == v) return s.name;
    }
    return {};
}

Verb lookup_verb(std::string_view token) {
    for (const auto& s : kVerbs) {
        if (s.name.size() != token.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < token.size() && same; ++i) {
            char c = token[i];
            if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            same = c == s.name[i];
        }
        if (same) return s.verb;
    }
    return Verb::Unknown;
}

bool implemented(Verb v) {
    for (const auto& s : kVerbs) {
        if (s.verb == v) return s.implemented;
    }
    return false;
}

CommandLine split_command(std::string_view line) {
    CommandLine c;
    const std::size_t sp = line.find(' ');
    const std::string_view token = line.substr(0, sp);
    c.verb = lookup_verb(token);
    c.token = token.substr(0, kMaxTokenOctets);
    for (char& ch : c.token) {
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
    }
    if (sp != std::string_view::npos) {
        c.has_space = true;
        c.args = line.substr(sp + 1);
    }
    return c;
}

}  // namespace postino::smtp
