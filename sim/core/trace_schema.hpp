// trace_schema.hpp — which event kinds exist and which fields each must carry.
//
// The single place that declares the trace vocabulary (docs/trace-format.md
// lists the same table for people). The reader validates every line against
// it; producers use the typed builders in trace_events.hpp.
#pragma once

#include <span>
#include <string_view>

#include "core/trace.hpp"

namespace postino::trace {

enum class FieldType { Int, Bool, Text, Bytes };

struct FieldSpec {
    std::string_view key;
    FieldType type;
};

struct KindSpec {
    std::string_view kind;
    std::string_view meaning;
    std::span<const FieldSpec> required;
};

// All known kinds, in a fixed order.
std::span<const KindSpec> kinds();
const KindSpec* find_kind(std::string_view kind);

// A field whose key is "bytes" or ends in "_bytes" holds raw octets.
bool is_bytes_key(std::string_view key);

// Checks an event against its kind's spec; returns an empty string when valid,
// otherwise what is wrong ("kind \"tcp\" needs int field \"port\"").
std::string validate(const Event& e);

}  // namespace postino::trace
