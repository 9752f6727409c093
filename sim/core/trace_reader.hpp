// trace_reader.hpp — reads and validates a JSON Lines trace file.
//
// Every problem is reported as `file:line: what is wrong`. The header is
// std-only; the implementation parses JSON with nlohmann-json (a deliberate,
// contained exception to "sim/core includes std only": see docs/trace-format.md).
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"

namespace postino::trace {

struct TraceFile {
    Header header;
    std::vector<Event> events;
};

// Parses one event line (no newline). `where` prefixes error locations.
Result<Event> parse_event_line(std::string_view line, const std::string& where);

// Reads a whole trace from a stream; `name` is used in error locations.
Result<TraceFile> read_trace(std::istream& in, const std::string& name);
Result<TraceFile> read_trace_file(const std::string& path);

}  // namespace postino::trace
