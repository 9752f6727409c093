// message_view.hpp — what FETCH reports about one message: ENVELOPE,
// BODY/BODYSTRUCTURE, BODY[section] octets, INTERNALDATE, and the fields
// SEARCH looks at. Built from the MIME tree of sim/mail (docs/mail.md).
//
// RFC 3501 §7.4.2 (FETCH response: ENVELOPE's ten fields with NIL where a
// field is absent and Sender/Reply-To defaulting to From; BODYSTRUCTURE of
// single parts, multiparts and message/rfc822 with extension data; BODY
// without it), §6.4.5 (section specifiers: part numbers, HEADER,
// HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT, MIME), §9 (date-time of
// INTERNALDATE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"
#include "mail/date.hpp"
#include "mail/mime.hpp"
#include "proto/imap/command.hpp"
#include "proto/imap/faults.hpp"

namespace postino::imap {

// A parsed message. A message the MIME parser refuses even leniently is
// seen as one text/plain part (its header as far as it parses).
class MessageView {
public:
    // Header: only the root header is parsed (enough for envelope(),
    // header_value(), header_octets(), body_octets()); Mime: the whole tree.
    enum class Depth : std::uint8_t { Header, Mime };
    explicit MessageView(std::string bytes, Depth depth = Depth::Mime);

    [[nodiscard]] const std::string& bytes() const { return mime_.raw; }
    // `faults`: the engine's deliberate ENVELOPE defects (faults.hpp), or none.
    [[nodiscard]] std::string envelope(const ServerFaults* faults = nullptr) const;
    // `faults`: the BODYSTRUCTURE defects of faults.hpp (text_no_lines,
    // no_default_charset, multipart_no_subtype, rfc822_part_basic); none by default.
    [[nodiscard]] std::string body_structure(bool extensions, const ServerFaults& faults = {}) const;
    // The octets of a section, or nullopt when the message has no such part.
    [[nodiscard]] std::optional<std::string> section(const Section& s) const;
    // Unfolded value of a root header field ("" when absent).
    [[nodiscard]] std::string header_value(std::string_view name) const;
    [[nodiscard]] std::string_view header_octets() const;
    [[nodiscard]] std::string_view body_octets() const;
    [[nodiscard]] const mail::MimeMessage& mime() const { return mime_; }

private:
    mail::MimeMessage mime_;
};

// Envelope of a header (exposed for tests of single fields).
std::string envelope_of(const mail::Header& h, const ServerFaults* faults = nullptr);

// "17-Jul-1996 02:44:25 -0700" (RFC 3501 §9 date-time, without quotes).
std::string format_internal_date(Time t, const mail::DateContext& ctx);
// The day (days since 1970-01-01) of an instant in a zone.
Day day_of(std::int64_t unix_seconds, int zone_minutes);

}  // namespace postino::imap
