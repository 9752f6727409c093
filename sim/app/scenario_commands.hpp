// scenario_commands.hpp — `postino run`, `postino lint`, `postino list`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace postino::app {

struct RunArgs {
    std::string file;
    std::optional<std::uint64_t> seed;
    std::string until;
    std::string trace;
    bool quiet = false;
    bool verbose = false;
    std::string lang = "en";
    bool no_color = false;
};

int cmd_run(const RunArgs& a);
int cmd_replay(const std::string& path, bool quiet, bool verbose, bool no_color);
int cmd_lint(const std::vector<std::string>& files);
int cmd_list(const std::string& dir);
// scenarios/ next to the executable's source tree, or $POSTINO_SCENARIOS.
std::string default_scenario_dir();

}  // namespace postino::app
