// command.hpp — SMTP command verbs and the split of a command line into verb
// and arguments.
//
// RFC 5321 §4.1.1 (the commands; verbs are case-insensitive, §2.4), §4.5.1
// (the minimum set a server implements), §4.2.4 (500 for an unrecognized
// command, 502 for one recognized but not implemented). The verbs below that
// this server does not implement are still recognized so they get 502.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postino::smtp {

enum class Verb : std::uint8_t {
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Rset,
    Noop,
    Vrfy,
    Help,
    Quit,
    // Recognized, not implemented by this engine (502, RFC 5321 §4.2.4).
    Expn,
    Starttls,
    Auth,
    Bdat,
    Etrn,
    Turn,
    Atrn,
    Send,
    Soml,
    Saml,
    Unknown,
};

// Canonical upper-case name ("MAIL"); "" for Unknown.
std::string_view verb_name(Verb v);
// Case-insensitive lookup of a verb token (§2.4).
Verb lookup_verb(std::string_view token);
bool implemented(Verb v);

struct CommandLine {
    Verb verb = Verb::Unknown;
    std::string token;       // the verb as written, upper-cased (for traces)
    std::string_view args;   // everything after the first SP ("" when none)
    bool has_space = false;  // a SP followed the verb
};

// Splits a command line (CRLF already removed). `args` views into `line`.
CommandLine split_command(std::string_view line);

}  // namespace postino::smtp
