// sequence_view.cpp — drawing and interaction of the sequence diagram.
#include "views/sequence_view.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "core/trace_describe.hpp"
#include "model/text_util.hpp"
#include "views/draw_util.hpp"

namespace postino::viz::ui {
namespace {

// A tick step of 1, 2 or 5 times a power of ten nanoseconds, at least min_ns.
std::int64_t nice_step(double min_ns) {
    double p = 1;
    while (p * 10 <= min_ns) p *= 10;
    for (double m : {1.0, 2.0, 5.0, 10.0}) {
        if (p * m >= min_ns) return static_cast<std::int64_t>(p * m);
    }
    return static_cast<std::int64_t>(p * 10);
}

std::string tick_label(std::int64_t t, std::int64_t step) {
    char buf[48];
    const double s = static_cast<double>(t) / 1e9;
    if (t >= 3'600'000'000'000) return stamp(t).substr(0, 12);
    if (t >= 60'000'000'000) {
        // m:ss with as many decimals as the step needs.
        const int decimals = step >= 1'000'000'000 ? 0 : step >= 100'000'000 ? 1 : step >= 10'000'000 ? 2 : 3;
        const double sec = std::fmod(s, 60.0);
        std::snprintf(buf, sizeof buf, "%d:%0*.*f", static_cast<int>(s / 60), decimals == 0 ? 2 : 3 + decimals, decimals, sec);
        return buf;
    }
    if (step >= 1'000'000'000) std::snprintf(buf, sizeof buf, "%.0f s", s);
    else if (step >= 100'000'000) std::snprintf(buf, sizeof buf, "%.1f s", s);
    else if (step >= 10'000'000) std::snprintf(buf, sizeof buf, "%.2f s", s);
    else if (step >= 1'000'000) std::snprintf(buf, sizeof buf, "%.3f s", s);
    else if (step >= 100'000) std::snprintf(buf, sizeof buf, "%.4f s", s);
    else if (step >= 10'000) std::snprintf(buf, sizeof buf, "%.5f s", s);
    else std::snprintf(buf, sizeof buf, "%.6f s", s);
    return buf;
}

bool inside_gap(const TimeAxis& ax, std::int64_t ct) {
    const auto& gaps = ax.gaps();
    auto it = std::upper_bound(gaps.begin(), gaps.end(), ct, [](std::int64_t c, const TimeAxis::Gap& g) { return c < g.ct0; });
    if (it == gaps.begin()) return false;
    --it;
    return ct < it->ct0 + ax.max_gap();
}

std::string fold_text(const DrawFold& f) {
    std::string s = std::to_string(f.count) + " events";
    for (std::size_t c = 0; c < f.cats.size(); ++c) {
        if (f.cats[c] == 0) continue;
        s += "  " + std::string(to_string(static_cast<Cat>(c))) + " " + std::to_string(f.cats[c]);
    }
    return s;
}

struct Canvas {
    ImDrawList* dl;
    ImVec2 o;          // top-left of the diagram area (below the lane titles)
    float w, h;
    [[nodiscard]] ImVec2 at(float x, float y) const { return ImVec2(o.x + x, o.y + y); }
};

}  // namespace

void frame_cursor(UiContext& ui, std::uint32_t around) {
    if (ui.s == nullptr || ui.s->size() == 0) return;
    // The last `around` events before the cursor fill the upper part of the
    // view; what comes next gets the lower part.
    const Session& s = *ui.s;
    const std::uint32_t k = s.index();
    // Count shown events only: with TCP folded, a dozen events are a dozen
    // lines, not a dozen segments (bounded, for huge mostly hidden traces).
    std::uint32_t first = k, counted = 0;
    for (std::uint32_t steps = 0; first > 0 && counted < around && steps < 200'000; ++steps) {
        --first;
        if (s.filter().visible(s.model(), first)) ++counted;
    }
    const std::int64_t c0 = k == 0 ? 0 : s.axis().ct_of(first);
    const std::int64_t cur = s.axis().to_ct(s.time());
    std::int64_t span = cur - c0;
    if (span <= 0) {
        // At the start: frame the first events instead.
        std::uint32_t last = 0;
        for (std::uint32_t n = 0, steps = 0; last + 1 < s.size() && n < around && steps < 200'000; ++steps) {
            ++last;
            if (s.filter().visible(s.model(), last)) ++n;
        }
        span = s.axis().ct_of(last) - c0;
    }
    span = std::max<std::int64_t>(span, 100'000);  // at least 0.1 ms
    const double height = std::max(1.0f, ui.view.height);
    ui.view.ns_per_px = std::max(static_cast<double>(span) / (0.62 * height), 1.0);
    ui.view.top_ct = c0 - static_cast<std::int64_t>(0.06 * height * ui.view.ns_per_px);
}

void draw_sequence(UiContext& ui) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const Palette& pal = *ui.pal;
    ImFont* font = ui.fonts->ui;
    const float fs = ui.fonts->px;
    const float title_h = fs * 1.9f;
    if (ui.s == nullptr || ui.s->size() == 0) {
        fill_opaque(dl, origin, ImVec2(origin.x + avail.x, origin.y + avail.y), pal.background);
        const char* msg = ui.s == nullptr ? "No trace open. Drop a .jsonl file here or use File > Open."
                                          : "This trace has no events yet.";
        dl->AddText(font, fs, ImVec2(origin.x + 20, origin.y + 20), pal.dim_text, msg);
        ImGui::Dummy(avail);
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();

    SeqView& v = ui.view;
    v.width = std::max(200.0f, avail.x);
    v.height = std::max(50.0f, avail.y - title_h);
    v.gutter = fs * 5.2f;
    v.row_px = fs * 1.3f;
    v.hide_future = ui.settings->hide_future;
    if (!ui.view_ready) {
        frame_cursor(ui);
        ui.view_ready = true;
    }

    // Keep the cursor in view when it moves.
    const bool moved = ui.seen_index != s.index() || ui.seen_time != s.time();
    if (moved && ui.follow_cursor) {
        const float cy = v.y_of_ct(s.axis().to_ct(s.time()));
        if (cy < 0.06f * v.height || cy > 0.88f * v.height) {
            v.top_ct = s.axis().to_ct(s.time()) - static_cast<std::int64_t>(0.35 * v.height * v.ns_per_px);
        }
    }

    // Interaction on the diagram area.
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + title_h));
    ImGui::InvisibleButton("seq_canvas", ImVec2(v.width, v.height),
                           ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    ui.hit("seq_canvas");
    const bool hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    const Canvas cv{dl, ImVec2(origin.x, origin.y + title_h), v.width, v.height};
    // The two backgrounds side by side (each pixel filled once): the lane
    // titles' strip, and the diagram under it.
    fill_opaque(dl, origin, ImVec2(origin.x + avail.x, origin.y + title_h), pal.lane_title_bg);
    fill_opaque(dl, cv.o, ImVec2(origin.x + avail.x, origin.y + avail.y), pal.background);
    const float mx = io.MousePos.x - cv.o.x, my = io.MousePos.y - cv.o.y;
    if (hovered && io.MouseWheel != 0) {
        const std::int64_t at = v.ct_of_y(my);
        v.ns_per_px = std::clamp(v.ns_per_px * std::pow(0.8, static_cast<double>(io.MouseWheel)), 0.5, 1e14);
        v.top_ct = at - static_cast<std::int64_t>(static_cast<double>(my) * v.ns_per_px);
        ui.follow_cursor = false;
    }
    if (ImGui::IsItemActive() && (ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4) || ImGui::IsMouseDragging(ImGuiMouseButton_Right, 4))) {
        v.top_ct -= static_cast<std::int64_t>(static_cast<double>(io.MouseDelta.y) * v.ns_per_px);
        ui.follow_cursor = false;
    }

    const SeqLayout& L = ui.seq_layout.get(s, v);
    const auto lane_x = [&](int lane) { return lane < 0 ? v.gutter : L.lane_x[static_cast<std::size_t>(lane)]; };

    if (hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 16.0f) {
        const std::uint32_t hit = hit_test(L, s, mx, my);
        if (hit != kNone) {
            s.selected = hit;
            ui.tab_request = static_cast<int>(Tab::inspector);
        }
    }
    if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
        bool zoomed = false;
        for (const auto& f : L.folds) {
            if (mx >= lane_x(f.lane0) && mx <= lane_x(f.lane1) && my >= f.y0 - 4 && my <= std::max(f.y1, f.y0 + v.row_px) + 4) {
                v = view_around(s, f.first_ev, f.last_ev, v);
                ui.follow_cursor = false;
                zoomed = true;
                break;
            }
        }
        const std::uint32_t hit = zoomed ? kNone : hit_test(L, s, mx, my);
        if (hit != kNone) s.seek(hit + 1);
    }

    dl->PushClipRect(cv.o, ImVec2(cv.o.x + cv.w, cv.o.y + cv.h), true);
    const float lw = pal.line_w;

    // Time gutter ticks (not inside compressed gaps).
    {
        const std::int64_t step = nice_step(v.ns_per_px * fs * 3.5);
        const std::int64_t first = (v.top_ct / step) * step;
        for (std::int64_t c = first; c <= v.bottom_ct(); c += step) {
            if (c < 0 || inside_gap(s.axis(), c)) continue;
            const float y = v.y_of_ct(c);
            dl->AddLine(cv.at(v.gutter - 6, y), cv.at(v.width, y), with_alpha(pal.lane, 0.18f), 1);
            const std::string lab = tick_label(s.axis().to_t(c), step);
            dl->AddText(font, fs * 0.8f, cv.at(4, y - fs * 0.45f), pal.dim_text, lab.c_str());
        }
    }

    // Lanes, bands.
    for (std::size_t i = 0; i < L.lane_x.size(); ++i) {
        const float x = L.lane_x[i];
        const HostState* hs = s.state().host(L.lane_hosts[i]);
        const bool down = hs != nullptr && hs->down();
        const ImU32 lc = down ? pal.host_down : pal.lane;
        if (down) dashed_line(dl, cv.at(x, 0), cv.at(x, v.height), lc, 2);
        else dl->AddLine(cv.at(x, 0), cv.at(x, v.height), lc, 2);
        ui.probe("lane:" + m.host_name(L.lane_hosts[i]), cv.o.x + x, cv.o.y + v.height * 0.5f, lc);
    }
    for (const auto& b : L.bands) {
        const float x = lane_x(b.lane);
        const float y0 = std::max(b.y0, -10.0f), y1 = std::min(b.y1, v.height + 10);
        ImU32 col = pal.band_down;
        const char* what = "host down";
        if (b.what == DrawBand::What::link_down) { col = pal.band_link; what = "link down"; }
        if (b.what == DrawBand::What::crashed) { col = pal.band_crash; what = "crashed"; }
        if (b.what == DrawBand::What::link_change) { col = pal.band_change; what = "link changed"; }
        dl->AddRectFilled(cv.at(x - fs * 0.7f, y0), cv.at(x + fs * 0.7f, y1), col);
        const ImU32 edge = col | IM_COL32_A_MASK;  // an opaque edge, so the band reads on any background
        dl->AddLine(cv.at(x - fs * 0.7f, y0), cv.at(x - fs * 0.7f, y1), edge, 3);
        dl->AddLine(cv.at(x + fs * 0.7f, y0), cv.at(x + fs * 0.7f, y1), edge, 3);
        // The band's start has its own marker and label; once that has scrolled
        // away, the band says what it is at the top of the view.
        if (b.y0 < v.row_px) boxed_text(dl, font, fs * 0.75f, cv.at(x + fs * 0.8f, 4), pal.failure, pal.label_bg, what, false);
        ui.probe(std::string("band:") + what, cv.o.x + x - fs * 0.7f, cv.o.y + std::clamp((y0 + y1) / 2, 2.0f, v.height - 2), edge);
    }
    // Breaks.
    for (const auto& br : L.breaks) {
        dashed_line(dl, cv.at(0, br.y), cv.at(v.width, br.y), pal.gap, 1.5f, 4, 4);
        const std::string lab = "... " + short_duration(br.gap_ns) + " idle ...";
        boxed_text(dl, font, fs * 0.8f, cv.at(v.gutter + 6, br.y - fs * 0.45f), pal.gap, pal.label_bg, lab, false);
    }

    // Folds. In a dense view folds of many lane pairs overlap, and so would
    // their labels at the same height: a label that would be written over
    // another one is left out (hovering the fold still says what it holds).
    std::vector<ImVec4> fold_labels;
    for (const auto& f : L.folds) {
        const float x0 = lane_x(f.lane0) + 6, x1 = lane_x(f.lane1) - 6;
        const float y1 = std::max(f.y1, f.y0 + v.row_px * 0.8f);
        const ImU32 base = (f.flags & flag::failure) ? pal.failure : ui.cat_color(f.dominant());
        const float a = f.future ? pal.future_alpha : 1.0f;
        // Dense views hold hundreds of folds spanning many lanes: filled, they
        // would be blended over each other many times per pixel.
        if (!L.dense) dl->AddRectFilled(cv.at(x0, f.y0), cv.at(x1, y1), with_alpha(base, 0.16f * a), 4);
        dl->AddRect(cv.at(x0, f.y0), cv.at(x1, y1), with_alpha(base, a), 4, 0, f.selected ? 3.0f : 2.0f);
        const std::string lab = fit_text(font, fs * 0.85f, fold_text(f), x1 - x0 - 8);
        const float ty = std::clamp((f.y0 + y1) * 0.5f - fs * 0.45f, f.y0, std::max(f.y0, y1 - fs));
        bool covered = false;
        if (L.dense) {
            const ImVec2 ts = font->CalcTextSizeA(fs * 0.85f, FLT_MAX, 0, lab.c_str());
            const ImVec4 box((x0 + x1 - ts.x) * 0.5f - 2, ty, (x0 + x1 + ts.x) * 0.5f + 2, ty + ts.y);
            for (const ImVec4& b : fold_labels) covered = covered || (box.x < b.z && b.x < box.z && box.y < b.w && b.y < box.w);
            if (!covered) fold_labels.push_back(box);
        }
        if (!covered) boxed_text(dl, font, fs * 0.85f, cv.at((x0 + x1) * 0.5f, ty), with_alpha(pal.text, a), pal.label_bg, lab, true);
        const float py = std::clamp((f.y0 + y1) * 0.5f, 2.0f, v.height - 2);
        if (!f.future) ui.probe(std::string("fold:") + std::string(to_string(f.dominant())), cv.o.x + x0, cv.o.y + py, base);
    }

    // Markers: failures drawn last, so a red mark is never hidden under another.
    std::vector<const DrawMarker*> marker_order;
    for (const auto& mk : L.markers) marker_order.push_back(&mk);
    std::stable_partition(marker_order.begin(), marker_order.end(), [](const DrawMarker* d) { return !(d->flags & flag::failure); });
    for (const DrawMarker* mkp : marker_order) {
        const DrawMarker& mk = *mkp;
        const Ev& ev = m.ev(mk.ev);
        const float alpha = mk.future ? pal.future_alpha : 1.0f;
        ImU32 base = (mk.flags & flag::failure) ? pal.failure : ui.cat_color(ev.cat);
        if ((mk.flags & flag::bounce) && !(mk.flags & flag::failure)) base = pal.bounce;
        const ImU32 col = with_alpha(base, alpha);
        if (mk.lane < 0) {
            // World-level (no host): a line across the diagram, like a chapter mark.
            dashed_line(dl, cv.at(v.gutter, mk.y), cv.at(v.width, mk.y), with_alpha(base, 0.6f * alpha), 1.5f, 10, 6);
            const std::string lab = fit_text(font, fs * 0.85f, m.label(mk.ev), v.width - v.gutter - 20);
            boxed_text(dl, font, fs * 0.85f, cv.at(v.gutter + 8, mk.y - fs * 1.0f), col, with_alpha(pal.label_bg, alpha), lab, false);
            if (!mk.future) ui.probe("world:" + std::string(m.label(mk.ev)), cv.o.x + v.width - 30, cv.o.y + mk.y, base);
            continue;
        }
        const float x = lane_x(mk.lane);
        const ImVec2 c = cv.at(x, mk.y);
        const float r = fs * 0.3f;
        if (mk.flags & flag::failure) {
            dl->AddQuadFilled(ImVec2(c.x, c.y - r * 1.3f), ImVec2(c.x + r * 1.3f, c.y), ImVec2(c.x, c.y + r * 1.3f),
                              ImVec2(c.x - r * 1.3f, c.y), col);
        } else if (L.dense) {
            // A dense view has a dot on every row of every lane: a square (4
            // vertices, no anti-aliased rim) instead of a 12-sided disc.
            dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col);
        } else {
            dl->AddCircleFilled(c, r, col, 12);
        }
        if (mk.selected) dl->AddCircle(c, r + 4, pal.selection, 16, 2);
        // Label to the right, up to the next lane.
        float limit = v.width - x - 12;
        if (mk.lane + 1 < static_cast<int>(L.lane_x.size())) limit = L.lane_x[static_cast<std::size_t>(mk.lane + 1)] - x - 16;
        std::string text(m.label(mk.ev));
        if (mk.count > 1) text = "x" + std::to_string(mk.count) + "  " + text + " ...";
        // A dense view has a marker on every row of every lane: dots only.
        const std::string lab = L.dense ? std::string() : fit_text(font, fs * 0.8f, text, limit);
        if (!lab.empty()) {
            const ImU32 tc = ev.kind == Kind::note ? with_alpha(pal.dim_text, alpha) : col;
            const float ty = cv.o.y + mk.label_y + (v.row_px - fs * 0.8f) * 0.5f;
            if (ty > c.y - fs * 0.2f) dl->AddLine(ImVec2(c.x + r, c.y), ImVec2(c.x + r + 5, ty + fs * 0.4f), with_alpha(base, 0.6f * alpha), 1);
            boxed_text(dl, font, fs * 0.8f, ImVec2(c.x + r + 5, ty), tc, with_alpha(pal.label_bg, alpha), lab, false);
        }
        if (!mk.future && mk.y >= 0 && mk.y <= v.height) ui.probe("marker:" + std::string(to_string(ev.cat)) + ":" + std::string(m.label(mk.ev)), c.x, c.y, base);
    }

    // Arrows.
    std::vector<ImVec4> label_boxes;
    std::vector<ui::Probe> arrow_probes;
    for (const auto& a : L.arrows) {
        const Arrow& ar = m.arrow(a.arrow);
        const float x0 = lane_x(a.lane0), x1full = lane_x(a.lane1);
        const bool lost = (a.flags & flag::lost) != 0;
        const float x1 = lost ? x0 + (x1full - x0) * 0.6f : x1full;
        const ImU32 base = (a.flags & flag::failure) ? pal.failure : ui.cat_color(a.cat);
        const float alpha = a.future ? pal.future_alpha : 1.0f;
        const ImU32 col = with_alpha(base, alpha);
        const ImVec2 p0 = cv.at(x0, a.y0), p1 = cv.at(x1, a.y1);
        const bool dashed = (a.flags & flag::retry) != 0 || a.open_end;
        const float w = a.selected ? lw * 2.2f : lw;
        if (a.selected) dl->AddLine(p0, p1, with_alpha(pal.selection, 0.35f), w + 5);
        if (a.flags & flag::bounce) dl->AddLine(p0, p1, with_alpha(pal.bounce, 0.45f * alpha), w + 6);
        if (a.y_cut >= 0 && !a.future && a.y1 > a.y0) {
            // In flight at the cursor: solid up to now, faint after.
            const float u = (a.y_cut - a.y0) / (a.y1 - a.y0);
            const ImVec2 pc(p0.x + (p1.x - p0.x) * u, p0.y + (p1.y - p0.y) * u);
            dl->AddLine(p0, pc, col, w);
            dashed_line(dl, pc, p1, with_alpha(base, pal.future_alpha), w);
            dl->AddCircleFilled(pc, w * 2.2f, col);
        } else if (dashed) {
            dashed_line(dl, p0, p1, col, w);
        } else {
            dl->AddLine(p0, p1, col, w);
        }
        if (lost) {
            cross(dl, p1, fs * 0.35f, with_alpha(pal.failure, alpha), w + 0.8f);
        } else if (!a.open_end) {
            const ImVec2 from = (a.flags & flag::one_sided) ? ImVec2(p1.x - (x1 > x0 ? 10.0f : -10.0f), p1.y) : p0;
            arrow_head(dl, from, p1, col, fs * 0.55f);
        }
        // The label sits on the line, in the row the layout gave it.
        const std::string_view text = m.label(ar.from_ev);
        // A lost packet's label sits on the part that was travelled, so the cross stays visible.
        const float span = std::fabs((lost ? x1 : x1full) - x0);
        const std::string lab = a.has_label ? fit_text(font, fs * 0.85f, text, span - fs * 1.2f) : std::string();
        const float ly = a.label_y + v.row_px * 0.5f;  // the row's middle
        float lx = (x0 + x1) * 0.5f;
        if (a.y1 - a.y0 > 1) lx = x0 + (x1 - x0) * std::clamp((ly - a.y0) / (a.y1 - a.y0), 0.0f, 1.0f);
        const float xe = lost ? x1 : x1full;
        lx = std::clamp(lx, std::min(x0, xe) + span * 0.5f - 1, std::max(x0, xe) - span * 0.5f + 1);
        if (!lab.empty()) {
            const bool later = a.y_cut >= 0 && ly > a.y_cut;  // the part not travelled yet
            boxed_text(dl, font, fs * 0.85f, cv.at(lx, ly - fs * 0.45f), later ? with_alpha(base, 0.55f) : col,
                       with_alpha(pal.label_bg, alpha), lab, true);
        }
        if (!lab.empty()) {
            const ImVec2 ts = font->CalcTextSizeA(fs * 0.85f, FLT_MAX, 0, lab.c_str());
            label_boxes.push_back(ImVec4(cv.o.x + lx - ts.x * 0.5f - 4, cv.o.y + ly - fs * 0.45f - 3,
                                         cv.o.x + lx + ts.x * 0.5f + 4, cv.o.y + ly - fs * 0.45f + ts.y + 3));
        }
        if (ui.record_probes && !a.future) {
            // Candidate points on the line (on a dash when dashed), checked against labels below.
            const float len = std::hypot(p1.x - p0.x, p1.y - p0.y);
            for (float u : {0.2f, 0.8f, 0.1f, 0.9f, 0.3f, 0.7f, 0.4f, 0.6f}) {
                if (dashed && len > 1) u = (std::floor(u * len / 12.0f) * 12.0f + 3.5f) / len;
                const ImVec2 q(p0.x + (p1.x - p0.x) * u, p0.y + (p1.y - p0.y) * u);
                if (q.y > cv.o.y + 2 && q.y < cv.o.y + cv.h - 2 && (a.y_cut < 0 || q.y <= cv.o.y + a.y_cut)) {
                    arrow_probes.push_back(ui::Probe{"arrow:" + std::string(to_string(a.cat)) + ":" + std::string(text), q.x, q.y, base});
                }
            }
            arrow_probes.push_back(ui::Probe{"", 0, 0, 0});  // end of this arrow's candidates
        }
    }

    // Each arrow's probe: its first candidate point that no label covers.
    {
        bool done = false;
        for (const auto& p : arrow_probes) {
            if (p.name.empty()) {
                done = false;
                continue;
            }
            if (done) continue;
            bool covered = false;
            for (const auto& b : label_boxes) covered = covered || (p.x >= b.x && p.x <= b.z && p.y >= b.y && p.y <= b.w);
            if (!covered) {
                ui.probe(p.name, p.x, p.y, p.color);
                done = true;
            }
        }
    }

    // The cursor.
    if (L.cursor_y >= -2 && L.cursor_y <= v.height + 2) {
        dl->AddLine(cv.at(0, L.cursor_y), cv.at(v.width, L.cursor_y), pal.cursor, 2.5f);
        // The cursor's time in the gutter, over the tick labels.
        const std::string now = tick_label(s.time(), 1'000'000);
        const ImVec2 ts = font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, now.c_str());
        const ImVec2 a = cv.at(2, L.cursor_y - ts.y * 0.5f - 3), b = cv.at(2 + ts.x + 8, L.cursor_y + ts.y * 0.5f + 3);
        dl->AddRectFilled(a, b, pal.cursor, 4);
        dl->AddText(font, fs * 0.8f, ImVec2(a.x + 4, a.y + 3), IM_COL32(0, 0, 0, 255), now.c_str());
        ui.probe("cursor", cv.o.x + v.gutter + 2, cv.o.y + L.cursor_y, pal.cursor);
    }
    if (v.hide_future) {
        const char* t = "lecture mode: what happens next is hidden (L)";
        const ImVec2 ts = font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, t);
        dl->AddText(font, fs * 0.8f, cv.at(v.width - ts.x - 8, v.height - ts.y - 4), pal.dim_text, t);
    }
    dl->PopClipRect();

    // Lane titles, pinned above the diagram.
    for (std::size_t i = 0; i < L.lane_x.size(); ++i) {
        const float x = origin.x + L.lane_x[i];
        const std::uint32_t h = L.lane_hosts[i];
        const HostState* hs = s.state().host(h);
        const bool down = hs != nullptr && hs->down();
        const bool link = hs != nullptr && hs->link_down > 0;
        const float spacing = L.lane_x.size() > 1 ? L.lane_x[1] - L.lane_x[0] : v.width;
        const std::string name = fit_text(font, fs, m.host_name(h), spacing - fs * 1.6f);
        const ImVec2 ts = font->CalcTextSizeA(fs, FLT_MAX, 0, name.c_str());
        const ImU32 dot = down ? pal.host_down : link ? pal.band_link | IM_COL32_A_MASK : pal.host_up;
        dl->AddCircleFilled(ImVec2(x - ts.x * 0.5f - fs * 0.55f, origin.y + title_h * 0.5f), fs * 0.3f, dot, 12);
        dl->AddText(font, fs, ImVec2(x - ts.x * 0.5f, origin.y + (title_h - ts.y) * 0.5f), pal.text, name.c_str());
        ui.probe("title:" + m.host_name(h), x - ts.x * 0.5f - fs * 0.55f, origin.y + title_h * 0.5f, dot);
    }
    dl->AddText(font, fs * 0.8f, ImVec2(origin.x + 4, origin.y + (title_h - fs * 0.8f) * 0.5f), pal.dim_text, "time");

    // Hover: what is under the mouse.
    if (hovered && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        const std::uint32_t hit = hit_test(L, s, mx, my);
        if (hit != kNone) {
            ImGui::BeginTooltip();
            const trace::Event e = m.full(hit);
            ImGui::Text("#%u  %s", hit, stamp(m.ev(hit).t).c_str());
            ImGui::TextUnformatted(trace::endpoints(e).c_str());
            ImGui::TextUnformatted(std::string(m.label(hit)).c_str());
            ImGui::TextDisabled("click: inspect   double-click: move the cursor here");
            ImGui::EndTooltip();
        }
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + avail.y));
    ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace postino::viz::ui
