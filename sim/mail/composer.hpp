// composer.hpp — what the user agent sends: text, HTML, attachments.
//
// RFC 5322 §3.6 (Date, From, To, Cc, Subject, Message-ID), RFC 2045 §4 and
// §6 (MIME-Version; choosing a Content-Transfer-Encoding), RFC 2046 §4.1.1
// (text in canonical CRLF form), §5.1.3 (multipart/mixed for attachments),
// §5.1.4 (multipart/alternative for text + HTML, plainest first), RFC 2183
// (Content-Disposition: attachment; filename), RFC 2231 (non-ASCII file
// names), RFC 2047 (non-ASCII subjects and display names).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/rng.hpp"
#include "core/time.hpp"
#include "mail/address.hpp"
#include "mail/content_type.hpp"
#include "mail/date.hpp"
#include "mail/header.hpp"

namespace postino::mail {

struct EncodingChoice {
    TransferEncoding encoding = TransferEncoding::seven_bit;
    std::string charset;  // for text: "us-ascii" or "utf-8"; empty for binary
    std::string reason;   // one sentence, as a teacher would say it
};

// The transfer encoding a careful user agent picks (text is UTF-8 here):
// 7bit for ASCII text whose lines fit in 78 octets; quoted-printable for text
// with a few octets outside ASCII (or long lines), while that is no longer
// than base64; base64 for the rest and for anything that is not text.
EncodingChoice choose_encoding(std::string_view data, bool is_text);

// Converts CR, LF and CRLF line ends to CRLF (RFC 2046 §4.1.1).
std::string to_crlf(std::string_view text);

struct Attachment {
    std::string filename;      // UTF-8
    std::string content_type;  // e.g. "application/pdf"; empty: application/octet-stream
    std::string data;          // for "message/rfc822": a whole message, CRLF, sent unencoded
};

struct Draft {
    NamedMailbox from;
    std::vector<Address> to;
    std::vector<Address> cc;
    std::string subject;              // UTF-8
    std::string text;                 // UTF-8, any line ends
    std::optional<std::string> html;  // UTF-8
    std::vector<Attachment> attachments;
    std::vector<HeaderField> extra_fields;  // added after Message-ID
};

struct Composed {
    std::string bytes;
    std::string message_id;
    // The encoding chosen for each leaf, in order, with the reason (for the
    // lecture narration and the visualizer).
    std::vector<EncodingChoice> choices;
};

// Message-ID and boundaries are drawn from `rng` (the user agent's stream),
// the Date is `now` in `date`'s calendar.
Result<Composed> compose(const Draft& draft, Rng& rng, std::string_view host, Time now, const DateContext& date = {});

}  // namespace postino::mail
