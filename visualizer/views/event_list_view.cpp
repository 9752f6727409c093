// event_list_view.cpp — the virtualised event list.
#include "views/event_list_view.hpp"

#include <algorithm>

#include "core/trace_describe.hpp"
#include "model/text_util.hpp"

namespace postino::viz::ui {
namespace {

std::uint64_t filter_key(const Session& s) {
    std::uint64_t h = 1469598103934665603ull;
    const auto mix = [&h](std::uint64_t x) { h = (h ^ x) * 1099511628211ull; };
    mix(reinterpret_cast<std::uintptr_t>(&s));
    mix(s.size());
    for (bool c : s.filter().cats) mix(c ? 1 : 2);
    for (bool c : s.filter().hidden_hosts) mix(c ? 3 : 4);
    mix(s.filter().fold_tcp ? 5 : 6);
    return h;
}

}  // namespace

void draw_event_list(UiContext& ui) {
    if (ui.s == nullptr || ui.s->size() == 0) {
        ImGui::TextDisabled("No events.");
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    const std::uint64_t key = filter_key(s);
    if (key != ui.list_key) {
        ui.list_rows.clear();
        for (std::uint32_t i = 0; i < s.size(); ++i) {
            if (s.filter().visible(m, i)) ui.list_rows.push_back(i);
        }
        ui.list_key = key;
    }
    ImGui::TextDisabled("%zu of %u events shown", ui.list_rows.size(), s.size());
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("events", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn("time");
    ImGui::TableSetupColumn("who");
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();

    // Keep the cursor's row in view when the cursor moves.
    const std::uint32_t cur = s.current();
    const bool moved = ui.seen_index != s.index();
    const auto cur_row = cur == kNone ? ui.list_rows.end() : std::upper_bound(ui.list_rows.begin(), ui.list_rows.end(), cur);
    const auto cur_pos = static_cast<int>(cur_row - ui.list_rows.begin()) - 1;  // last shown row at or before the cursor
    const float row_h = ImGui::GetTextLineHeightWithSpacing();
    if (moved && cur_pos >= 0) {
        const float y = static_cast<float>(cur_pos) * row_h;
        const float top = ImGui::GetScrollY(), hgt = ImGui::GetWindowHeight() - 2 * row_h;
        if (y < top || y > top + hgt) ImGui::SetScrollY(std::max(0.0f, y - hgt * 0.5f));
    }

    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(ui.list_rows.size()), row_h);
    while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const std::uint32_t i = ui.list_rows[static_cast<std::size_t>(r)];
            const Ev& v = m.ev(i);
            ImGui::TableNextRow();
            const bool future = i >= s.index();
            if (r == cur_pos) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->new_row);
            if (i == s.selected) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->changed_row);
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(i));
            char num[16];
            std::snprintf(num, sizeof num, "%u", i);
            if (ImGui::Selectable(num, false, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowDoubleClick)) {
                s.selected = i;
                if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) s.seek(i + 1);
            }
            ImGui::PopID();
            const ImU32 col = (v.flags & flag::failure) ? ui.pal->failure : ui.cat_color(v.cat);
            ImGui::PushStyleColor(ImGuiCol_Text, future ? with_alpha(ui.pal->text, 0.45f) : ui.pal->text);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(stamp(v.t).c_str() + 3);  // "+0d" dropped: hh:mm:ss.uuuuuu
            ImGui::TableNextColumn();
            std::string who = m.host_name(v.host);
            if (v.peer != 0) {
                const char* sep = "  ..  ";
                if (v.arrow != kNone) {
                    sep = m.arrow(v.arrow).from_ev == i ? "  ->  " : (v.flags & flag::lost) ? "  -x  " : "  <-  ";
                }
                who += sep + m.host_name(v.peer);
            }
            ImGui::TextUnformatted(who.c_str());
            ImGui::PopStyleColor();
            ImGui::TableNextColumn();
            ImGui::PushStyleColor(ImGuiCol_Text, future ? with_alpha(col, 0.45f) : col);
            ImGui::TextUnformatted(std::string(m.label(i)).c_str());
            ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
}

}  // namespace postino::viz::ui
