// theme.hpp — the three looks: dark (default), light, and projector (high
// contrast: white background, black text, saturated colours, thick lines).
// Protocol colours are chosen to stay apart for colour-blind viewers as far
// as a dozen categories allow, and every failure is also marked by shape
// (a cross, a dashed line), not by colour alone.
#pragma once

#include "model/settings.hpp"
#include "views/ui_context.hpp"

namespace postino::viz::ui {

Palette make_palette(Theme t);
void apply_style(Theme t, float font_px);

}  // namespace postino::viz::ui
