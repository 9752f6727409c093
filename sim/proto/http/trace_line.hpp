// trace_line.hpp — HTTP engine events as trace events (DESIGN.md §2.3,
// docs/trace-format.md, kinds "line" and "proto").
//
// A request becomes one "line" event with proto "http": dir "recv" on the
// server, "send" on the client, its octets as on the wire (head and body),
// "verb" (the method) and "target". A response becomes one "line" event the
// other way, with "code" (the status). A refused request becomes a "proto"
// event ev "violation" with "detail" and "section". The host stamps time
// and sequence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.hpp"
#include "proto/http/events.hpp"

namespace postino::http {

std::vector<trace::Event> trace_events(const Event& event, const std::string& host, const std::string& peer,
                                       std::uint64_t conn, bool is_server);

}  // namespace postino::http
