// open_dialog.hpp — File > Open: a small file browser (directories, traces
// and scenarios), a path field, and Open. Chosen paths are handed back.
#pragma once

#include <string>

#include "views/ui_context.hpp"

namespace postino::viz::ui {

struct OpenDialog {
    bool open = false;
    std::string dir;
    char path[1024] = {};
    bool all_files = false;
    bool follow = false;
};

// Returns true when the user chose a file (its path in `chosen`).
bool draw_open_dialog(UiContext& ui, OpenDialog& d, std::string& chosen, bool& follow);

}  // namespace postino::viz::ui
