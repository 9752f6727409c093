// mailbox_view.cpp — the mailboxes panel. See mailbox_view.hpp.
#include "views/mailbox_view.hpp"

#include <utility>

#include "model/mailbox_rows.hpp"
#include "model/text_util.hpp"

namespace postino::viz::ui {
namespace {

// Badge colours: the same in every theme (white text on a saturated fill
// reads on dark, light and projector backgrounds alike).
ImU32 badge_colour(const std::string& flag, const Palette& pal) {
    if (flag == "\\Seen") return IM_COL32(70, 110, 170, 255);
    if (flag == "\\Flagged") return IM_COL32(215, 120, 20, 255);
    if (flag == "\\Deleted") return pal.failure | IM_COL32_A_MASK;
    if (flag == "\\Answered") return IM_COL32(40, 150, 80, 255);
    if (flag == "\\Draft") return IM_COL32(140, 80, 180, 255);
    return IM_COL32(110, 110, 110, 255);  // a keyword
}

// "bob:2" for INBOX (the names the tests have always used), "bob:INBOX/Archive:1" for another folder.
std::string probe_key(const MailboxKey& k, std::int64_t uid) {
    return k.mailbox + ":" + (k.folder == "INBOX" ? "" : k.folder + ":") + std::to_string(uid);
}

void draw_badges(UiContext& ui, const MailboxKey& key, const MailboxRow& r) {
    if (r.badges.empty()) {
        ImGui::TextDisabled("-");
        return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize(), pad = 5, gap = 4;
    ImVec2 pos = ImGui::GetCursorScreenPos();
    float width = 0;
    for (const auto& b : r.badges) {
        const ImVec2 ts = font->CalcTextSizeA(size, FLT_MAX, 0, b.text.c_str());
        const ImU32 col = badge_colour(b.flag, *ui.pal);
        const ImVec2 a(pos.x + width, pos.y), z(pos.x + width + ts.x + 2 * pad, pos.y + ts.y);
        dl->AddRectFilled(a, z, col, 4);
        dl->AddText(font, size, ImVec2(a.x + pad, a.y), IM_COL32(255, 255, 255, 255), b.text.c_str());
        ui.probe("badge:" + probe_key(key, r.msg->uid) + ":" + b.text, a.x + 2, (a.y + z.y) * 0.5f, col);
        width += ts.x + 2 * pad + gap;
    }
    ImGui::Dummy(ImVec2(width, size));
}

void draw_folder(UiContext& ui, const FolderRows& f) {
    // A small folder shape, then the name and how many messages it holds now.
    const float fs = ImGui::GetFontSize();
    ImGui::Dummy(ImVec2(fs * 1.4f, fs));
    {
        const ImVec2 a = ImGui::GetItemRectMin();
        const ImVec2 lo(a.x + fs * 0.3f, a.y + fs * 0.3f), hi(a.x + fs * 1.3f, a.y + fs * 0.95f);
        const ImU32 col = ui.pal->dim_text | IM_COL32_A_MASK;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        dl->AddRectFilled(ImVec2(lo.x, lo.y - fs * 0.12f), ImVec2(lo.x + fs * 0.4f, lo.y + 1), col, 1);  // the tab
        dl->AddRectFilled(lo, hi, col, 2);
        ui.probe("folder:" + f.key.mailbox + ":" + f.key.folder, (lo.x + hi.x) * 0.5f, (lo.y + hi.y) * 0.5f, col);
    }
    ImGui::SameLine();
    // A folder an IMAP client just created, deleted or renamed: its change beside the name;
    // a deleted or renamed-away one is struck out in the colour of a removed row.
    const bool folder_gone = f.mark == MsgMark::removed;
    if (folder_gone) ImGui::PushStyleColor(ImGuiCol_Text, with_alpha(ui.pal->failure, 0.85f));
    ImGui::TextUnformatted(f.key.folder.c_str());
    if (folder_gone) {
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        const float mid = (a.y + b.y) * 0.5f;
        ImGui::GetWindowDrawList()->AddLine(ImVec2(a.x, mid), ImVec2(b.x, mid), ui.pal->failure, 2);
        ImGui::PopStyleColor();
    }
    if (!f.state.empty()) {
        ImGui::SameLine();
        const ImU32 col = folder_gone ? ui.pal->failure : ui.pal->dim_text;
        ImGui::PushStyleColor(ImGuiCol_Text, col | IM_COL32_A_MASK);
        ImGui::TextUnformatted(("(" + f.state + ")").c_str());
        ImGui::PopStyleColor();
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        ui.probe("folder-state:" + f.key.mailbox + ":" + f.key.folder + ":" + f.state, a.x + 2, (a.y + b.y) * 0.5f, col);
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%zu message%s", f.live, f.live == 1 ? "" : "s");
    if (f.rows.empty()) return;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable(("mb" + std::to_string(f.key.host) + f.key.mailbox + "/" + f.key.folder).c_str(), 6, flags)) return;
    // Relative widths: the badges and the state need room, the UID and size little.
    const std::pair<const char*, float> cols[] = {{"uid", 0.4f}, {"flags", 2.2f}, {"state", 1.9f},
                                                  {"from", 1.6f}, {"size", 0.5f}, {"arrived", 0.9f}};
    for (const auto& [h, wgt] : cols) ImGui::TableSetupColumn(h, ImGuiTableColumnFlags_WidthStretch, wgt);
    ImGui::TableHeadersRow();
    // Only the visible rows are drawn: a mailbox may hold thousands of messages.
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(f.rows.size()));
    while (clip.Step()) {
        for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
            const MailboxRow& r = f.rows[static_cast<std::size_t>(i)];
            const MailboxMsg& msg = *r.msg;
            const bool fresh = r.mark == MsgMark::fresh, gone = r.mark == MsgMark::removed;
            ImGui::TableNextRow();
            if (fresh) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->new_row);
            else if (r.mark == MsgMark::changed) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ui.pal->changed_row);
            if (gone) ImGui::PushStyleColor(ImGuiCol_Text, with_alpha(ui.pal->failure, 0.85f));
            ImGui::TableNextColumn();
            ImGui::PushID(i);
            if (ImGui::Selectable(("  " + std::to_string(msg.uid)).c_str(), false, ImGuiSelectableFlags_SpanAllColumns) &&
                !msg.queue_id.empty()) {
                ui.message_id = msg.queue_id;
                ui.tab_request = static_cast<int>(Tab::message);
            }
            ImGui::PopID();
            const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
            // A solid strip at the row's start: new (yellow) or removed (red), visible on any theme.
            const ImU32 strip = fresh ? (ui.pal->new_row | IM_COL32_A_MASK) : gone ? ui.pal->failure : 0;
            if (strip != 0) ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(a.x, a.y), ImVec2(a.x + 5, b.y), strip);
            const char* what = fresh ? "mailbox-new:" : gone ? "mailbox-deleted:" : r.mark == MsgMark::changed ? "mailbox-changed:" : "mailbox:";
            ui.probe(what + probe_key(f.key, msg.uid), a.x + 2, (a.y + b.y) * 0.5f, strip);
            // A removed row is struck through cell by cell (each column clips its own drawing).
            const float mid = (a.y + b.y) * 0.5f;
            const auto strike = [&](float x0) {
                if (gone) ImGui::GetWindowDrawList()->AddLine(ImVec2(x0, mid), ImVec2(ImGui::GetItemRectMax().x, mid), ui.pal->failure, 2);
            };
            strike(a.x + 6);
            ImGui::TableNextColumn();
            draw_badges(ui, f.key, r);
            ImGui::TableNextColumn();
            float x0 = ImGui::GetCursorScreenPos().x;
            ImGui::TextUnformatted(fresh ? "NEW" : r.state.c_str());
            strike(x0);
            ImGui::TableNextColumn();
            const std::string from = !r.origin.empty() ? r.origin : msg.queue_id.empty() ? "-" : "spool " + msg.queue_id;
            x0 = ImGui::GetCursorScreenPos().x;
            ImGui::TextUnformatted(from.c_str());
            strike(x0);
            ImGui::TableNextColumn();
            x0 = ImGui::GetCursorScreenPos().x;
            ImGui::TextUnformatted(msg.size >= 0 ? std::to_string(msg.size).c_str() : "-");
            strike(x0);
            ImGui::TableNextColumn();
            x0 = ImGui::GetCursorScreenPos().x;
            ImGui::TextUnformatted(msg.stored_t >= 0 ? stamp(msg.stored_t).c_str() + 3 : "-");
            strike(x0);
            if (gone) ImGui::PopStyleColor();
        }
    }
    ImGui::EndTable();
}

}  // namespace

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
    const std::vector<FolderRows> folders = mailbox_rows(w, cur, s.time());
    for (std::size_t i = 0; i < folders.size(); ++i) {
        const FolderRows& f = folders[i];
        const bool first_of_account = i == 0 || folders[i - 1].key.host != f.key.host || folders[i - 1].key.mailbox != f.key.mailbox;
        if (first_of_account) {
            if (i != 0) ImGui::Spacing();
            ImGui::PushFont(ui.fonts->big);
            ImGui::Text("%s@%s", f.key.mailbox.c_str(), m.host_name(f.key.host).c_str());
            ImGui::PopFont();
        }
        draw_folder(ui, f);
    }
}

}  // namespace postino::viz::ui
