// loader.hpp — YAML scenario file → Scenario, validated.
//
// Nothing runs until the file is valid: every problem (unknown key, wrong
// type, bad duration, a reference to an undefined host or user) is reported
// as `file:line:col: message`, with the nearest valid key suggested for a
// misspelt one. The format is docs/scenario-format.md.
#pragma once

#include <string>

#include "core/result.hpp"
#include "scenario/scenario.hpp"

namespace postino::scenario {

Result<Scenario> load_scenario_file(const std::string& path);
// `name` is used in error locations (a file name).
Result<Scenario> load_scenario_text(const std::string& text, const std::string& name);

}  // namespace postino::scenario
