// inspector_view.cpp — the event inspector panel.
#include "views/inspector_view.hpp"

#include <algorithm>

#include "core/trace_describe.hpp"
#include "model/inspect.hpp"
#include "model/text_util.hpp"

namespace postino::viz::ui {
namespace {

void mono_block(UiContext& ui, const char* id, const std::string& text, float height) {
    ImGui::PushFont(ui.fonts->mono);
    ImGui::BeginChild(id, ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
    ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
    ImGui::EndChild();
    ImGui::PopFont();
}

// Bytes with CR and LF shown, then broken at each LF, for reading.
std::string readable(const std::string& bytes) {
    std::string out;
    for (char c : bytes) {
        if (c == '\r') out += "\\r";
        else if (c == '\n') out += "\\n\n";
        else if (c == '\t') out += "\\t";
        else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02X", static_cast<unsigned char>(c));
            out += b;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

void draw_inspector(UiContext& ui) {
    if (ui.s == nullptr || ui.s->size() == 0) {
        ImGui::TextDisabled("No event: open a trace.");
        return;
    }
    Session& s = *ui.s;
    const TraceModel& m = s.model();
    std::uint32_t i = s.selected;
    const bool following = i == kNone || i >= m.size();
    if (following) i = s.current();
    if (i == kNone) {
        ImGui::TextDisabled("At the start: nothing has happened yet. Step forward (Right) or click an arrow.");
        return;
    }
    const Ev& v = m.ev(i);
    const trace::Event e = m.full(i);
    ImGui::PushStyleColor(ImGuiCol_Text, (v.flags & flag::failure) ? ui.pal->failure : ui.cat_color(v.cat));
    ImGui::TextWrapped("#%u  %s", i, std::string(m.label(i)).c_str());
    ImGui::PopStyleColor();
    ui.probe("inspector-title", ImGui::GetItemRectMin().x + 4, ImGui::GetItemRectMin().y + ImGui::GetItemRectSize().y * 0.5f,
             (v.flags & flag::failure) ? ui.pal->failure : ui.cat_color(v.cat));
    ImGui::TextDisabled("%s  %s  %s%s", stamp(v.t).c_str(), e.kind.c_str(), trace::endpoints(e).c_str(),
                        v.conn ? ("  conn " + std::to_string(v.conn)).c_str() : "");
    if (following) ImGui::TextDisabled("(the event at the cursor; click an arrow to pin another)");
    if (ImGui::SmallButton("Move the cursor here")) s.seek(i + 1);
    ImGui::SameLine();
    if (!following && ImGui::SmallButton("Follow the cursor")) s.selected = kNone;

    const EventLayers L = layers_of(m, i);
    if (L.has_line && ImGui::CollapsingHeader("Application line", ImGuiTreeNodeFlags_DefaultOpen)) {
        ImGui::Text("%s %s, %zu octets%s", L.proto.c_str(), L.dir == "send" ? "sent" : "received", L.bytes.size(),
                    L.stream_offset >= 0 ? (", stream octets " + std::to_string(L.stream_offset) + ".." +
                                            std::to_string(L.stream_offset + static_cast<std::int64_t>(L.bytes.size()) - 1) +
                                            " (TCP seq " + std::to_string(L.stream_offset + 1) + ")")
                                               .c_str()
                                         : "");
        // Text and hex side by side when there is room for a full hex row, else one above the other.
        const float lines = std::min(8.0f, 1.5f + static_cast<float>(std::count(L.bytes.begin(), L.bytes.end(), '\n')));
        const float h = ui.fonts->px * 1.25f * lines + ui.fonts->px;
        if (ImGui::GetContentRegionAvail().x > ui.fonts->px * 62 &&
            ImGui::BeginTable("line", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV)) {
            ImGui::TableSetupColumn("text");
            ImGui::TableSetupColumn("hex");
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            mono_block(ui, "line_text", readable(L.bytes), h);
            ImGui::TableNextColumn();
            mono_block(ui, "line_hex", hex_dump(L.bytes, 256), h);
            ImGui::EndTable();
        } else {
            mono_block(ui, "line_text", readable(L.bytes), h);
            mono_block(ui, "line_hex", hex_dump(L.bytes, 256), std::min(h * 1.5f, ui.fonts->px * 12));
        }
    }
    if (!L.segments.empty() && ImGui::CollapsingHeader("TCP segments", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (L.has_line) ImGui::TextDisabled("the segments that carried these octets");
        if (ImGui::BeginTable("segs", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
            for (const char* h : {"#", "flags", "seq", "ack", "len", "fate"}) ImGui::TableSetupColumn(h);
            ImGui::TableHeadersRow();
            for (const auto& sg : L.segments) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(sg.ev));
                if (ImGui::SmallButton(std::to_string(sg.ev).c_str())) s.selected = sg.ev;
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::Text("%s%s", sg.flags.c_str(), sg.retransmit ? " (retr.)" : "");
                ImGui::TableNextColumn();
                ImGui::Text("%lld", static_cast<long long>(sg.seqno));
                ImGui::TableNextColumn();
                ImGui::Text("%lld", static_cast<long long>(sg.ackno));
                ImGui::TableNextColumn();
                ImGui::Text("%lld", static_cast<long long>(sg.len));
                ImGui::TableNextColumn();
                const bool lost = sg.fate.rfind("lost", 0) == 0;
                if (lost) ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->failure);
                ImGui::Text("%s at %s", sg.fate.c_str(), sg.t_end >= 0 ? stamp(sg.t_end).c_str() : "-");
                if (lost) ImGui::PopStyleColor();
            }
            ImGui::EndTable();
        }
        for (std::uint32_t l : L.carried_lines) {
            ImGui::PushID(static_cast<int>(l));
            ImGui::TextUnformatted("carried:");
            ImGui::SameLine();
            if (ImGui::SmallButton(std::string(m.label(l)).c_str())) s.selected = l;
            ImGui::PopID();
        }
    }
    if (L.has_transfer && ImGui::CollapsingHeader("Link", ImGuiTreeNodeFlags_DefaultOpen)) {
        const Transfer& t = L.transfer;
        ImGui::Text("%s -> %s", t.from.c_str(), t.to.c_str());
        ImGui::Text("sent      %s", stamp(t.t_send).c_str());
        if (t.one_sided) {
            ImGui::TextDisabled("only one end of this connection is in the trace");
        } else if (t.t_end >= 0) {
            if (t.lost) ImGui::PushStyleColor(ImGuiCol_Text, ui.pal->failure);
            ImGui::Text("%s  %s   (after %s)", t.lost ? "lost     " : "received ", stamp(t.t_end).c_str(),
                        short_duration(t.t_end - t.t_send).c_str());
            if (t.lost && !t.lost_reason.empty()) ImGui::Text("why: %s", t.lost_reason.c_str());
            if (t.lost) ImGui::PopStyleColor();
        } else {
            ImGui::TextDisabled("not received in this trace");
        }
        const std::uint32_t other = i == t.send_ev ? t.end_ev : t.send_ev;
        if (other != kNone && ImGui::SmallButton(i == t.send_ev ? "Show the receiving end" : "Show the sending end")) s.selected = other;
    }
    if (!L.payload.empty() && ImGui::CollapsingHeader("Datagram payload", ImGuiTreeNodeFlags_DefaultOpen)) {
        mono_block(ui, "payload_hex", hex_dump(L.payload, 256), ui.fonts->px * 6);
    }
    if (ImGui::CollapsingHeader("Fields", ImGuiTreeNodeFlags_DefaultOpen)) {
        if (ImGui::BeginTable("fields", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
            ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ui.fonts->px * 7);
            ImGui::TableSetupColumn("value");
            for (const auto& [k, val] : field_rows(e)) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.c_str());
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%s", val.c_str());
            }
            ImGui::EndTable();
        }
    }
    if (ImGui::CollapsingHeader("Raw line")) {
        ImGui::TextDisabled("%s:%zu", m.name().c_str(), TraceModel::line_number(i));
        const std::string raw(m.line(i));
        ImGui::PushFont(ui.fonts->mono);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(raw.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
    }
}

}  // namespace postino::viz::ui
