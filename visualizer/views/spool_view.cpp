// spool_view.cpp — the spool panel.
#include "views/spool_view.hpp"

#include <map>

#include "model/text_util.hpp"

namespace postino::viz::ui {

void draw_spool(UiContext& ui) {
    if (ui.s == nullptr) {
        ImGui::TextDisabled("No trace.");
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    const WorldState& w = s.state();
    if (!m.has_cat(Cat::mail)) {
        ImGui::TextWrapped("This trace has no spool events: no MTA took part in this run.");
        return;
    }
    ImGui::Text("delivered %llu   deferred %llu   bounced %llu", static_cast<unsigned long long>(w.delivered),
                static_cast<unsigned long long>(w.deferred), static_cast<unsigned long long>(w.bounced));
    if (w.spool.empty()) {
        ImGui::TextDisabled("All spools are empty at this moment.");
        return;
    }
    std::map<std::uint32_t, std::vector<const SpoolEntry*>> by_host;
    for (const auto& [key, e] : w.spool) by_host[key.first].push_back(&e);
    const std::uint32_t cur = s.current();
    for (const auto& [host, entries] : by_host) {
        ImGui::PushFont(ui.fonts->big);
        ImGui::Text("%s", m.host_name(host).c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        ImGui::TextDisabled("%zu entr%s", entries.size(), entries.size() == 1 ? "y" : "ies");
        // One card per entry: readable in a narrow panel and from the back of a room.
        for (const SpoolEntry* e : entries) {
            const bool changed = e->last_ev == cur && cur != kNone;
            const bool is_new = e->first_ev == cur && cur != kNone;
            const bool bounce = !e->dsn_for.empty();
            ImGui::PushID(e->queue_id.c_str());
            const ImVec2 top = ImGui::GetCursorScreenPos();
            const float card_w = ImGui::GetContentRegionAvail().x;
            ImDrawList* dl = ImGui::GetWindowDrawList();
            ImDrawListSplitter layers;  // text on top, the card's background under it
            layers.Split(dl, 2);
            layers.SetCurrentChannel(dl, 1);
            ImGui::BeginGroup();
            ImGui::Dummy(ImVec2(0, 2));
            ImGui::Indent(8);
            ImGui::PushStyleColor(ImGuiCol_Text, bounce ? ui.pal->bounce : ui.pal->text);
            ImGui::PushFont(ui.fonts->big);
            ImGui::TextUnformatted(e->queue_id.c_str());
            ImGui::PopFont();
            ImGui::PopStyleColor();
            ImGui::SameLine();
            ImGui::TextDisabled("%s%s", e->state.c_str(), bounce ? ("  (a bounce: DSN for " + e->dsn_for + ")").c_str() : "");
            if (e->next >= 0) {
                ImGui::SameLine();
                ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->retry);
                ImGui::Text("  next attempt %s", countdown(e->next, s.time()).c_str());
                ImGui::PopStyleColor();
            }
            if (ImGui::BeginTable("f", 2, ImGuiTableFlags_SizingFixedFit)) {
                const auto row = [](const char* k) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextDisabled("%s", k);
                    ImGui::TableNextColumn();
                };
                row("sender");
                ImGui::TextUnformatted(e->from.empty() ? "<>  (null sender: a bounce)" : e->from.c_str());
                row("recipient");
                for (const auto& r : e->rcpts) {
                    const bool bad = r.state == "bounced";
                    const bool good = r.state == "delivered" || r.state == "sent";
                    ImGui::PushStyleColor(ImGuiCol_Text, bad ? ui.pal->failure : good ? ui.pal->host_up : ui.pal->text);
                    ImGui::Text("%s  (%s)", r.addr.c_str(), r.state.c_str());
                    ImGui::PopStyleColor();
                }
                row("destination");
                ImGui::TextUnformatted(e->dest.empty() ? "-" : e->dest.c_str());
                row("deposited");
                ImGui::TextUnformatted(e->deposit >= 0 ? (stamp(e->deposit) + "  (" + short_duration(s.time() - e->deposit) + " ago)").c_str() : "-");
                row("attempts");
                ImGui::Text("%lld%s", static_cast<long long>(e->attempts), e->warned ? "  (delay warning sent)" : "");
                if (!e->last_error.empty()) {
                    row("last error");
                    ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->failure);
                    ImGui::TextWrapped("%s%s%s", e->status.c_str(), e->status.empty() ? "" : "  ", e->last_error.c_str());
                    ImGui::PopStyleColor();
                }
                if (e->size >= 0) {
                    row("size");
                    ImGui::Text("%lld octets", static_cast<long long>(e->size));
                }
                ImGui::EndTable();
            }
            ImGui::Unindent(8);
            ImGui::Dummy(ImVec2(0, 2));
            ImGui::EndGroup();
            const float bottom = ImGui::GetItemRectMax().y;
            layers.SetCurrentChannel(dl, 0);
            const ImU32 fill = changed ? (is_new ? ui.pal->new_row : ui.pal->changed_row) : with_alpha(ui.pal->lane_title_bg, 0.6f);
            dl->AddRectFilled(top, ImVec2(top.x + card_w, bottom), fill, 4);
            const ImU32 border = bounce ? ui.pal->bounce : changed ? ui.pal->cursor : ui.pal->lane;
            dl->AddRect(top, ImVec2(top.x + card_w, bottom), border, 4, 0, changed ? 3.0f : 1.5f);
            layers.Merge(dl);
            ui.probe("spool:" + e->queue_id, top.x + card_w * 0.5f, top.y, border);
            ImGui::PopID();
            ImGui::Spacing();
        }
        ImGui::Spacing();
    }
}

}  // namespace postino::viz::ui
