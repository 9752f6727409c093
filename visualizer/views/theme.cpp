// theme.cpp — ImGui styles and the diagram palette per theme.
#include "views/theme.hpp"

namespace postino::viz::ui {
namespace {
ImU32 rgb(int r, int g, int b, int a = 255) { return IM_COL32(r, g, b, a); }
void set_cat(Palette& p, Cat c, ImU32 v) { p.cat[static_cast<std::size_t>(c)] = v; }
}  // namespace

Palette make_palette(Theme t) {
    Palette p;
    if (t == Theme::dark) {
        set_cat(p, Cat::tcp, rgb(150, 160, 175));
        set_cat(p, Cat::udp, rgb(190, 190, 120));
        set_cat(p, Cat::dns, rgb(240, 170, 60));
        set_cat(p, Cat::smtp, rgb(90, 170, 255));
        set_cat(p, Cat::pop3, rgb(70, 210, 150));
        set_cat(p, Cat::imap, rgb(200, 140, 255));
        set_cat(p, Cat::http, rgb(80, 220, 230));
        set_cat(p, Cat::app, rgb(120, 200, 255));
        set_cat(p, Cat::mail, rgb(140, 220, 90));
        set_cat(p, Cat::fault, rgb(255, 90, 80));
        set_cat(p, Cat::note, rgb(220, 210, 170));
        p.failure = rgb(255, 70, 70);
        p.bounce = rgb(255, 80, 220);
        p.retry = rgb(255, 200, 40);
        p.lane = rgb(110, 115, 130);
        p.lane_title_bg = rgb(45, 50, 62);
        p.text = rgb(235, 235, 240);
        p.dim_text = rgb(150, 150, 160);
        p.background = rgb(24, 26, 32);
        p.label_bg = rgb(24, 26, 32, 215);
        p.band_down = rgb(255, 60, 60, 55);
        p.band_link = rgb(255, 150, 40, 60);
        p.band_crash = rgb(255, 40, 40, 80);
        p.band_change = rgb(255, 220, 60, 40);
        p.cursor = rgb(255, 220, 0);
        p.selection = rgb(255, 255, 255);
        p.new_row = rgb(255, 220, 0, 70);
        p.changed_row = rgb(90, 170, 255, 60);
        p.gap = rgb(130, 130, 150);
        p.host_up = rgb(70, 200, 110);
        p.host_down = rgb(255, 70, 70);
        p.line_w = 1.8f;
    } else {
        const bool hc = t == Theme::projector;
        set_cat(p, Cat::tcp, hc ? rgb(70, 70, 70) : rgb(110, 115, 125));
        set_cat(p, Cat::udp, rgb(120, 120, 0));
        set_cat(p, Cat::dns, hc ? rgb(200, 100, 0) : rgb(210, 120, 0));
        set_cat(p, Cat::smtp, hc ? rgb(0, 70, 220) : rgb(20, 100, 220));
        set_cat(p, Cat::pop3, hc ? rgb(0, 140, 60) : rgb(0, 150, 90));
        set_cat(p, Cat::imap, hc ? rgb(130, 0, 200) : rgb(140, 60, 210));
        set_cat(p, Cat::http, rgb(0, 140, 160));
        set_cat(p, Cat::app, hc ? rgb(0, 110, 190) : rgb(30, 120, 200));
        set_cat(p, Cat::mail, hc ? rgb(40, 130, 0) : rgb(60, 150, 20));
        set_cat(p, Cat::fault, rgb(220, 0, 0));
        set_cat(p, Cat::note, rgb(120, 90, 40));
        p.failure = rgb(225, 0, 0);
        p.bounce = rgb(210, 0, 170);
        p.retry = rgb(220, 140, 0);
        p.lane = hc ? rgb(40, 40, 40) : rgb(150, 150, 160);
        p.lane_title_bg = hc ? rgb(230, 230, 230) : rgb(228, 230, 236);
        p.text = hc ? rgb(0, 0, 0) : rgb(20, 20, 30);
        p.dim_text = hc ? rgb(70, 70, 70) : rgb(110, 110, 120);
        p.background = rgb(255, 255, 255);
        p.label_bg = rgb(255, 255, 255, 225);
        p.band_down = rgb(255, 0, 0, hc ? 45 : 35);
        p.band_link = rgb(255, 140, 0, hc ? 60 : 45);
        p.band_crash = rgb(255, 0, 0, hc ? 70 : 55);
        p.band_change = rgb(230, 200, 0, 50);
        p.cursor = hc ? rgb(255, 0, 140) : rgb(240, 120, 0);
        p.selection = rgb(0, 0, 0);
        p.new_row = rgb(255, 230, 0, 110);
        p.changed_row = rgb(0, 120, 255, 45);
        p.gap = rgb(120, 120, 130);
        p.host_up = rgb(0, 160, 60);
        p.host_down = rgb(220, 0, 0);
        p.line_w = hc ? 2.6f : 1.8f;
        p.future_alpha = hc ? 0.18f : 0.22f;
    }
    return p;
}

void apply_style(Theme t, float font_px) {
    ImGuiStyle style;
    if (t == Theme::dark) {
        ImGui::StyleColorsDark(&style);
    } else {
        ImGui::StyleColorsLight(&style);
    }
    const float k = font_px / 13.0f;
    style.WindowPadding = ImVec2(6 * k, 6 * k);
    style.FramePadding = ImVec2(5 * k, 3 * k);
    style.ItemSpacing = ImVec2(7 * k, 4 * k);
    style.ItemInnerSpacing = ImVec2(4 * k, 4 * k);
    style.CellPadding = ImVec2(4 * k, 2 * k);
    style.ScrollbarSize = 12 * k;
    style.GrabMinSize = 10 * k;
    style.IndentSpacing = 16 * k;
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.TabRounding = 3;
    if (t == Theme::projector) {
        style.Colors[ImGuiCol_Text] = ImVec4(0, 0, 0, 1);
        style.Colors[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
        style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 0);  // the window's white shows through: no second fill
        style.Colors[ImGuiCol_Border] = ImVec4(0, 0, 0, 0.6f);
        style.Colors[ImGuiCol_Button] = ImVec4(0.85f, 0.85f, 0.85f, 1);
        style.Colors[ImGuiCol_ButtonHovered] = ImVec4(0.7f, 0.8f, 1.0f, 1);
        style.Colors[ImGuiCol_Tab] = ImVec4(0.85f, 0.85f, 0.85f, 1);
        style.Colors[ImGuiCol_TabActive] = ImVec4(0.55f, 0.7f, 1.0f, 1);
        style.Colors[ImGuiCol_Header] = ImVec4(0.8f, 0.85f, 0.95f, 1);
        style.FrameBorderSize = 1;
        style.WindowBorderSize = 1.5f;
    }
    ImGui::GetStyle() = style;
}

}  // namespace postino::viz::ui
