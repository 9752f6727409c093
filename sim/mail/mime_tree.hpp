// mime_tree.hpp — the MIME tree view model shared by the visualizer, IMAP
// and the golden tests.
//
// One PartView per part in document order, numbered as IMAP numbers body
// parts (RFC 3501 §6.4.5, see Part::path), with what RFC 3501 §7.4.2
// BODYSTRUCTURE reports (type, parameters, encoding, size in octets, lines)
// plus the decoded bytes and any leniency the part needed. render_mime_tree()
// prints the tree as readable text (the format of tests/mail/golden/*.tree).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "mail/content_type.hpp"
#include "mail/leniency.hpp"
#include "mail/mime.hpp"

namespace postino::mail {

struct PartView {
    std::string path;
    std::size_t depth = 0;
    PartKind kind = PartKind::leaf;
    std::string mime_type;  // "text/plain"
    MimeParameters params;
    bool type_defaulted = false;
    std::optional<ContentDisposition> disposition;
    std::string encoding;   // "quoted-printable"
    std::size_t size = 0;   // body octets as transmitted
    std::size_t lines = 0;  // body lines
    // Decoded body (leaves; for others the raw body), or the decode error.
    std::string decoded;
    std::optional<Error> decode_error;
    std::string note;       // what a decoder met that is allowed but worth showing
    Leniencies leniencies;  // the part's own and its decoder's
    // For the root and message/rfc822 children: decoded Subject and From.
    std::optional<std::string> subject;
    std::optional<std::string> from;
    std::size_t preamble = 0;  // multipart only
    std::size_t epilogue = 0;
};

std::vector<PartView> mime_tree(const MimeMessage& m, const ParseOptions& options = {});
std::string render_mime_tree(const MimeMessage& m, const ParseOptions& options = {});

}  // namespace postino::mail
