// sweep_command.hpp — `postino sweep` and `postino sweep merge` (docs/sweep.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace postino::app {

struct SweepArgs {
    std::string file;
    std::uint64_t seeds = 100;
    std::uint64_t from = 1;
    unsigned jobs = 1;
    std::string shard;            // "I/N"
    std::string json;             // write results here
    std::string minimize_dir;     // write minimized reproductions here
    std::uint64_t max_events = 20'000'000;
    unsigned wall_limit_s = 120;  // per seed
    bool quiet = false;
};

int cmd_sweep(const SweepArgs& a);
int cmd_sweep_merge(const std::vector<std::string>& files, const std::string& json_out);

}  // namespace postino::app
