// path.hpp — the RFC 5321 address grammar: paths, mailboxes, domains and
// address literals, producing postino::mail::Mailbox.
//
// RFC 5321 §4.1.2 (Reverse-path, Forward-path, Path with the deprecated
// source route A-d-l, Mailbox, Local-part as Dot-string or Quoted-string,
// Domain, address-literal), §4.1.3 (IPv4, IPv6 and general address
// literals), §4.1.1.3 (`<Postmaster>` without a domain), §4.5.3.1.1–.3
// (64/255/256-octet limits, from mail/mailbox.hpp); RFC 6531 §3.3 (UTF-8 in
// local parts and domains when SMTPUTF8 is in use); RFC 1035 §2.3.4 (63-octet
// labels).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mail/mailbox.hpp"

namespace postino::smtp {

enum class PathError : std::uint8_t {
    None,
    Syntax,            // not a path per §4.1.2
    LocalPartTooLong,  // > kMaxLocalPartOctets (§4.5.3.1.1)
    DomainTooLong,     // > kMaxDomainOctets (§4.5.3.1.2)
    PathTooLong,       // > kMaxPathOctets including the brackets (§4.5.3.1.3)
    NonAscii,          // an octet >= 0x80 without SMTPUTF8 (RFC 6531 §3.2)
};
const char* describe(PathError e);

struct PathOptions {
    bool allow_utf8 = false;              // the transaction uses SMTPUTF8 (RFC 6531)
    bool allow_missing_brackets = false;  // leniency: `MAIL FROM:user@host` (not RFC 5321)
};

struct ParsedPath {
    mail::Mailbox mailbox;   // empty for the null reverse-path "<>"
    bool null = false;       // the path was "<>"
    std::string route;       // deprecated source route ("@a,@b"), ignored per §4.1.2 / Appendix C
    bool bracketed = true;   // false only under allow_missing_brackets
    bool non_ascii = false;  // contains UTF-8 (only possible with allow_utf8)
};

struct PathParse {
    PathError error = PathError::None;
    ParsedPath path;
    std::size_t consumed = 0;  // octets of the input that form the path
};

// `Reverse-path = Path / "<>"` at the start of `s` (the rest is left for the
// parameters).
PathParse parse_reverse_path(std::string_view s, const PathOptions& opt = {});
// `Forward-path = Path`, plus the §4.1.1.3 special case `<Postmaster>`
// (any case) with no domain.
PathParse parse_forward_path(std::string_view s, const PathOptions& opt = {});

// `Domain = sub-domain *("." sub-domain)` (§4.1.2), labels of at most 63
// octets, whole name at most 255.
bool valid_domain(std::string_view s, bool allow_utf8 = false);
// `address-literal = "[" ( IPv4 / IPv6 / General ) "]"` (§4.1.3).
bool valid_address_literal(std::string_view s);
// `Local-part = Dot-string / Quoted-string` (§4.1.2), at most 64 octets.
bool valid_local_part(std::string_view s, bool allow_utf8 = false);
// A Mailbox as a client may send it: valid local part and domain (or
// literal). Used by the client engine before it writes an address.
bool valid_mailbox(const mail::Mailbox& m, bool allow_utf8 = false);
// True when any octet is >= 0x80.
bool has_non_ascii(std::string_view s);

// "<local@domain>", or "<>" for the empty mailbox.
std::string format_path(const mail::Mailbox& m);

}  // namespace postino::smtp
