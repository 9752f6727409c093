// draw_util.hpp — drawing helpers shared by the diagram panels: arrows with
// heads, dashed lines, crosses, text cut to a width, labels on a backing box.
#pragma once

#include <string>
#include <string_view>

#include <imgui.h>

namespace postino::viz::ui {

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float w, float dash = 7, float gap = 5);
void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 col, float size);
void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float w);
// `text` cut to fit `max_w` pixels in `font` at `size` (with "..." when cut).
std::string fit_text(ImFont* font, float size, std::string_view text, float max_w);
// Text on a filled box; `center` true centres it horizontally on pos.x. Returns its size.
ImVec2 boxed_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 fg, ImU32 bg, std::string_view text,
                  bool center);

}  // namespace postino::viz::ui
