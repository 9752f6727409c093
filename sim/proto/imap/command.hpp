// command.hpp — an IMAP command as the server engine sees it, and the strict
// parser that turns a framed command (framer.hpp) into one.
//
// RFC 3501 §6 (the commands and their arguments), §9 (formal syntax: tag,
// atom, quoted, literal, astring, flag, date-time, fetch-att, section,
// search-key, status-att, sequence-set), RFC 7888 §3 ("{n+}" literals),
// RFC 2177 (IDLE), RFC 6851 (MOVE), RFC 3691 (UNSELECT), RFC 2342
// (NAMESPACE), RFC 4959 (SASL-IR initial response). Strict: anything the
// grammar does not allow is an error naming the octet offset and what was
// expected; nothing is guessed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "proto/imap/sequence_set.hpp"

namespace postino::imap {
struct ServerFaults;  // faults.hpp
}

namespace postino::imap {

// BODY[<section>] (RFC 3501 §6.4.5).
struct Section {
    enum class Text : std::uint8_t { All, Header, HeaderFields, HeaderFieldsNot, Text, Mime };
    std::vector<std::uint32_t> parts;  // "1.2" → {1, 2}; empty: the whole message
    Text text = Text::All;
    std::vector<std::string> fields;   // HEADER.FIELDS (.NOT), upper-cased
    friend bool operator==(const Section&, const Section&) = default;
};
// "1.2.HEADER.FIELDS (FROM TO)" as it appears in a FETCH response.
std::string format_section(const Section& s);

struct Partial {
    std::uint32_t offset = 0;
    std::uint32_t count = 0;
    friend bool operator==(const Partial&, const Partial&) = default;
};

struct FetchItem {
    enum class Kind : std::uint8_t {
        Flags, Uid, InternalDate, Rfc822Size, Envelope, Body, BodyStructure,
        Section,  // BODY[...] / BODY.PEEK[...]
        Rfc822, Rfc822Header, Rfc822Text,
    };
    Kind kind = Kind::Flags;
    Section section;
    bool peek = false;
    std::optional<Partial> partial;
    friend bool operator==(const FetchItem&, const FetchItem&) = default;
};

// A dd-Mon-yyyy date of SEARCH (RFC 3501 §9 date), as days since 1970-01-01.
using Day = std::int64_t;

struct SearchKey {
    enum class Kind : std::uint8_t {
        All, Answered, Deleted, Draft, Flagged, New, Old, Recent, Seen,
        Unanswered, Undeleted, Undraft, Unflagged, Unseen,
        Keyword, Unkeyword,                             // text: the keyword
        Bcc, Body, Cc, From, Subject, Text, To,         // text: the substring
        Header,                                         // field + text
        Before, On, Since, SentBefore, SentOn, SentSince,  // day
        Larger, Smaller,                                // number
        Uid, Sequence,                                  // set
        Not, Or, And,                                   // children
    };
    Kind kind = Kind::All;
    std::string text;
    std::string field;
    Day day = 0;
    std::uint32_t number = 0;
    SequenceSet set;
    std::vector<SearchKey> children;
};

// RFC 3501 §9 date-time of APPEND: the instant and the zone it was written in.
struct DateTimeArg {
    std::int64_t unix_seconds = 0;
    int zone_minutes = 0;
};

struct Command {
    std::string tag;
    std::string name;  // upper case: "FETCH", "UID FETCH" is name "FETCH" with uid
    bool uid = false;

    std::vector<std::string> args;  // astrings/mailboxes in order (LOGIN, SELECT, RENAME, LIST, COPY…)
    SequenceSet set;                // FETCH, STORE, COPY, MOVE
    std::vector<FetchItem> fetch;   // FETCH (macros expanded)
    std::string macro;              // "ALL", "FAST", "FULL" when one was given
    enum class StoreMode : std::uint8_t { Replace, Add, Remove };
    StoreMode store_mode = StoreMode::Replace;  // STORE
    bool silent = false;                        // STORE .SILENT
    std::vector<std::string> flags;             // STORE, APPEND
    std::optional<DateTimeArg> date;            // APPEND
    std::string message;                        // APPEND literal
    std::optional<std::string> charset;         // SEARCH CHARSET
    SearchKey search;                           // SEARCH (an And of the keys)
    std::vector<std::string> status_items;      // STATUS, upper-cased
    std::optional<std::string> initial_response;  // AUTHENTICATE (SASL-IR)
};

struct ParseError {
    enum class Kind : std::uint8_t {
        BadTag,          // no usable tag: answered "* BAD"
        UnknownCommand,  // "tag BAD"
        BadSyntax,       // "tag BAD"
    };
    Kind kind = Kind::BadSyntax;
    std::string tag;     // "" for BadTag
    std::string name;    // the command name when known
    std::size_t offset = 0;
    std::string what;
};

// Either a command or why it is not one. `framed` is a command as
// CommandFramer returned it: lines joined by CRLF, literals in place.
struct ParseOutcome {
    std::optional<Command> command;
    ParseError error;
};
// `faults`: the engine's deliberate parser defects (faults.hpp), or none.
ParseOutcome parse_command(std::string_view framed, const ServerFaults* faults = nullptr);

// Helpers the engine shares with the parser.
bool is_atom_char(char c);
// A string in the shortest correct form: atom-safe astring, quoted, or literal.
std::string quote_astring(std::string_view s);
std::string quote_string(std::string_view s);  // quoted or literal, never an atom
std::string nstring(const std::optional<std::string>& s);
// Days since 1970-01-01 of a civil date (proleptic Gregorian).
Day days_from_civil(std::int64_t y, int m, int d);

}  // namespace postino::imap
