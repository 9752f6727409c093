// draw_stats.hpp — what a frame asks the rasterizer to do, measured from
// ImGui's draw data (no GL): vertices, triangles, draw calls, and the pixels
// the triangles cover after clipping (so the overdraw, split into textured and
// the rest, and how much of it is translucent). `postino-viz --bench` prints
// these per phase; a software renderer's time is mostly these pixels.
#pragma once

#include <cstdint>

#include <imgui.h>

namespace postino::viz::ui {

struct DrawStats {
    std::int64_t vertices = 0;
    std::int64_t triangles = 0;
    std::int64_t draw_calls = 0;
    double covered_px = 0;      // sum of clipped triangle areas
    double textured_px = 0;         // of which: sampling the font texture (glyphs, anti-aliased lines)
    double translucent_px = 0;  // of which: a vertex with alpha < 255 (blending matters)
    double screen_px = 0;       // DisplaySize.x * DisplaySize.y
    [[nodiscard]] double overdraw() const { return screen_px > 0 ? covered_px / screen_px : 0; }
};

// Measures the draw data of the last ImGui::Render(). `white_uv` is the font
// atlas's white pixel (solid shapes use it; anything else is text).
DrawStats measure_draw_data(const ImDrawData& dd, ImVec2 white_uv);

}  // namespace postino::viz::ui
