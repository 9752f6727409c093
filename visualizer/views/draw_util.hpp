// draw_util.hpp — drawing helpers shared by the diagram panels: arrows with
// heads, dashed lines, crosses, text cut to a width, labels on a backing box,
// and opaque fills that a renderer may do without shading pixels.
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
// An opaque rectangle (a panel's background). ImGui draws it as two blended,
// textured triangles: every pixel shaded, read and written back, which is
// most of a frame under a software rasterizer at 1920x1080. A renderer that
// can clear a rectangle instead (window.cpp: a scissored glClear) installs
// `hook`; it is then called with the rectangle as the command's clip rect and
// the colour as its user data. Without a hook, or for a translucent colour,
// it is AddRectFilled. Whatever the same draw list drew there before is
// covered either way.
void set_opaque_fill_hook(ImDrawCallback hook);
void fill_opaque(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col);
ImVec2 boxed_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 fg, ImU32 bg, std::string_view text,
                  bool center);

}  // namespace postino::viz::ui
