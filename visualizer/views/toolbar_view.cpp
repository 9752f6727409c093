// toolbar_view.cpp — transport controls, speed, position, toggles, filters.
#include "views/toolbar_view.hpp"

#include "model/text_util.hpp"
#include "views/timeline_view.hpp"

namespace postino::viz::ui {
namespace {

bool button(UiContext& ui, const char* label, const char* id, const char* tip, bool enabled = true) {
    ImGui::PushID(id);
    if (!enabled) ImGui::PushStyleVar(ImGuiStyleVar_Alpha, 0.45f);
    const bool pressed = ImGui::Button(label) && enabled;
    if (!enabled) ImGui::PopStyleVar();
    ui.hit(id);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    ImGui::PopID();
    ImGui::SameLine();
    return pressed;
}

}  // namespace

void draw_toolbar(UiContext& ui) {
    Session* s = ui.s;
    const bool have = s != nullptr && s->size() > 0;
    if (button(ui, "|<", "start", "Jump to the start (Home)", have)) s->to_start(), ui.follow_cursor = true;
    if (button(ui, "<<", "prev_mark", "Previous important event (Shift+Left or P)", have)) s->prev_mark(), ui.follow_cursor = true;
    if (button(ui, "<", "step_back", "Step back one event (Left)", have)) s->pause(), s->step_back(), ui.follow_cursor = true;
    const bool playing = have && s->playing();
    if (button(ui, playing ? " Pause " : " Play  ", "play", "Play / pause (Space)", have)) s->toggle_play(), ui.follow_cursor = true;
    if (button(ui, ">", "step_fwd", "Step forward one event (Right)", have)) s->pause(), s->step_forward(), ui.follow_cursor = true;
    if (button(ui, ">>", "next_mark", "Next important event (Shift+Right or N)", have)) s->next_mark(), ui.follow_cursor = true;
    if (button(ui, ">|", "end", "Jump to the end (End)", have)) s->to_end(), ui.follow_cursor = true;

    ImGui::SetNextItemWidth(ui.fonts->px * 8);
    const auto& speeds = speed_choices();
    int& sp = ui.settings->speed;
    sp = std::clamp(sp, 0, static_cast<int>(speeds.size()) - 1);
    if (ImGui::BeginCombo("##speed", speed_name(speeds[static_cast<std::size_t>(sp)]).c_str())) {
        for (std::size_t i = 0; i < speeds.size(); ++i) {
            if (ImGui::Selectable(speed_name(speeds[i]).c_str(), static_cast<int>(i) == sp)) sp = static_cast<int>(i);
        }
        ImGui::EndCombo();
    }
    ui.hit("speed");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Playback speed ([ slower, ] faster)");
    if (s != nullptr) s->set_speed(speeds[static_cast<std::size_t>(sp)]);
    ImGui::SameLine();

    if (have) {
        ImGui::Text(" %s   event %u / %u", stamp(s->time()).c_str(), s->index(), s->size());
    } else {
        ImGui::TextDisabled(" no trace");
    }
    ImGui::SameLine();
    ImGui::Checkbox("Fold TCP", &ui.settings->fold_tcp);
    ui.hit("fold_tcp");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Hide TCP segments, keep the application lines (F)");
    ImGui::SameLine();
    ImGui::Checkbox("Lecture", &ui.settings->hide_future);
    ui.hit("lecture");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Lecture mode: show nothing after the cursor (L)");
    ImGui::SameLine();
    if (ImGui::Button("Filters")) ImGui::OpenPopup("filters");
    ui.hit("filters");
    draw_filters_popup(ui);
    ImGui::SameLine();
    if (ImGui::Button("?")) ImGui::OpenPopup("help");
    ui.hit("help");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Keys and help (? or F1)");
}

void draw_filters_popup(UiContext& ui) {
    if (!ImGui::BeginPopup("filters")) return;
    if (ui.s == nullptr) {
        ImGui::TextDisabled("no trace");
        ImGui::EndPopup();
        return;
    }
    Filter& f = ui.s->filter();
    ImGui::TextUnformatted("Protocols");
    for (std::size_t c = 0; c < kCatCount; ++c) {
        const Cat cat = static_cast<Cat>(c);
        if (!ui.s->model().has_cat(cat)) continue;
        ImGui::PushStyleColor(ImGuiCol_Text, ui.cat_color(cat));
        ImGui::Checkbox(std::string(to_string(cat)).c_str(), &f.cats[c]);
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Hosts");
    const TraceModel& m = ui.s->model();
    for (const std::uint32_t h : m.lane_order()) {
        bool shown = f.shows_host(h);
        if (ImGui::Checkbox(m.host_name(h).c_str(), &shown)) f.set_host(h, shown);
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Jump between");
    for (std::size_t mk = 1; mk < kMarkCount; ++mk) {
        ImGui::PushStyleColor(ImGuiCol_Text, mark_color(ui, static_cast<Mark>(mk)));
        ImGui::Checkbox(std::string(to_string(static_cast<Mark>(mk))).c_str(), &ui.s->mark_enabled[mk]);
        ImGui::PopStyleColor();
    }
    if (ImGui::Button("Show everything")) {
        f = Filter{};
        f.fold_tcp = ui.settings->fold_tcp;
    }
    ImGui::EndPopup();
}

}  // namespace postino::viz::ui
