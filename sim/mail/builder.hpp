// builder.hpp — assembling MIME entities for sending.
//
// RFC 2046 §5.1.1 (a multipart body: "--boundary" CRLF, each part, CRLF
// "--boundary--"; the boundary must not occur in any part), RFC 2045 §4
// (MIME-Version) and §6 (each leaf carries its encoded body). The boundary
// is drawn from the caller's RNG stream, so the same run gives the same
// bytes; it starts with "=_", which neither base64 nor quoted-printable can
// produce, and is checked against the parts anyway.
#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/rng.hpp"
#include "mail/content_type.hpp"
#include "mail/header.hpp"

namespace postino::mail {

struct BuiltPart {
    Header fields;                   // Content-Type etc. (no boundary: filled in by serialize)
    ContentType type;                // written as the Content-Type field
    std::string body;                // leaves: the body, already transfer-encoded
    std::vector<BuiltPart> children; // multiparts: the parts
};

// The entity's bytes: its fields (Content-Type first), a blank line, the
// body. Multipart boundaries are drawn from `rng` ("=_" + 24 hex digits).
Result<std::string> serialize_part(const BuiltPart& part, Rng& rng);

// As serialize_part, with `top` fields (Date, From, ...) before the MIME ones.
Result<std::string> serialize_message(const Header& top, const BuiltPart& part, Rng& rng);

}  // namespace postino::mail
