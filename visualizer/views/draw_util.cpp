// draw_util.cpp — ImDrawList helpers for the diagram panels.
#include "views/draw_util.hpp"

#include <cfloat>
#include <cmath>
#include <cstdint>

namespace postino::viz::ui {
namespace {
ImDrawCallback g_fill_hook = nullptr;
}  // namespace

void set_opaque_fill_hook(ImDrawCallback hook) { g_fill_hook = hook; }

void fill_opaque(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col) {
    if (g_fill_hook == nullptr || ((col >> IM_COL32_A_SHIFT) & 0xFF) != 0xFF) {
        dl->AddRectFilled(a, b, col);
        return;
    }
    dl->PushClipRect(a, b, true);  // intersected with the current clip
    const ImVec2 lo = dl->GetClipRectMin(), hi = dl->GetClipRectMax();
    if (hi.x > lo.x && hi.y > lo.y) dl->AddCallback(g_fill_hook, reinterpret_cast<void*>(static_cast<std::uintptr_t>(col)));
    dl->PopClipRect();
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float w, float dash, float gap) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5f) return;
    const float ux = dx / len, uy = dy / len;
    for (float s = 0; s < len; s += dash + gap) {
        const float e = std::min(len, s + dash);
        dl->AddLine(ImVec2(a.x + ux * s, a.y + uy * s), ImVec2(a.x + ux * e, a.y + uy * e), col, w);
    }
}

void arrow_head(ImDrawList* dl, ImVec2 from, ImVec2 to, ImU32 col, float size) {
    const float dx = to.x - from.x, dy = to.y - from.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5f) return;
    const float ux = dx / len, uy = dy / len;
    const ImVec2 base(to.x - ux * size, to.y - uy * size);
    const ImVec2 l(base.x - uy * size * 0.5f, base.y + ux * size * 0.5f);
    const ImVec2 r(base.x + uy * size * 0.5f, base.y - ux * size * 0.5f);
    dl->AddTriangleFilled(to, l, r, col);
}

void cross(ImDrawList* dl, ImVec2 c, float r, ImU32 col, float w) {
    dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, w);
    dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col, w);
}

std::string fit_text(ImFont* font, float size, std::string_view text, float max_w) {
    const auto width = [&](std::string_view t) { return font->CalcTextSizeA(size, FLT_MAX, 0, t.data(), t.data() + t.size()).x; };
    if (max_w <= 0) return {};
    if (width(text) <= max_w) return std::string(text);
    std::size_t lo = 0, hi = text.size();
    while (lo < hi) {
        const std::size_t mid = (lo + hi + 1) / 2;
        if (width(std::string(text.substr(0, mid)) + "...") <= max_w) lo = mid;
        else hi = mid - 1;
    }
    // Do not cut inside a UTF-8 sequence.
    while (lo > 0 && lo < text.size() && (static_cast<unsigned char>(text[lo]) & 0xC0) == 0x80) --lo;
    return lo == 0 ? std::string() : std::string(text.substr(0, lo)) + "...";
}

ImVec2 boxed_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 fg, ImU32 bg, std::string_view text,
                  bool center) {
    const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, text.data(), text.data() + text.size());
    if (center) pos.x -= ts.x * 0.5f;
    const float pad = 2;
    dl->AddRectFilled(ImVec2(pos.x - pad, pos.y), ImVec2(pos.x + ts.x + pad, pos.y + ts.y), bg, 2);
    dl->AddText(font, size, pos, fg, text.data(), text.data() + text.size());
    return ts;
}

}  // namespace postino::viz::ui
