// scenario_commands.hpp — `postino run`, `postino replay`, `postino export`,
// `postino lint`, `postino list`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/export_outputs.hpp"

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
    ExportArgs exports;  // --pcap, --mermaid, --mermaid-segments
};

struct ReplayArgs {
    std::string file;
    std::string scenario;  // --scenario FILE: also check its expectations and declared breaks
    bool quiet = false;
    bool verbose = false;
    bool no_color = false;
    ExportArgs exports;
};

int cmd_run(const RunArgs& a);
int cmd_replay(const ReplayArgs& a);
// Writes the --pcap / --mermaid files of a recorded trace, nothing else.
int cmd_export(const std::string& trace_path, const ExportArgs& exports);
int cmd_lint(const std::vector<std::string>& files);
int cmd_list(const std::string& dir);
// scenarios/ next to the executable's source tree, or $POSTINO_SCENARIOS.
std::string default_scenario_dir();

}  // namespace postino::app
