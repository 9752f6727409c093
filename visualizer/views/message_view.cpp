// message_view.cpp — the message inspector panel.
#include "views/message_view.hpp"

#include "mime/mime_info.hpp"
#include "model/text_util.hpp"

namespace postino::viz::ui {
namespace {

struct Cache {
    std::uint32_t ev = kNone;
    const void* session = nullptr;
    MimeInfo info;
    int part = 0;
};

bool printable(const std::string& s) {
    int bad = 0;
    for (unsigned char c : s) {
        if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') ++bad;
    }
    return bad * 20 <= static_cast<int>(s.size());
}

void text_block(UiContext& ui, const char* id, const std::string& text, float h) {
    ImGui::PushFont(ui.fonts->mono);
    ImGui::BeginChild(id, ImVec2(0, h), true, ImGuiWindowFlags_HorizontalScrollbar);
    if (printable(text)) {
        ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
    } else {
        const std::string hex = hex_dump(text, 512);
        ImGui::TextUnformatted(hex.c_str(), hex.c_str() + hex.size());
    }
    ImGui::EndChild();
    ImGui::PopFont();
}

void fields_table(const char* id, const std::vector<std::pair<std::string, std::string>>& fields, float key_w) {
    if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, key_w);
    ImGui::TableSetupColumn("value");
    for (const auto& [k, v] : fields) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.c_str());
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", v.c_str());
    }
    ImGui::EndTable();
}

}  // namespace

void draw_message(UiContext& ui) {
    static Cache cache;
    if (ui.s == nullptr) {
        ImGui::TextDisabled("No trace.");
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    const auto& msgs = s.state().messages;
    if (msgs.empty()) {
        ImGui::TextDisabled(m.messages().empty() ? "This trace carries no messages." : "No message has been written yet at this moment.");
        return;
    }
    // Which one: the one asked for, else the latest written.
    auto it = msgs.find(ui.message_id);
    if (it == msgs.end()) {
        std::uint32_t best = 0;
        for (const auto& [id, ev] : msgs) {
            if (it == msgs.end() || ev > best) {
                best = ev;
                it = msgs.find(id);
            }
        }
    }
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x);
    if (ImGui::BeginCombo("##msg", it->first.c_str())) {
        for (const auto& [id, ev] : msgs) {
            const trace::Event* e = m.detail(ev);
            const std::string label = id + "   " + (e ? e->get_str("role") + "  " + e->get_str("subject") : std::string());
            if (ImGui::Selectable(label.c_str(), id == it->first)) ui.message_id = id;
        }
        ImGui::EndCombo();
    }
    ui.hit("message_combo");
    const std::uint32_t ev = it->second;
    const trace::Event* e = m.detail(ev);
    if (e == nullptr) return;
    const std::string raw = e->get_bytes("bytes");
    if (cache.ev != ev || cache.session != &s) {
        cache.ev = ev;
        cache.session = &s;
        cache.info = analyze_message(raw);
        cache.part = 0;
    }
    const std::string role = e->get_str("role");
    const bool dsn = role == "dsn";
    if (dsn) ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->bounce);
    ImGui::Text("%s  %s  (%zu octets, written by %s at %s)", role.empty() ? "message" : role.c_str(), it->first.c_str(),
                raw.size(), m.host_name(m.ev(ev).host).c_str(), stamp(m.ev(ev).t).c_str() + 3);
    if (dsn) ImGui::PopStyleColor();
    ui.probe(dsn ? "message-dsn" : "message", ImGui::GetItemRectMin().x + 2, ImGui::GetItemRectMin().y + 4, dsn ? ui.pal->bounce : 0);

    const float kw = ui.fonts->px * 9;
    const MimeInfo& info = cache.info;
    // A bounce's delivery-status fields first: they are what a bounce says.
    if (!info.dsn_blocks.empty() && ImGui::CollapsingHeader("Delivery status (DSN, RFC 3464)", ImGuiTreeNodeFlags_DefaultOpen)) {
        for (std::size_t b = 0; b < info.dsn_blocks.size(); ++b) {
            ImGui::TextDisabled(b == 0 ? "per message" : "recipient %zu", b);
            fields_table(("dsn" + std::to_string(b)).c_str(), info.dsn_blocks[b], kw);
        }
    }
    if (ImGui::CollapsingHeader("Header", ImGuiTreeNodeFlags_DefaultOpen)) {
        fields_table("hdr", split_header(raw).fields, kw);
    }
    if (ImGui::CollapsingHeader("MIME structure", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (!info.available || !info.error.empty()) ImGui::TextWrapped("%s", info.error.c_str());
        if (ImGui::BeginTable("mime", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
            for (const char* h : {"part", "type", "encoding", "size"}) ImGui::TableSetupColumn(h);
            ImGui::TableHeadersRow();
            for (std::size_t p = 0; p < info.parts.size(); ++p) {
                const MimeNode& n = info.parts[p];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(p));
                const std::string label = std::string(static_cast<std::size_t>(n.depth) * 2, ' ') + (n.path.empty() ? "(whole)" : n.path);
                if (ImGui::Selectable(label.c_str(), cache.part == static_cast<int>(p), ImGuiSelectableFlags_SpanAllColumns)) {
                    cache.part = static_cast<int>(p);
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::Text("%s%s%s", n.type.c_str(), n.filename.empty() ? "" : "  ", n.filename.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(n.encoding.c_str());
                ImGui::TableNextColumn();
                ImGui::Text("%zu", n.body.size());
            }
            ImGui::EndTable();
        }
        if (!info.parts.empty()) {
            const MimeNode& n = info.parts[static_cast<std::size_t>(std::clamp(cache.part, 0, static_cast<int>(info.parts.size()) - 1))];
            if (n.leaf && ImGui::BeginTable("encdec", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable)) {
                ImGui::TableSetupColumn(("part " + n.path + " as sent (" + n.encoding + ")").c_str());
                ImGui::TableSetupColumn("decoded");
                ImGui::TableHeadersRow();
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                text_block(ui, "enc", n.body, ui.fonts->px * 9);
                ImGui::TableNextColumn();
                if (!n.decode_error.empty()) {
                    ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->failure);
                    ImGui::TextWrapped("%s", n.decode_error.c_str());
                    ImGui::PopStyleColor();
                }
                text_block(ui, "dec", n.decoded, ui.fonts->px * 9);
                ImGui::EndTable();
            }
        }
    }
    if (ImGui::CollapsingHeader("Raw text", info.available ? 0 : ImGuiTreeNodeFlags_DefaultOpen)) {
        text_block(ui, "raw", raw, ui.fonts->px * 14);
    }
}

}  // namespace postino::viz::ui
