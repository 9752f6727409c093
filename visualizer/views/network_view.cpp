// network_view.cpp — the network map panel.
#include "views/network_view.hpp"

#include <cfloat>
#include <cmath>
#include <map>

#include "model/text_util.hpp"
#include "views/draw_util.hpp"

namespace postino::viz::ui {
namespace {
ImVec2 lerp(ImVec2 a, ImVec2 b, float u) { return ImVec2(a.x + (b.x - a.x) * u, a.y + (b.y - a.y) * u); }
}  // namespace

void draw_network(UiContext& ui, float height) {
    const Palette& pal = *ui.pal;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ui.fonts->ui;
    const float fs = ui.fonts->px;
    fill_opaque(dl, o, ImVec2(o.x + w, o.y + height), pal.background);
    ImGui::InvisibleButton("network", ImVec2(w, height));
    ui.hit("network");
    if (ui.s == nullptr || ui.s->size() == 0) return;
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    const WorldState& st = s.state();
    dl->PushClipRect(o, ImVec2(o.x + w, o.y + height), true);

    std::vector<std::uint32_t> hosts;
    for (const std::uint32_t h : m.lane_order()) {  // the diagram's order, clockwise from the top
        if (s.filter().shows_host(h)) hosts.push_back(h);
    }
    const ImVec2 cloud(o.x + w * 0.5f, o.y + height * 0.52f);
    const float rx = w * 0.36f, ry = height * 0.34f;
    std::map<std::uint32_t, ImVec2> pos;
    const float n = static_cast<float>(std::max<std::size_t>(1, hosts.size()));
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const float ang = -1.5707963f + 6.2831853f * static_cast<float>(i) / n + (hosts.size() == 2 ? 1.5707963f : 0.0f);
        pos[hosts[i]] = ImVec2(cloud.x + rx * std::cos(ang), cloud.y + ry * std::sin(ang));
    }

    // The cloud.
    for (int k = 0; k < 5; ++k) {
        const float a = 6.2831853f * static_cast<float>(k) / 5;
        dl->AddCircleFilled(ImVec2(cloud.x + fs * 1.1f * std::cos(a), cloud.y + fs * 0.6f * std::sin(a)), fs * 0.9f,
                            with_alpha(pal.lane, 0.35f), 20);
    }
    const char* inet = "internet";
    const ImVec2 its = font->CalcTextSizeA(fs * 0.8f, FLT_MAX, 0, inet);
    dl->AddText(font, fs * 0.8f, ImVec2(cloud.x - its.x * 0.5f, cloud.y - its.y * 0.5f), pal.text, inet);

    // Access links.
    for (std::uint32_t h : hosts) {
        const ImVec2 p = pos[h];
        const HostState* hs = st.host(h);
        const bool down = hs != nullptr && hs->link_down > 0;
        const bool changed = hs != nullptr && hs->link_changes > 0;
        if (down) {
            // Broken between the host's box and the cloud.
            const ImVec2 a = lerp(p, cloud, 0.62f), b = lerp(p, cloud, 0.76f);
            dl->AddLine(p, a, pal.failure, 3);
            dl->AddLine(b, cloud, pal.failure, 3);
            cross(dl, lerp(p, cloud, 0.69f), fs * 0.4f, pal.failure, 3);
            ui.probe("link-down:" + m.host_name(h), lerp(p, cloud, 0.57f).x, lerp(p, cloud, 0.57f).y, pal.failure);
        } else {
            const ImU32 col = changed ? pal.retry : pal.lane;
            dl->AddLine(p, cloud, col, changed ? 3.0f : 2.0f);
            if (changed && hs->latency_ns >= 0) {
                const std::string lab = short_duration(hs->latency_ns) + (hs->loss_ppm > 0 ? ", loss " + std::to_string(hs->loss_ppm / 10000) + "%" : "");
                const ImVec2 mid = lerp(p, cloud, 0.5f);
                boxed_text(dl, font, fs * 0.75f, mid, pal.retry, pal.label_bg, lab, true);
            }
            ui.probe("link:" + m.host_name(h), lerp(p, cloud, 0.57f).x, lerp(p, cloud, 0.57f).y, col);
        }
    }
    // Open connections: thin lines host to host.
    for (const auto& [id, c] : st.conns) {
        if (!pos.count(c.client) || !pos.count(c.server)) continue;
        dashed_line(dl, pos[c.client], pos[c.server], with_alpha(pal.cat[static_cast<std::size_t>(Cat::tcp)], 0.5f), 1.2f, 4, 4);
    }

    // Hosts.
    std::map<std::uint32_t, int> spool_count, conn_count;
    for (const auto& [key, e] : st.spool) ++spool_count[key.first];
    for (const auto& [id, c] : st.conns) {
        ++conn_count[c.client];
        ++conn_count[c.server];
    }
    for (std::uint32_t h : hosts) {
        const ImVec2 p = pos[h];
        const HostState* hs = st.host(h);
        const bool crashed = hs != nullptr && hs->crashed;
        const bool down = hs != nullptr && hs->down();
        const std::string name = m.host_name(h);
        const ImVec2 ts = font->CalcTextSizeA(fs * 0.9f, FLT_MAX, 0, name.c_str());
        const ImVec2 a(p.x - ts.x * 0.5f - 8, p.y - ts.y * 0.5f - 5), b(p.x + ts.x * 0.5f + 8, p.y + ts.y * 0.5f + 5);
        const ImU32 fill = crashed ? pal.host_down : down ? with_alpha(pal.host_down, 0.55f) : pal.lane_title_bg;
        dl->AddRectFilled(a, b, fill, 6);
        dl->AddRect(a, b, down ? pal.host_down : pal.host_up, 6, 0, 2.5f);
        dl->AddText(font, fs * 0.9f, ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), crashed ? IM_COL32_WHITE : pal.text, name.c_str());
        ui.probe("host:" + name, a.x + 2, (a.y + b.y) * 0.5f, down ? pal.host_down : pal.host_up);
        std::string badge;
        if (crashed) badge = "CRASHED";
        else if (down) badge = "DOWN";
        if (spool_count[h] > 0) badge += (badge.empty() ? "" : "  ") + std::string("spool ") + std::to_string(spool_count[h]);
        if (conn_count[h] > 0) badge += (badge.empty() ? "" : "  ") + std::to_string(conn_count[h]) + " conn";
        if (!badge.empty()) {
            const ImVec2 bs = font->CalcTextSizeA(fs * 0.75f, FLT_MAX, 0, badge.c_str());
            dl->AddText(font, fs * 0.75f, ImVec2(p.x - bs.x * 0.5f, b.y + 2), down ? pal.failure : pal.dim_text, badge.c_str());
        }
    }
    // Packets and lines in flight at the cursor's time.
    const std::int64_t now = s.time();
    int labelled = 0;
    for (std::uint32_t ai : st.in_flight) {
        const Arrow& a = m.arrow(ai);
        if (!pos.count(a.src) || !pos.count(a.dst) || !s.filter().shows_cat(a.cat)) continue;
        if (a.kind == Kind::segment && s.filter().fold_tcp) continue;
        float u = 0.5f;
        if (a.done() && a.t1 > a.t0) u = std::clamp(static_cast<float>(now - a.t0) / static_cast<float>(a.t1 - a.t0), 0.0f, 1.0f);
        if ((a.flags & flag::lost) && u > 0.45f) u = 0.45f;  // it never gets past the cloud
        u = std::clamp(u, 0.1f, 0.9f);                          // on the link, not under a host's box
        const ImVec2 p = u < 0.5f ? lerp(pos[a.src], cloud, u * 2) : lerp(cloud, pos[a.dst], u * 2 - 1);
        const ImU32 col = (a.flags & flag::failure) ? pal.failure : ui.cat_color(a.cat);
        const float r = a.kind == Kind::line ? fs * 0.45f : fs * 0.3f;
        dl->AddCircleFilled(p, r, col, 14);
        dl->AddCircle(p, r, pal.background, 14, 1.5f);
        ui.probe("packet:" + std::string(to_string(a.cat)), p.x, p.y, col);
        if (labelled < 4 && st.in_flight.size() <= 8 && u > 0.12f && u < 0.88f) {
            const std::string lab = fit_text(font, fs * 0.75f, m.label(a.from_ev), w * 0.3f);
            boxed_text(dl, font, fs * 0.75f, ImVec2(p.x + r + 3, p.y - fs * 0.4f), col, pal.label_bg, lab, false);
            ++labelled;
        }
    }

    dl->AddText(font, fs * 0.8f, ImVec2(o.x + 6, o.y + 4), pal.dim_text, ("network at " + stamp(now)).c_str());
    dl->PopClipRect();
}

}  // namespace postino::viz::ui
