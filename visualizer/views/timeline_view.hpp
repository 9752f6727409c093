// timeline_view.hpp — the scrubber along the bottom: the whole trace on the
// compressed time axis, event density in grey, coloured ticks for the
// important events (handshake, delivery, deferral, bounce, fault), the
// cursor as a handle; click or drag to move the cursor, hover a tick to
// read it.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_timeline(UiContext& ui, float height);
ImU32 mark_color(const UiContext& ui, Mark m);

}  // namespace postino::viz::ui
