// demo.hpp — the built-in network demo of `postino demo`: a DNS lookup, an
// echo exchange over simulated TCP, a link failure that forces a visible
// retransmission, and a refused connection. It proves the simulation core
// end to end until the mail story replaces it as the README's main command.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/trace.hpp"

namespace postino::app {

struct RunSummary {
    std::uint64_t seed = 0;
    std::uint64_t events = 0;
    std::string fingerprint;
    Time end{};
};

// Runs the demo with `seed`, sending every trace event to each sink.
RunSummary run_demo(std::uint64_t seed, const std::vector<trace::Sink*>& sinks);

}  // namespace postino::app
