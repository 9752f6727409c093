// inspector_view.hpp — the selected event (or, with none selected, the one
// at the cursor) layer by layer: the application line as text and hex, the
// TCP segments that carried it (seq/ack/flags/len and their fate), the link
// transfer (sent, received, transit time, loss reason), every field, and the
// raw JSON line with its file:line.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_inspector(UiContext& ui);

}  // namespace postino::viz::ui
