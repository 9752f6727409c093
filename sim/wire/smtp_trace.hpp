// smtp_trace.hpp — SMTP server engine events as trace events on the wire,
// in exactly the shape the simulator writes (agents/smtp_link.cpp): one
// "line" per command, reply and content block, "proto" events for a
// completed transaction and for violations (docs/trace-format.md).
#pragma once

#include <cstdint>
#include <string>

#include "wire/trace_log.hpp"
#include "proto/smtp/events.hpp"

namespace postino::wire {

void trace_smtp_server_event(TraceLog& rec, const std::string& host, const std::string& peer,
                             std::uint64_t conn, const smtp::Event& ev, bool in_tls = false);

}  // namespace postino::wire
