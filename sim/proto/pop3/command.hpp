// command.hpp — POP3 command keywords and arguments (RFC 1939 §3, §4–7;
// RFC 2449 §5 CAPA; RFC 2595 §4 STLS).
//
// A command is a case-insensitive keyword of three or four characters,
// then arguments separated by a single SP (§3). PASS takes the rest of the
// line as one argument, spaces included (§7, "a POP3 server may treat
// spaces in the argument as part of the password").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postino::pop3 {

enum class Verb : std::uint8_t {
    Unknown,
    User, Pass, Apop, Quit,                // AUTHORIZATION (§4, §7); QUIT in both states
    Stat, List, Retr, Dele, Noop, Rset,   // TRANSACTION (§5)
    Top, Uidl,                             // optional (§7)
    Capa,                                  // RFC 2449 §5, any state
    Stls,                                  // RFC 2595 §4, AUTHORIZATION only
};

const char* verb_name(Verb v);
// Case-insensitive lookup of a keyword ("uidl" → Uidl).
Verb lookup_verb(std::string_view keyword);

struct CommandLine {
    Verb verb = Verb::Unknown;
    std::string keyword;            // as written (for unknown keywords)
    std::vector<std::string> args;  // split at single SPs; PASS: one argument, the rest of the line
    bool empty_argument = false;    // two SPs in a row, or a trailing SP (§3: single SP separators)
};

// Splits a command line (without its CRLF).
CommandLine split_command(std::string_view line);

// A message-number argument (§5): decimal, 1-based, at most
// kMaxMessageNumberDigits digits. nullopt when malformed or 0.
std::optional<std::uint32_t> parse_message_number(std::string_view s);
// A non-negative decimal line count for TOP (§7).
std::optional<std::uint64_t> parse_count(std::string_view s);

}  // namespace postino::pop3
