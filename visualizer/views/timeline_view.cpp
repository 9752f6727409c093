// timeline_view.cpp — the timeline scrubber with important-event markers.
#include "views/timeline_view.hpp"

#include <algorithm>
#include <cmath>

#include "model/text_util.hpp"
#include "views/draw_util.hpp"

namespace postino::viz::ui {

ImU32 mark_color(const UiContext& ui, Mark m) {
    switch (m) {
        case Mark::handshake: return ui.cat_color(Cat::tcp);
        case Mark::delivery: return ui.pal->host_up;
        case Mark::deferral: return ui.pal->retry;
        case Mark::bounce: return ui.pal->bounce;
        case Mark::fault: return ui.pal->failure;
        default: return ui.pal->dim_text;
    }
}

void draw_timeline(UiContext& ui, float height) {
    const Palette& pal = *ui.pal;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float pad = 12;
    const float x0 = o.x + pad, x1 = o.x + w - pad;
    fill_opaque(dl, o, ImVec2(o.x + w, o.y + height), pal.lane_title_bg);
    ImGui::InvisibleButton("timeline", ImVec2(w, height));
    ui.hit("timeline");
    if (ui.s == nullptr || ui.s->size() == 0) return;
    Session& s = *ui.s;
    const TimeAxis& ax = s.axis();
    const double end = std::max<double>(1.0, static_cast<double>(ax.end_ct()));
    const auto x_of = [&](std::int64_t ct) { return x0 + static_cast<float>(static_cast<double>(ct) / end) * (x1 - x0); };

    // Density: events per pixel column, as grey bars; ticks for important
    // events, one per pixel column per kind (cached, see UiContext::TimelineCache).
    const int cols = std::max(1, static_cast<int>(x1 - x0));
    const std::uint32_t n = s.size();
    auto& tc = ui.timeline;
    if (tc.s != &s || tc.n != n || tc.cols != cols || tc.end_ct != ax.end_ct() || tc.max_gap != ax.max_gap()) {
        tc.s = &s;
        tc.n = n;
        tc.cols = cols;
        tc.end_ct = ax.end_ct();
        tc.max_gap = ax.max_gap();
        tc.hist.assign(static_cast<std::size_t>(cols), 0);
        const std::uint32_t stride = std::max<std::uint32_t>(1, n / 200000);  // sample big traces
        for (std::uint32_t i = 0; i < n; i += stride) {
            const int c = std::clamp(static_cast<int>(x_of(ax.ct_of(i)) - x0), 0, cols - 1);
            ++tc.hist[static_cast<std::size_t>(c)];
        }
        for (std::size_t mk = 1; mk < kMarkCount; ++mk) {
            auto& t = tc.ticks[mk];
            t.clear();
            for (std::uint32_t i : s.model().marked(static_cast<Mark>(mk))) {
                const int c = static_cast<int>(x_of(ax.ct_of(i)) - x0);
                if (t.empty() || t.back().first != c) t.emplace_back(c, i);
            }
        }
    }
    const std::uint32_t peak = std::max<std::uint32_t>(1, *std::max_element(tc.hist.begin(), tc.hist.end()));
    // Bars are whole pixels high, and neighbouring columns of the same height
    // are one rectangle: a busy trace's 1,900 columns are a few dozen
    // rectangles, not 1,900 anti-aliased lines.
    const float base_y = std::floor(o.y + height - 6), bar_h = height * 0.45f;
    const auto bar_px = [&](int c) {
        const std::uint32_t h = tc.hist[static_cast<std::size_t>(c)];
        return h == 0 ? 0.0f : std::round(2 + bar_h * std::sqrt(static_cast<float>(h) / static_cast<float>(peak)));
    };
    for (int c = 0; c < cols;) {
        const float hgt = bar_px(c);
        int e = c + 1;
        while (e < cols && bar_px(e) == hgt) ++e;
        if (hgt > 0) {
            dl->AddRectFilled(ImVec2(x0 + static_cast<float>(c) - 0.5f, base_y - hgt), ImVec2(x0 + static_cast<float>(e) - 0.5f, base_y),
                              with_alpha(pal.lane, 0.7f));
        }
        c = e;
    }
    // Compressed gaps (at most one line per pixel column).
    int last_gap = -1;
    for (const auto& g : ax.gaps()) {
        const float gx = x_of(g.ct0 + ax.max_gap() / 2);
        if (static_cast<int>(gx) == last_gap) continue;
        last_gap = static_cast<int>(gx);
        dl->AddLine(ImVec2(gx, o.y + 4), ImVec2(gx, o.y + height - 4), with_alpha(pal.gap, 0.5f), 1);
    }
    std::uint32_t hover_ev = kNone;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    for (std::size_t mk = 1; mk < kMarkCount; ++mk) {
        const ImU32 col = mark_color(ui, static_cast<Mark>(mk));
        const float top = o.y + 3 + static_cast<float>(mk - 1) * 3;
        // A tick is a 2.5 px line; a run of ticks whose lines would touch
        // (a busy trace has one in every column) is one rectangle instead.
        const auto& ticks = tc.ticks[mk];
        for (std::size_t a = 0; a < ticks.size();) {
            std::size_t b = a + 1;
            while (b < ticks.size() && ticks[b].first - ticks[b - 1].first <= 2) ++b;
            const float xa = x0 + static_cast<float>(ticks[a].first) + 0.5f, xb = x0 + static_cast<float>(ticks[b - 1].first) + 0.5f;
            if (b - a == 1) dl->AddLine(ImVec2(xa, top), ImVec2(xa, top + height * 0.5f), col, 2.5f);
            else dl->AddRectFilled(ImVec2(xa - 1.25f, top), ImVec2(xb + 1.25f, top + height * 0.5f), col);
            a = b;
        }
        if (mouse.y >= o.y && mouse.y <= o.y + height) {
            for (const auto& [c, i] : ticks) {
                if (std::fabs(mouse.x - (x0 + static_cast<float>(c) + 0.5f)) < 3) hover_ev = i;
            }
        }
        if (!tc.ticks[mk].empty()) {
            ui.probe(std::string("mark:") + std::string(to_string(static_cast<Mark>(mk))),
                     x0 + static_cast<float>(tc.ticks[mk].back().first) + 0.5f, top + 6, col);
        }
    }
    // The cursor.
    const float cx = x_of(ax.to_ct(s.time()));
    dl->AddRectFilled(ImVec2(cx - 3, o.y), ImVec2(cx + 3, o.y + height), pal.cursor, 2);
    ui.probe("timeline-cursor", cx, o.y + height * 0.5f, pal.cursor);

    if (ImGui::IsItemActive() && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
        const double frac = std::clamp((mouse.x - x0) / (x1 - x0), 0.0f, 1.0f);
        s.pause();
        s.seek_time(ax.to_t(static_cast<std::int64_t>(frac * end)));
        ui.follow_cursor = true;
    }
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        if (hover_ev != kNone) {
            ImGui::Text("%s  #%u  %s", std::string(to_string(s.model().ev(hover_ev).mark)).c_str(), hover_ev,
                        stamp(s.model().ev(hover_ev).t).c_str());
            ImGui::TextUnformatted(std::string(s.model().label(hover_ev)).c_str());
        } else {
            const double frac = std::clamp((mouse.x - x0) / (x1 - x0), 0.0f, 1.0f);
            ImGui::TextUnformatted(stamp(ax.to_t(static_cast<std::int64_t>(frac * end))).c_str());
        }
        ImGui::EndTooltip();
    }
}

}  // namespace postino::viz::ui
