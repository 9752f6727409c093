// fast_line.hpp — a fast path for reading the canonical event lines that
// Postino's writer produces (docs/trace-format.md, "Canonical bytes").
//
// Loading a million-event trace through the general JSON reader takes several
// seconds; this parser accepts only a strict subset of JSON (one flat object,
// no spaces, plain keys, integers without fraction, ASCII strings with the
// writer's escapes) and fills a reusable Event without allocating in the
// steady state. Anything outside the subset makes it return false, and the
// caller then hands the line to trace::parse_event_line, the validating
// reader, which gives the definitive event or the error. So the fast path can
// only ever be faster, never more lenient.
#pragma once

#include <string_view>

#include "core/trace.hpp"

namespace postino::viz {

// Parses `line` into `out` (its fields vector is reused). Returns false when
// the line is outside the strict subset or is not a valid event (missing or
// mistyped head keys, duplicate keys, schema violations).
bool fast_parse_event(std::string_view line, trace::Event& out);

}  // namespace postino::viz
