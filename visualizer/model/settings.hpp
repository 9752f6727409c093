// settings.hpp — what postino-viz remembers between runs (font size, theme,
// toggles, speed, layout). Plain data; app/settings_file.cpp reads and writes
// it as JSON in $XDG_CONFIG_HOME/postino/viz.json (or ~/.config/postino/).
#pragma once

#include <cstdint>
#include <string>

namespace postino::viz {

enum class Theme : std::uint8_t { dark, light, projector };

struct Settings {
    float font_px = 18;          // UI text size; narration is 1.5x
    Theme theme = Theme::dark;
    bool fold_tcp = false;
    bool hide_future = false;     // lecture mode: nothing after the cursor
    int speed = 0;                // index in speed_choices()
    std::int64_t max_gap_ns = 250'000'000;  // idle gaps longer than this are compressed; 0: off
    int tab = 0;                  // right-hand panel tab
    float split = 0.62f;          // sequence diagram's share of the width
    int window_w = 1600, window_h = 960;
    std::string last_dir;         // the Open dialog's directory
    std::string lang = "en";     // narration language

    static constexpr float kMinFont = 10, kMaxFont = 48;
    bool operator==(const Settings&) const = default;
};

const char* theme_name(Theme t);
bool theme_from(const std::string& s, Theme& out);

}  // namespace postino::viz
