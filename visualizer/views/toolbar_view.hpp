// toolbar_view.hpp — the player's controls: start, previous important event,
// step back, play/pause, step forward, next important event, end; the speed;
// where the cursor is (time and event number); the TCP fold, lecture mode
// and filters. Every button has a keyboard twin (see help_view).
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_toolbar(UiContext& ui);
void draw_filters_popup(UiContext& ui);

}  // namespace postino::viz::ui
