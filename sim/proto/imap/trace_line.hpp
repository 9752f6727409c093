// trace_line.hpp — IMAP server engine events as trace events (DESIGN.md
// §2.3, docs/trace-format.md, kinds "line" and "proto").
//
// A command becomes one "line" event with proto "imap", dir "recv", its
// octets (literals included, the first kMaxTraceOctets) and "verb" (the
// command name, "UID FETCH" for a UID command). Each response the server
// writes becomes one "line" event with dir "send" and "status" (the
// condition of a tagged or untagged OK/NO/BAD/BYE/PREAUTH, "+" for a
// continuation). Logins and failed logins become "proto" events (ev "login",
// "auth-failure"). The host stamps time and sequence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.hpp"
#include "proto/imap/events.hpp"

namespace postino::imap {

// `is_server`: commands are received and responses sent; else the reverse.
std::vector<trace::Event> trace_events(const Event& event, const std::string& host, const std::string& peer,
                                       std::uint64_t conn, bool is_server = true);

// "OK", "NO", "BAD", "BYE", "PREAUTH", "+" or "" (data) of one response.
std::string response_status(std::string_view raw);

}  // namespace postino::imap
