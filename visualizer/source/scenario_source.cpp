// scenario_source.cpp — running a scenario in process into an in-memory trace.
#include "source/scenario_source.hpp"

#include <exception>
#include <sstream>

#include "core/trace_json.hpp"
#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

namespace postino::viz {

std::string ScenarioRun::summary() const {
    std::string s = std::to_string(passed) + "/" + std::to_string(expectations) + " expectations passed, conservation " +
                    (conservation_ok ? "ok" : "FAILED");
    return s;
}

Result<ScenarioRun> run_scenario_file(const std::string& path, std::optional<std::uint64_t> seed) {
    auto sc = scenario::load_scenario_file(path);
    if (!sc) return sc.error();
    ScenarioRun out;
    out.name = sc->name;
    out.title = sc->title;
    scenario::RunOptions opt;
    opt.seed = seed;
    // English in `text`, Italian in `it`: the visualizer picks per --lang, so
    // both must be in the trace (with italian=true the runner would put the
    // Italian text in `text` too and the English would be lost).
    std::ostringstream text;
    trace::JsonlWriter writer(text, trace::Header{trace::kFormatVersion, seed.value_or(sc->seed), sc->name,
                                                  std::string("postino-viz ") + POSTINO_VIZ_VERSION});
    opt.sinks.push_back(&writer);
    scenario::RunResult r;
    try {
        r = scenario::run_scenario(*sc, opt);
    } catch (const std::exception& e) {
        // The loader validated the file; a failure here is Postino's bug, but
        // it is still reported rather than crashing the window.
        return Error{std::string("running the scenario failed: ") + e.what(), path};
    }
    out.trace = std::move(text).str();
    out.seed = r.seed;
    out.events = r.events;
    out.fingerprint = r.fingerprint;
    out.ok = r.ok();
    out.expectations = r.expectations.size();
    for (const auto& e : r.expectations) {
        if (e.passed) ++out.passed;
        // (e.spec is not used: it points into the runner's own copy of the scenario.)
        else out.failures.push_back("expected " + e.expected + "; what happened: " + e.happened);
    }
    out.conservation_ok = r.conservation.ok();
    if (!out.conservation_ok) out.failures.push_back("conservation: " + r.conservation.summary());
    if (r.hit_event_limit) out.failures.push_back("the run hit the event limit (a loop?)");
    return out;
}

}  // namespace postino::viz
