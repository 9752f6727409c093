// trace_line.hpp — SMTP engine events as trace events (DESIGN.md §2.3,
// docs/trace-format.md, kind "line").
//
// Every command line and every reply line becomes one "line" event with
// proto "smtp", dir "send"/"recv" and the raw octets, plus what it means:
// "verb" for a command, "code" and "enhanced" for a reply line (each line of
// a multiline reply is its own event with the same code). Message content
// becomes one "line" event per DataEvent, with bytes only. Violations become
// "note" events naming the RFC section. The host stamps time and sequence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.hpp"
#include "proto/smtp/events.hpp"

namespace postino::smtp {

enum class Role : std::uint8_t { Client, Server };
enum class Direction : std::uint8_t { Send, Recv };
const char* to_string(Direction d);

struct LineMeaning {
    std::string verb;         // command verb; empty for replies and content
    std::optional<int> code;  // reply code
    std::string enhanced;     // enhanced status code of a reply line, if any
};

// One "line" event: proto, dir, bytes, then verb or code/enhanced when known.
trace::Event line_event(const std::string& host, const std::string& peer, std::uint64_t conn, Direction dir,
                        std::string_view raw, const LineMeaning& meaning = {});

// The trace events for one engine event, seen from `role`'s host (a server
// receives commands and sends replies; a client the opposite). Empty for
// events that are not on the wire (messages, transactions, closes).
std::vector<trace::Event> trace_events(const Event& event, Role role, const std::string& host, const std::string& peer,
                                       std::uint64_t conn);

}  // namespace postino::smtp
