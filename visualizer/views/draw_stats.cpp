// draw_stats.cpp — clipped triangle areas of ImGui draw data.
#include "views/draw_stats.hpp"

#include <cmath>

namespace postino::viz::ui {
namespace {

struct P {
    float x, y;
};

// Area of triangle abc clipped to the rectangle r (Sutherland-Hodgman).
double clipped_area(P a, P b, P c, const ImVec4& r) {
    P buf0[9] = {a, b, c}, buf1[9];
    int n = 3;
    P* in = buf0;
    P* out = buf1;
    for (int edge = 0; edge < 4 && n > 0; ++edge) {
        const auto inside = [&](P p) {
            switch (edge) {
                case 0: return p.x >= r.x;
                case 1: return p.x <= r.z;
                case 2: return p.y >= r.y;
                default: return p.y <= r.w;
            }
        };
        const auto cut = [&](P p, P q) {
            float t = 0;
            switch (edge) {
                case 0: t = (r.x - p.x) / (q.x - p.x); break;
                case 1: t = (r.z - p.x) / (q.x - p.x); break;
                case 2: t = (r.y - p.y) / (q.y - p.y); break;
                default: t = (r.w - p.y) / (q.y - p.y); break;
            }
            return P{p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t};
        };
        int m = 0;
        for (int i = 0; i < n; ++i) {
            const P p = in[i], q = in[(i + 1) % n];
            const bool pi = inside(p), qi = inside(q);
            if (pi) out[m++] = p;
            if (pi != qi && m < 9) out[m++] = cut(p, q);
        }
        n = m;
        std::swap(in, out);
    }
    double area = 0;
    for (int i = 0; i < n; ++i) {
        const P p = in[i], q = in[(i + 1) % n];
        area += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
    }
    return std::fabs(area) * 0.5;
}

}  // namespace

DrawStats measure_draw_data(const ImDrawData& dd, ImVec2 white_uv) {
    DrawStats st;
    st.screen_px = static_cast<double>(dd.DisplaySize.x) * dd.DisplaySize.y;
    const ImVec4 screen(dd.DisplayPos.x, dd.DisplayPos.y, dd.DisplayPos.x + dd.DisplaySize.x, dd.DisplayPos.y + dd.DisplaySize.y);
    for (int l = 0; l < dd.CmdListsCount; ++l) {
        const ImDrawList& list = *dd.CmdLists[l];
        st.vertices += list.VtxBuffer.Size;
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr || cmd.ElemCount == 0) continue;
            ++st.draw_calls;
            const ImVec4 clip(std::max(cmd.ClipRect.x, screen.x), std::max(cmd.ClipRect.y, screen.y), std::min(cmd.ClipRect.z, screen.z),
                              std::min(cmd.ClipRect.w, screen.w));
            if (clip.z <= clip.x || clip.w <= clip.y) continue;
            for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
                const ImDrawVert* v[3];
                for (unsigned j = 0; j < 3; ++j) v[j] = &list.VtxBuffer[static_cast<int>(cmd.VtxOffset + list.IdxBuffer[static_cast<int>(cmd.IdxOffset + i + j)])];
                ++st.triangles;
                const double area = clipped_area(P{v[0]->pos.x, v[0]->pos.y}, P{v[1]->pos.x, v[1]->pos.y}, P{v[2]->pos.x, v[2]->pos.y}, clip);
                if (area <= 0) continue;
                st.covered_px += area;
                bool textured = false, translucent = false;
                for (const ImDrawVert* p : v) {
                    textured = textured || p->uv.x != white_uv.x || p->uv.y != white_uv.y;
                    translucent = translucent || ((p->col >> IM_COL32_A_SHIFT) & 0xFF) != 0xFF;
                }
                if (textured) st.textured_px += area;
                if (translucent) st.translucent_px += area;
            }
        }
    }
    return st;
}

}  // namespace postino::viz::ui
