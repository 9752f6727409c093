// help_view.cpp — keys and legend.
#include "views/help_view.hpp"

#include "views/timeline_view.hpp"

namespace postino::viz::ui {

const std::vector<KeyHelp>& key_help() {
    static const std::vector<KeyHelp> kKeys{
        {"Space", "play / pause"},
        {"Right / Left", "step forward / back one event (hidden events are applied, not shown)"},
        {"Shift+Right / Shift+Left, N / P", "next / previous important event (handshake, delivery, deferral, bounce, fault)"},
        {"Home / End", "jump to the start / end"},
        {"[ / ]", "slower / faster"},
        {"+ / -", "larger / smaller text (projector)"},
        {"F", "fold TCP segments (keep the application lines)"},
        {"L", "lecture mode: hide what happens after the cursor"},
        {"T", "theme: dark, light, projector (high contrast)"},
        {"Z / A", "zoom to the cursor / show the whole trace"},
        {"Up / Down, PageUp / PageDown", "pan the diagram"},
        {"1 ... 5", "Inspector, Spool, Mailboxes, Message, Events"},
        {"Ctrl+O, Ctrl+R", "open a file, reload it"},
        {"? or F1", "this help; Esc closes it"},
        {"mouse", "wheel: zoom around the pointer; drag: pan; click: inspect; double-click: move the cursor there"},
    };
    return kKeys;
}

void draw_help(UiContext& ui, bool& open) {
    if (!open) return;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(io.DisplaySize.x * 0.9f, ui.fonts->px * 52), std::min(io.DisplaySize.y * 0.9f, ui.fonts->px * 40)));
    ImGui::SetNextWindowBgAlpha(0.97f);
    if (!ImGui::Begin("Help - postino-viz", &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    ui.hit("help_window");
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
        ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ui.fonts->px * 14);
        ImGui::TableSetupColumn("does");
        for (const auto& k : key_help()) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k.keys);
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", k.what);
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextUnformatted("Colours");
    for (std::size_t c = 0; c < kCatCount; ++c) {
        ImGui::PushStyleColor(ImGuiCol_Text, ui.cat_color(static_cast<Cat>(c)));
        ImGui::TextUnformatted(std::string(to_string(static_cast<Cat>(c))).c_str());
        ImGui::PopStyleColor();
        if (c + 1 < kCatCount) ImGui::SameLine();
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->failure);
    ImGui::TextUnformatted("red: a failure (refused, lost with a cross, 4xx/5xx, -ERR, NO/BAD, deferred, bounced)");
    ImGui::PopStyleColor();
    ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->bounce);
    ImGui::TextUnformatted("magenta halo: a bounce or DSN (MAIL FROM:<>)");
    ImGui::PopStyleColor();
    ImGui::TextWrapped("dashed arrow: a retransmission or a line never received; a boxed \"N events\": arrows too close to "
                       "read, folded - zoom in or double-click it; a dotted line across: time compressed (idle gap).");
    ImGui::TextUnformatted("Timeline ticks:");
    for (std::size_t mk = 1; mk < kMarkCount; ++mk) {
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, mark_color(ui, static_cast<Mark>(mk)));
        ImGui::TextUnformatted(std::string(to_string(static_cast<Mark>(mk))).c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    ImGui::TextWrapped("Inputs: postino-viz TRACE.jsonl (a recorded trace; --follow re-reads it as it grows), drag and "
                       "drop a file onto the window, or File > Open. Scenario files (.yaml) need `postino run` support, "
                       "which is not built yet. See docs/visualizer.md.");
    if (ImGui::Button("Close (Esc)")) open = false;
    ImGui::End();
}

}  // namespace postino::viz::ui
