// response_parser.hpp — the client side's reading of IMAP server responses:
// a framed response (framer.hpp frames responses too: their literals
// "{n}" are announced the same way, without "+") parsed into values.
//
// RFC 3501 §7 (responses: "+" continuation, "*" untagged, tagged; status
// OK/NO/BAD/PREAUTH/BYE with an optional [code]; "* n FETCH (...)"), §9
// (values: atoms, numbers, quoted strings, literals, NIL, parenthesized
// lists; a FETCH item name like BODY[HEADER.FIELDS (FROM)]<0> is one atom).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace postino::imap {

struct Value {
    enum class Kind : std::uint8_t { Atom, String, Nil, List };
    Kind kind = Kind::Atom;
    std::string text;           // Atom, String
    std::vector<Value> items;   // List
    [[nodiscard]] bool is_list() const { return kind == Kind::List; }
};

struct ServerResponse {
    enum class Kind : std::uint8_t { Continuation, Untagged, Tagged };
    Kind kind = Kind::Untagged;
    std::string tag;                    // Tagged
    std::string status;                 // OK, NO, BAD, BYE, PREAUTH (upper case), or "" for data
    std::optional<std::uint32_t> number;  // "* 3 EXISTS", "* 3 FETCH"
    std::string name;                   // EXISTS, RECENT, EXPUNGE, FETCH, FLAGS, SEARCH, LIST, CAPABILITY...
    std::string code;                   // the [code] of a status response, without brackets
    std::string text;                   // the rest of the line
    Value data;                         // FETCH: the item list
};

Result<ServerResponse> parse_response(std::string_view framed);
// A FETCH item list as name → value pairs ("UID", "RFC822.SIZE", "BODY[1]").
const Value* fetch_item(const Value& list, std::string_view name);

}  // namespace postino::imap
