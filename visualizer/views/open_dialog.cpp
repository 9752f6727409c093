// open_dialog.cpp — the Open dialog.
#include "views/open_dialog.hpp"

#include <cstring>
#include <filesystem>

#include "model/file_list.hpp"

namespace postino::viz::ui {

bool draw_open_dialog(UiContext& ui, OpenDialog& d, std::string& chosen, bool& follow) {
    if (!d.open) return false;
    namespace fs = std::filesystem;
    if (d.dir.empty()) {
        std::error_code ec;
        d.dir = fs::current_path(ec).string();
    }
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ui.fonts->px * 40, ui.fonts->px * 30), ImGuiCond_Appearing);
    bool done = false;
    if (ImGui::Begin("Open a trace", &d.open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::TextWrapped("%s", d.dir.c_str());
        if (ImGui::Button("Up")) d.dir = fs::path(d.dir).parent_path().string();
        ImGui::SameLine();
        ImGui::Checkbox("all files", &d.all_files);
        ImGui::SameLine();
        ImGui::Checkbox("follow (live)", &d.follow);
        const float list_h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 2;
        ImGui::BeginChild("files", ImVec2(0, list_h), true);
        auto entries = list_dir(d.dir, d.all_files);
        if (!entries) {
            ImGui::TextWrapped("%s", entries.error().message().c_str());
        } else {
            for (const auto& e : *entries) {
                const std::string label = e.is_dir ? e.name + "/" : e.name;
                if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_AllowDoubleClick)) {
                    const std::string full = (fs::path(d.dir) / e.name).string();
                    if (e.is_dir) {
                        d.dir = full;
                    } else {
                        std::snprintf(d.path, sizeof d.path, "%s", full.c_str());
                        if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) done = true;
                    }
                }
                if (!e.is_dir) {
                    ImGui::SameLine(ImGui::GetContentRegionAvail().x - ui.fonts->px * 5);
                    ImGui::TextDisabled("%llu B", static_cast<unsigned long long>(e.size));
                }
            }
        }
        ImGui::EndChild();
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ui.fonts->px * 5);
        if (ImGui::InputText("##path", d.path, sizeof d.path, ImGuiInputTextFlags_EnterReturnsTrue)) done = true;
        ImGui::SameLine();
        if (ImGui::Button("Open")) done = true;
    }
    ImGui::End();
    if (done && std::strlen(d.path) > 0) {
        chosen = d.path;
        follow = d.follow;
        d.open = false;
        ui.settings->last_dir = d.dir;
        return true;
    }
    return false;
}

}  // namespace postino::viz::ui
