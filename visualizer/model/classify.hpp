// classify.hpp — what one trace event means for the pictures: its kind,
// protocol category, flags (failure, bounce, retry, lost), the important-event
// mark it carries on its own, and a short label ("MAIL FROM:<a@b>",
// "250 2.1.0 Ok", "SYN,ACK seq=0 ack=1"). Context-free: marks that need the
// rest of the trace (which side opened a connection) are added by the loader.
#pragma once

#include <string>
#include <string_view>

#include "core/trace.hpp"
#include "model/types.hpp"

namespace postino::viz {

struct EventClass {
    Kind kind = Kind::note;
    Cat cat = Cat::note;
    Mark mark = Mark::none;
    std::uint16_t flags = 0;
};

// Classifies a valid event (the reader has checked its kind and fields).
EventClass classify(const trace::Event& e);

// The short label drawn on the event's arrow or marker.
std::string label_of(const trace::Event& e);

// The category of an application protocol name ("smtp" -> SMTP; others APP).
Cat cat_of_proto(std::string_view proto);

// True when an application line is a negative reply: SMTP/ESMTP 4yz or 5yz
// (RFC 5321 §4.2.1), POP3 "-ERR" (RFC 1939 §3), IMAP "NO"/"BAD" (RFC 3501
// §7.1), HTTP 4xx/5xx status (RFC 9110 §15). `code` is the line's parsed
// reply code when the producer gave one (0 if not).
bool is_negative_reply(std::string_view proto, std::string_view bytes, std::int64_t code);

// SMTP reply code from the first line ("250-..." or "250 ..."), 0 if none.
int smtp_reply_code(std::string_view bytes);

// The first line of some protocol bytes, made visible and cut to `max`
// characters, with "  (+N lines)" when more lines follow.
std::string first_line_label(std::string_view bytes, std::size_t max = 60);

}  // namespace postino::viz
