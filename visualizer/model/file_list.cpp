// file_list.cpp — directory listing for the Open dialog.
#include "model/file_list.hpp"

#include <algorithm>
#include <filesystem>

namespace postino::viz {
namespace {
bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
}  // namespace

bool is_trace_path(const std::string& p) { return ends_with(p, ".jsonl") || ends_with(p, ".json"); }
bool is_scenario_path(const std::string& p) { return ends_with(p, ".yaml") || ends_with(p, ".yml"); }

Result<std::vector<FileEntry>> list_dir(const std::string& dir, bool all) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec) return Error{"cannot list the directory: " + ec.message(), dir};
    std::vector<FileEntry> out;
    for (const auto& entry : it) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name[0] == '.') continue;
        std::error_code e2;
        const bool is_dir = entry.is_directory(e2);
        if (!is_dir && !all && !is_trace_path(name) && !is_scenario_path(name)) continue;
        FileEntry f{name, is_dir, 0};
        if (!is_dir) f.size = static_cast<std::uint64_t>(entry.file_size(e2));
        out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [](const FileEntry& a, const FileEntry& b) {
        return a.is_dir != b.is_dir ? a.is_dir : a.name < b.name;
    });
    return out;
}

}  // namespace postino::viz
