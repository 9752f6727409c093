// fonts.hpp — loads the UI, monospace and narration fonts into ImGui's atlas
// at a pixel size (projector mode changes it with + and -). Uses DejaVu from
// the system when present (Latin-1, arrows and a few symbols); otherwise
// ImGui's built-in font rasterised at the size asked for.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

// Clears the atlas and adds the fonts; the caller (re)creates the GPU texture.
Fonts load_fonts(float px);

}  // namespace postino::viz::ui
