// settings_file.cpp — Settings <-> JSON (nlohmann-json).
#include "app/settings_file.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace postino::viz {

std::string settings_path() {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    if (xdg != nullptr && *xdg != '\0') return std::string(xdg) + "/postino/viz.json";
    const char* home = std::getenv("HOME");
    if (home != nullptr && *home != '\0') return std::string(home) + "/.config/postino/viz.json";
    return {};
}

Settings load_settings(const std::string& path, std::string* problem) {
    Settings s;
    if (path.empty()) return s;
    std::ifstream in(path);
    if (!in) return s;
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        if (problem != nullptr) *problem = path + ": not valid JSON; using the default settings";
        return s;
    }
    const auto num = [&j](const char* k, auto& out) {
        if (j.contains(k) && j[k].is_number()) out = j[k].get<std::decay_t<decltype(out)>>();
    };
    const auto flag = [&j](const char* k, bool& out) {
        if (j.contains(k) && j[k].is_boolean()) out = j[k].get<bool>();
    };
    const auto text = [&j](const char* k, std::string& out) {
        if (j.contains(k) && j[k].is_string()) out = j[k].get<std::string>();
    };
    num("font_px", s.font_px);
    if (j.contains("theme") && j["theme"].is_string()) theme_from(j["theme"].get<std::string>(), s.theme);
    flag("fold_tcp", s.fold_tcp);
    flag("hide_future", s.hide_future);
    num("speed", s.speed);
    num("max_gap_ns", s.max_gap_ns);
    num("tab", s.tab);
    num("split", s.split);
    num("window_w", s.window_w);
    num("window_h", s.window_h);
    text("last_dir", s.last_dir);
    text("lang", s.lang);
    s.font_px = std::clamp(s.font_px, Settings::kMinFont, Settings::kMaxFont);
    return s;
}

bool save_settings(const std::string& path, const Settings& s, std::string* problem) {
    if (path.empty()) return false;
    nlohmann::json j{{"font_px", s.font_px},   {"theme", theme_name(s.theme)}, {"fold_tcp", s.fold_tcp},
                     {"hide_future", s.hide_future}, {"speed", s.speed},     {"max_gap_ns", s.max_gap_ns},
                     {"tab", s.tab},           {"split", s.split},         {"window_w", s.window_w},
                     {"window_h", s.window_h}, {"last_dir", s.last_dir},   {"lang", s.lang}};
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    std::ofstream out(path, std::ios::trunc);
    if (!out) {
        if (problem != nullptr) *problem = path + ": cannot write the settings";
        return false;
    }
    out << j.dump(2) << "\n";
    return static_cast<bool>(out);
}

}  // namespace postino::viz
