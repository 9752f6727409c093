// keys.cpp — postino-viz's keyboard (listed in views/help_view.cpp): named
// keys through ImGui's key map, letters and symbols through the typed
// characters, so they follow the user's keyboard layout.
#include <algorithm>

#include "app/app.hpp"
#include "views/sequence_view.hpp"

namespace postino::viz {

void App::handle_keys() {
    ImGuiIO& io = ImGui::GetIO();
    const auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), true); };
    const auto pressed_code = [&io](int code) { return code >= 0 && code < IM_ARRAYSIZE(io.KeysDown) && ImGui::IsKeyPressed(code, false); };
    if (pressed(ImGuiKey_Escape)) {
        help_open_ = false;
        open_dialog_.open = false;
    }
    if (io.KeyCtrl && pressed_code(opt_.key_o)) open_dialog_.open = true;
    if (io.KeyCtrl && pressed_code(opt_.key_r)) reload();
    if (pressed_code(opt_.key_f1)) help_open_ = !help_open_;
    if (io.WantTextInput) return;

    Session* s = session_.get();
    const bool have = s != nullptr && s->size() > 0;
    const auto moved = [this] { ui_.follow_cursor = true; };
    if (have) {
        if (pressed(ImGuiKey_Space)) s->toggle_play(), moved();
        if (pressed(ImGuiKey_RightArrow)) {
            s->pause();
            if (io.KeyShift) s->next_mark(); else s->step_forward();
            moved();
        }
        if (pressed(ImGuiKey_LeftArrow)) {
            s->pause();
            if (io.KeyShift) s->prev_mark(); else s->step_back();
            moved();
        }
        if (pressed(ImGuiKey_Home)) s->to_start(), moved();
        if (pressed(ImGuiKey_End)) s->to_end(), moved();
        const auto pan = [this](double rows) {
            ui_.view.top_ct += static_cast<std::int64_t>(rows * ui_.view.row_px * ui_.view.ns_per_px);
            ui_.follow_cursor = false;
        };
        if (pressed(ImGuiKey_UpArrow)) pan(-2);
        if (pressed(ImGuiKey_DownArrow)) pan(2);
        if (pressed(ImGuiKey_PageUp)) pan(-0.8 * ui_.view.height / ui_.view.row_px);
        if (pressed(ImGuiKey_PageDown)) pan(0.8 * ui_.view.height / ui_.view.row_px);
    }
    if (io.KeyCtrl || io.KeyAlt) return;
    const int nspeeds = static_cast<int>(speed_choices().size());
    for (ImWchar c : io.InputQueueCharacters) {
        switch (c) {
            case '+': case '=': settings_.font_px += 2; break;
            case '-': case '_': settings_.font_px -= 2; break;
            case 'f': case 'F': settings_.fold_tcp = !settings_.fold_tcp; break;
            case 'l': case 'L': settings_.hide_future = !settings_.hide_future; break;
            case 't': case 'T':
                settings_.theme = settings_.theme == Theme::dark ? Theme::light : settings_.theme == Theme::light ? Theme::projector : Theme::dark;
                break;
            case '?': help_open_ = !help_open_; break;
            case '[': settings_.speed = std::max(0, settings_.speed - 1); break;
            case ']': settings_.speed = std::min(nspeeds - 1, settings_.speed + 1); break;
            case 'n': case 'N': if (have) s->next_mark(), moved(); break;
            case 'p': case 'P': if (have) s->prev_mark(), moved(); break;
            case 'z': case 'Z': if (have) ui::frame_cursor(ui_), moved(); break;
            case 'a': case 'A':
                if (have) {
                    ui_.view = view_around(*s, 0, s->size() - 1, ui_.view);
                    ui_.follow_cursor = false;
                }
                break;
            case '1': case '2': case '3': case '4': case '5': ui_.tab_request = static_cast<int>(c - '1'); break;
            default: break;
        }
    }
}

}  // namespace postino::viz
