// types.hpp — the visualizer model's vocabulary: event kinds, protocol
// categories (one colour and one filter each), the marks of important events
// the player can jump to, and per-event flags. No ImGui here (DESIGN.md §1).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace postino::viz {

inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// The trace kinds of docs/trace-format.md (schema version 1).
enum class Kind : std::uint8_t {
    segment, tcp, datagram, dns, line, fault, note, host,
    spool, mailbox, message, ua, proto, count
};

// What an event is "about", for colour and filtering. Lines take the protocol
// they carry; segments are TCP; datagrams to or from port 53 are DNS.
enum class Cat : std::uint8_t { tcp, udp, dns, smtp, pop3, imap, http, app, mail, fault, note, count };

// Important events: the timeline shows them and the player jumps to them.
enum class Mark : std::uint8_t { none, handshake, delivery, deferral, bounce, fault, count };

// Per-event and per-arrow flags.
namespace flag {
inline constexpr std::uint16_t failure = 1u << 0;  // drawn in red: refused, lost, 4xx/5xx, -ERR, ...
inline constexpr std::uint16_t bounce = 1u << 1;   // part of a bounce or DSN: highlighted
inline constexpr std::uint16_t retry = 1u << 2;    // a retransmission or a new delivery attempt
inline constexpr std::uint16_t lost = 1u << 3;     // a packet that never arrived
inline constexpr std::uint16_t one_sided = 1u << 4;  // only one end traced: drawn flat
// A `host` down/up event at the moment a host-down fault on that host begins
// or ends: the same happening told twice (the simulator's host-down fault is
// a crash), so it is listed but not drawn as a second marker or band.
inline constexpr std::uint16_t restates = 1u << 5;
}  // namespace flag

inline constexpr std::size_t kKindCount = static_cast<std::size_t>(Kind::count);
inline constexpr std::size_t kCatCount = static_cast<std::size_t>(Cat::count);
inline constexpr std::size_t kMarkCount = static_cast<std::size_t>(Mark::count);

std::string_view to_string(Kind k);
std::optional<Kind> kind_from(std::string_view s);
std::string_view to_string(Cat c);           // "SMTP", "TCP", ...
std::optional<Cat> cat_from(std::string_view s);  // case-insensitive: "smtp", "TCP"
std::string_view to_string(Mark m);          // "handshake", "delivery", ...

}  // namespace postino::viz
