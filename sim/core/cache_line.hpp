// cache_line.hpp — the size of a cache line, for keeping data that two
// threads write apart (the simulation's thread and the trace worker,
// core/trace_worker.hpp). 64 octets on x86-64 and on most ARM cores; a
// constant rather than std::hardware_destructive_interference_size, whose
// value GCC warns may change with the tuning flags of a build.
#pragma once

#include <cstddef>

namespace postino {

inline constexpr std::size_t kCacheLineOctets = 64;

}  // namespace postino
