// spool_view.hpp — each MTA's spool at the cursor: queue id, sender,
// recipients (with their state), destination, deposit time, attempts, last
// error, and a live countdown to the next attempt. Entries appear, change
// (highlighted on the step that changed them) and disappear as the cursor
// moves; a bounce names the entry it reports on.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_spool(UiContext& ui);

}  // namespace postino::viz::ui
