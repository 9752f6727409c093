// file_list.hpp — the Open dialog's directory listing: sub-directories, then
// traces (.jsonl) and scenarios (.yaml/.yml), sorted by name; hidden entries
// left out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace postino::viz {

struct FileEntry {
    std::string name;
    bool is_dir = false;
    std::uint64_t size = 0;
};

// Lists `dir`; `all` shows every file, not only traces and scenarios.
Result<std::vector<FileEntry>> list_dir(const std::string& dir, bool all = false);

// True for the inputs postino-viz opens: .jsonl traces and .yaml/.yml scenarios.
bool is_trace_path(const std::string& path);
bool is_scenario_path(const std::string& path);

}  // namespace postino::viz
