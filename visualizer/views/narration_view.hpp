// narration_view.hpp — the scenario's narration at the cursor, large and
// readable from the back of a room: the latest `note` event applied, in the
// language asked for (--lang) when the trace carries it, and under it, what
// the current event is.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_narration(UiContext& ui, float height);

}  // namespace postino::viz::ui
