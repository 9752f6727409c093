// report.hpp — the verdicts of a run for people (a table with RFC
// references and a summary line) and for machines: JSON, JUnit XML (CI),
// Markdown (docs/conformance-results.md). Formats in docs/conformance-format.md.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "conformance/runner.hpp"

namespace postino::conformance {

void print_table(std::ostream& out, const SuiteResult& r);
// "smtp against builtin smtp: 41 checks, 38 PASS, 0 FAIL, 1 WARN, 1 POLICY, 1 SKIP, 0 ERROR in 0.02 s"
std::string summary_line(const SuiteResult& r);
void write_json(std::ostream& out, const std::vector<SuiteResult>& runs);
void write_junit(std::ostream& out, const std::vector<SuiteResult>& runs);
void write_markdown(std::ostream& out, const std::vector<SuiteResult>& runs);

}  // namespace postino::conformance
