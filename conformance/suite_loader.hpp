// suite_loader.hpp — reads a conformance suite from YAML
// (docs/conformance-format.md). Every problem is an Error located at
// file:line:col, with the nearest valid key for a misspelt one, exactly as
// the scenario loader reports (sim/scenario/yaml_fields.hpp).
#pragma once

#include <string>
#include <vector>

#include "conformance/suite.hpp"
#include "core/result.hpp"

namespace postino::conformance {

Result<Suite> load_suite_text(const std::string& text, const std::string& name);
Result<Suite> load_suite_file(const std::string& path);

// The directory of the bundled suites (conformance/suites in the source tree).
std::string default_suite_dir();
// A suite by name ("smtp" → <dir>/smtp.yaml) or by path (anything with a '/' or ending in .yaml).
std::string resolve_suite(const std::string& name_or_file);

}  // namespace postino::conformance
