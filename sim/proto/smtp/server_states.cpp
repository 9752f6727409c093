// server_states.cpp — the command-sequence table (RFC 5321 §4.1.4, §3.1; RFC 3207 §4).
#include "proto/smtp/server_states.hpp"

#include <array>

namespace postino::smtp {
namespace {

// A bit per state in which a verb may run.
constexpr std::uint8_t bit(ServerState s) { return static_cast<std::uint8_t>(1U << static_cast<unsigned>(s)); }
constexpr std::uint8_t kGreeted = bit(ServerState::Ready) | bit(ServerState::Mail) | bit(ServerState::Rcpt);
constexpr std::uint8_t kAnyOpen = kGreeted | bit(ServerState::Connected);

struct Rule {
    Verb verb;
    std::uint8_t allowed;
    std::string_view before_helo;  // 503 text in Connected
    std::string_view otherwise;    // 503 text in the other states
};

constexpr std::array<Rule, 12> kRules{{
    {Verb::Ehlo, kAnyOpen, "", ""},
    {Verb::Helo, kAnyOpen, "", ""},
    {Verb::Mail, bit(ServerState::Ready), "Error: send HELO/EHLO first", "Error: nested MAIL command"},
    {Verb::Rcpt, bit(ServerState::Mail) | bit(ServerState::Rcpt), "Error: send HELO/EHLO first",
     "Error: need MAIL command"},
    {Verb::Data, bit(ServerState::Rcpt), "Error: send HELO/EHLO first", "Error: need RCPT command"},
    {Verb::Rset, kAnyOpen, "", ""},
    {Verb::Noop, kAnyOpen, "", ""},
    {Verb::Vrfy, kAnyOpen, "", ""},
    {Verb::Help, kAnyOpen, "", ""},
    {Verb::Quit, kAnyOpen | bit(ServerState::Refused), "", ""},
    // RFC 4954 §4: not during a mail transaction.
    {Verb::Auth, bit(ServerState::Ready), "Error: send EHLO first", "Error: MAIL transaction in progress"},
    // RFC 3207 §4: an EHLO extension, so after EHLO; it resets the session, so not inside a transaction.
    {Verb::Starttls, bit(ServerState::Ready), "Error: send HELO/EHLO first", "Error: MAIL transaction in progress"},
}};

}  // namespace

const char* to_string(ServerState s) {
    switch (s) {
        case ServerState::Start:
            return "start";
        case ServerState::Refused:
            return "refused";
        case ServerState::Connected:
            return "connected";
        case ServerState::Ready:
            return "ready";
        case ServerState::Mail:
            return "mail";
        case ServerState::Rcpt:
            return "rcpt";
        case ServerState::Data:
            return "data";
        case ServerState::Closed:
            return "closed";
    }
    return "?";
}

std::string_view sequence_error(ServerState state, Verb verb) {
    if (state == ServerState::Refused && verb != Verb::Quit) return "Error: service refused to this client, send QUIT";
    for (const auto& r : kRules) {
        if (r.verb != verb) continue;
        if (r.allowed & bit(state)) return {};
        if (state == ServerState::Connected) return r.before_helo;
        if (verb == Verb::Data && state == ServerState::Ready) return "Error: need MAIL command";
        return r.otherwise;
    }
    return "Error: bad sequence of commands";
}

}  // namespace postino::smtp
