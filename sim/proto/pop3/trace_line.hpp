// trace_line.hpp — POP3 engine events as trace events (DESIGN.md §2.3,
// docs/trace-format.md, kinds "line" and "proto").
//
// Every command line becomes one "line" event with proto "pop3", dir
// "send"/"recv", the raw octets and "verb". A response becomes one "line"
// event for its status line ("status" +OK/-ERR, "resp_code" when it has an
// RFC 2449 §8 code) and, for a multi-line response, a second one holding the
// byte-stuffed body with its ".CRLF" ("multiline" true). Logins, failed
// logins and the UPDATE state become "proto" events (ev "login",
// "auth-failure", "update"); violations "proto" events with ev "violation"
// and the RFC section. The host stamps time and sequence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.hpp"
#include "proto/pop3/events.hpp"

namespace postino::pop3 {

enum class Role : std::uint8_t { Client, Server };

std::vector<trace::Event> trace_events(const Event& event, Role role, const std::string& host,
                                       const std::string& peer, std::uint64_t conn);

}  // namespace postino::pop3
