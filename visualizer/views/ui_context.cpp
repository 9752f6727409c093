// ui_context.cpp — small helpers shared by the panels.
#include "views/ui_context.hpp"

namespace postino::viz::ui {

const char* tab_name(Tab t) {
    switch (t) {
        case Tab::inspector: return "Inspector";
        case Tab::spool: return "Spool";
        case Tab::mailboxes: return "Mailboxes";
        case Tab::message: return "Message";
        case Tab::events: return "Events";
        case Tab::count: break;
    }
    return "?";
}

void UiContext::hit(const std::string& name) {
    const ImVec2 a = ImGui::GetItemRectMin();
    const ImVec2 b = ImGui::GetItemRectMax();
    hits[name] = {a.x, a.y, b.x, b.y};
}

ImU32 with_alpha(ImU32 c, float a) {
    const auto alpha = static_cast<float>((c >> IM_COL32_A_SHIFT) & 0xFF) * a;
    return (c & ~IM_COL32_A_MASK) | (static_cast<ImU32>(alpha) << IM_COL32_A_SHIFT);
}

}  // namespace postino::viz::ui
