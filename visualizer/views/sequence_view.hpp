// sequence_view.hpp — the sequence diagram panel: one lane per host, an arrow
// per packet or protocol line (coloured by protocol, red for failures,
// magenta halo for bounces, dashed for retransmissions), markers for the
// other events, bands for hosts and links down, breaks for compressed idle
// time, the cursor as a horizontal line. Wheel zooms around the mouse, drag
// pans, click selects, double-click moves the cursor there; a folded block
// zooms in when double-clicked. Geometry comes from model/seq_layout.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_sequence(UiContext& ui);

// Puts the cursor in view (used after jumps and by the screenshot mode).
void frame_cursor(UiContext& ui, std::uint32_t events_around = 12);

}  // namespace postino::viz::ui
