// scenario_source.hpp — `postino-viz SCENARIO.yaml`: loads a scenario with
// sim/scenario's loader (errors are `file:line:col: what`) and runs it in
// process with sim/scenario's runner, the trace written as JSON Lines into
// memory by the same writer `postino run --trace` uses. The visualizer then
// reads that text exactly as it reads a trace file (DESIGN.md §2.3: the trace
// is its only input), so a scenario and its recorded trace look the same.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace postino::viz {

struct ScenarioRun {
    std::string trace;                  // the whole trace: header line, then one event a line
    std::string name;                   // the scenario's name
    std::string title;
    std::uint64_t seed = 0;
    std::uint64_t events = 0;
    std::string fingerprint;
    bool ok = false;                    // expectations and conservation all passed
    std::size_t expectations = 0;       // how many the scenario declares
    std::size_t passed = 0;
    bool conservation_ok = true;
    std::vector<std::string> failures;  // one line per failed check, for people
    [[nodiscard]] std::string summary() const;  // "4/4 expectations passed, conservation ok"
};

// Loads and runs the scenario. Notes carry both languages (`text` English,
// `it` Italian where the scenario gives it): the narration panel chooses.
Result<ScenarioRun> run_scenario_file(const std::string& path, std::optional<std::uint64_t> seed = std::nullopt);

}  // namespace postino::viz
