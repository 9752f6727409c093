// expectations.hpp — checking a scenario's `expect` list against the trace
// of its run (docs/scenario-format.md, "Expectations"). A failed expectation
// says what was expected, what happened, and shows the trace lines around
// the closest match.
#pragma once

#include <string>
#include <vector>

#include "core/trace.hpp"
#include "scenario/scenario.hpp"

namespace postino::scenario {

struct ExpectationResult {
    const ExpectSpec* spec = nullptr;
    bool passed = false;
    std::string expected;  // "a DSN with status 4.4.7 delivered to alice@a.example"
    std::string happened;  // "no DSN reached alice@a.example; 2 bounce(s) elsewhere"
    std::vector<std::string> context;  // timeline lines near the relevant events
};

std::vector<ExpectationResult> check_expectations(const Scenario& s, const std::vector<trace::Event>& events);

}  // namespace postino::scenario
