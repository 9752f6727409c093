// sweep.hpp — randomized fault sweeps (docs/sweep.md): each seed draws a set
// of faults from the scenario's fault space, runs, and is checked against the
// invariants — no mail lost (conservation, end to end), nothing stuck in a
// spool after the run, no protocol violation between Postino's own agents,
// no runaway run — and, optionally, the scenario's expectations. A failing
// seed can be minimized: its faults removed one by one while the failure
// persists.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "scenario/runner.hpp"
#include "scenario/scenario.hpp"

namespace postino::scenario {

// The faults seed `seed` draws from `s.sweep` (none when there is no sweep).
std::vector<FaultSpec> draw_faults(const Scenario& s, std::uint64_t seed);
// `s` with those faults added and the sweep removed: a plain scenario.
Scenario with_sweep_faults(const Scenario& s, std::uint64_t seed);

struct SeedVerdict {
    std::uint64_t seed = 0;
    bool ok = true;
    std::string invariant;  // conservation | stuck | protocol-violation | event-limit | expectation
    std::string detail;
    std::string fingerprint;
    std::uint64_t events = 0;
    std::size_t faults = 0;
    // Reported, not failures (docs/sweep.md):
    int fault_closes = 0;           // abrupt closes explained by an injected fault
    std::string fault_close_first;  // the first, with its fault
    int dup_lost_250 = 0;           // extra mailbox copies after a lost 250 (RFC 1047)
    int dup_fanout = 0;             // extra copies: one address reached through two envelope recipients
    std::string dup_first;          // the first lost-250 duplicate
};

// Runs one seed of a plain scenario (faults fixed) and checks the invariants.
SeedVerdict check_run(const Scenario& plain, std::uint64_t seed, bool check_expectations,
                      std::uint64_t max_events = 20'000'000);
SeedVerdict check_seed(const Scenario& s, std::uint64_t seed, std::uint64_t max_events = 20'000'000);

// Removes faults one at a time (first to last, repeatedly) while the same
// invariant still fails; returns the smallest plain scenario found.
Scenario minimize(const Scenario& s, std::uint64_t seed, const SeedVerdict& failure);

}  // namespace postino::scenario
