// trace_describe.hpp — one line of plain text per trace event, for the
// terminal timeline, the visualizer's event list and expectation reports.
#pragma once

#include <string>

#include "core/trace.hpp"

namespace postino::trace {

// What happened, without time or endpoints: "TCP SYN seq=0 ack=0 len=0".
std::string describe(const Event& e);

// The endpoints as an arrow: "a -> b" (sent), "b <- a" (received),
// "a -x b" (lost), or just the host.
std::string endpoints(const Event& e);

// Bytes made visible for people: CR as \r, LF as \n, other control and
// non-ASCII bytes as \xNN; cut to `max` characters with "..." after.
std::string visible(std::string_view bytes, std::size_t max = 120);

// "+0d00:00:00.060000  client.example -> server.example  TCP SYN ..." with
// the endpoints column padded to `width`.
std::string timeline_line(const Event& e, std::size_t width = 38);

}  // namespace postino::trace
