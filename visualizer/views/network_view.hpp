// network_view.hpp — the network map at the cursor: every host around the
// internet cloud (the topology of docs/network-model.md: one access link per
// host), host state (up, down, crashed), links down drawn broken, links
// changed drawn in amber with their latency, and the packets and lines in
// flight animated along their path at the cursor's time.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_network(UiContext& ui, float height);

}  // namespace postino::viz::ui
