// help_view.hpp — the help overlay: every key, what the colours and shapes
// mean, and the inputs postino-viz takes.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

struct KeyHelp {
    const char* keys;
    const char* what;
};
const std::vector<KeyHelp>& key_help();

// Draws the overlay while `open`; Escape or the button closes it.
void draw_help(UiContext& ui, bool& open);

}  // namespace postino::viz::ui
