// settings_file.hpp — reads and writes Settings as JSON, in
// $XDG_CONFIG_HOME/postino/viz.json (default ~/.config/postino/viz.json).
// A missing or unreadable file gives the defaults; unknown keys are ignored.
#pragma once

#include <string>

#include "model/settings.hpp"

namespace postino::viz {

std::string settings_path();  // "" when neither XDG_CONFIG_HOME nor HOME is set
Settings load_settings(const std::string& path, std::string* problem = nullptr);
bool save_settings(const std::string& path, const Settings& s, std::string* problem = nullptr);

}  // namespace postino::viz
