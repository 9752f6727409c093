// event_list_view.hpp — every shown event as a row (number, time, who, what),
// coloured by protocol, the cursor's row highlighted and kept in view; click
// to inspect, double-click to move the cursor there. Virtualised: a million
// rows cost what the visible ones cost.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_event_list(UiContext& ui);

}  // namespace postino::viz::ui
