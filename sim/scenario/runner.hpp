// runner.hpp — runs a scenario: builds the simulated world it declares
// (hosts, links, DNS, MTAs with their mailboxes and aliases, user agents),
// schedules its actions, faults and notes, runs it to the end, then checks
// conservation (DESIGN.md §2.5) and the scenario's expectations.
#pragma once

#include <memory>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agents/conservation.hpp"
#include "core/trace.hpp"
#include "scenario/expectations.hpp"
#include "scenario/scenario.hpp"

namespace postino::scenario {

struct RunOptions {
    std::optional<std::uint64_t> seed;  // overrides the scenario's
    std::optional<Duration> until;      // overrides the scenario's
    std::vector<trace::Sink*> sinks;    // extra sinks (timeline printer, trace file)
    std::uint64_t max_events = 50'000'000;  // a hang guard
    // Encode, hash and hand the trace to the sinks on a second thread
    // (trace::Recorder::use_worker_thread): the same trace, sooner. Off, the
    // sinks see each event during the emit call, on the caller's thread.
    bool trace_thread = true;
};

struct RunResult {
    std::uint64_t seed = 0;
    std::uint64_t events = 0;
    std::string fingerprint;
    Time end{};
    bool hit_event_limit = false;
    agents::ConservationReport conservation;
    std::vector<ExpectationResult> expectations;
    // The scenario the run used: the caller's own, or the copy with the
    // faults a sweep seed drew. expectations[i].spec points into it, so it
    // lives as long as this result.
    std::shared_ptr<const Scenario> scenario;
    [[nodiscard]] bool ok() const;
};

RunResult run_scenario(const Scenario& original, const RunOptions& opt = {});

}  // namespace postino::scenario
