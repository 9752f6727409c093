// mailbox_view.cpp — the mailboxes panel.
#include "views/mailbox_view.hpp"

#include "model/text_util.hpp"

namespace postino::viz::ui {
namespace {
constexpr std::int64_t kNewWindow = 1'000'000'000;  // "just arrived": stored within the last simulated second
}

void draw_mailboxes(UiContext& ui) {
    if (ui.s == nullptr) {
        ImGui::TextDisabled("No trace.");
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    const WorldState& w = s.state();
    if (w.mailboxes.empty()) {
        ImGui::TextDisabled(m.has_cat(Cat::mail) ? "No mailbox holds a message yet." : "This trace has no mailbox events.");
        return;
    }
    const std::uint32_t cur = s.current();
    for (const auto& [key, msgs] : w.mailboxes) {
        std::size_t live = 0;
        for (const auto& [uid, msg] : msgs) live += msg.deleted ? 0 : 1;
        ImGui::PushFont(ui.fonts->big);
        ImGui::Text("%s@%s", key.mailbox.c_str(), m.host_name(key.host).c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        ImGui::TextDisabled("%s  %zu message%s", key.folder.empty() ? "" : key.folder.c_str(), live, live == 1 ? "" : "s");
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
        if (!ImGui::BeginTable(("mb" + std::to_string(key.host) + key.mailbox + key.folder).c_str(), 6, flags)) continue;
        for (const char* h : {"uid", "size", "from spool", "flags", "stored at", "state"}) ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        // Only the visible rows are drawn: a mailbox may hold thousands of messages.
        std::vector<const MailboxMsg*> rows;
        rows.reserve(msgs.size());
        for (const auto& [uid_, msg_] : msgs) rows.push_back(&msg_);
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(rows.size()));
        while (clip.Step()) {
        for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
            const MailboxMsg& msg = *rows[static_cast<std::size_t>(r)];
            const std::int64_t uid = msg.uid;
            ImGui::TableNextRow();
            const bool fresh = msg.stored_ev != kNone && (msg.stored_ev == cur || s.time() - msg.stored_t < kNewWindow) && !msg.deleted;
            const bool changed = msg.last_ev == cur && cur != kNone;
            if (fresh) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->new_row);
            else if (changed) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->changed_row);
            if (msg.deleted) ImGui::PushStyleColor(ImGuiCol_Text, with_alpha(ui.pal->failure, 0.8f));
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(uid));
            if (ImGui::Selectable(("  " + std::to_string(uid)).c_str(), false, ImGuiSelectableFlags_SpanAllColumns) && !msg.queue_id.empty()) {
                ui.message_id = msg.queue_id;
                ui.tab_request = static_cast<int>(Tab::message);
            }
            ImGui::PopID();
            const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            // A solid strip at the row's start: new (yellow) or deleted (red), visible on any theme.
            const ImU32 strip = fresh ? (ui.pal->new_row | IM_COL32_A_MASK) : msg.deleted ? ui.pal->failure : 0;
            if (strip != 0) ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a.x, a.y), ImVec2(a.x + 5, b.y), strip);
            ui.probe(std::string(fresh ? "mailbox-new:" : msg.deleted ? "mailbox-deleted:" : "mailbox:") + key.mailbox + ":" +
                         std::to_string(uid),
                     a.x + 2, (a.y + b.y) * 0.5f, strip);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(msg.size >= 0 ? std::to_string(msg.size).c_str() : "-");
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(msg.queue_id.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(msg.flags.empty() ? "(none)" : msg.flags.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(msg.stored_t >= 0 ? stamp(msg.stored_t).c_str() + 3 : "-");
            ImGui::TableNextColumn();
            if (msg.deleted) {
                ImGui::TextUnformatted("DELETED");
                // Struck through: a line across the row's first cell.
                ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, (a.y + b.y) * 0.5f), ImVec2(b.x, (a.y + b.y) * 0.5f),
                                                    ui.pal->failure, 2);
            } else {
                const bool seen = msg.flags.find("\\Seen") != std::string::npos;
                ImGui::TextUnformatted(fresh ? "NEW" : seen ? "read" : "unread");
            }
            if (msg.deleted) ImGui::PopStyleColor();
        }
        }
        ImGui::EndTable();
        ImGui::Spacing();
    }
}

}  // namespace postino::viz::ui
