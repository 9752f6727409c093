// narration_view.cpp — the narration strip.
#include "views/narration_view.hpp"

#include "core/trace_describe.hpp"
#include "model/text_util.hpp"
#include "views/draw_util.hpp"

namespace postino::viz::ui {

void draw_narration(UiContext& ui, float height) {
    const Palette& pal = *ui.pal;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    fill_opaque(dl, o, ImVec2(o.x + w, o.y + height), pal.lane_title_bg);
    dl->AddRectFilled(o, ImVec2(o.x + 6, o.y + height), ui.cat_color(Cat::note));
    ImGui::SetCursorScreenPos(ImVec2(o.x + 16, o.y + 4));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(o.x + w - 12);
    std::string text = ui.title.empty() ? "(no narration yet)" : ui.title;
    std::string who;
    bool translated = false;
    bool have = false;
    if (ui.s != nullptr && ui.s->state().last_note != kNone) {
        const std::uint32_t n = ui.s->state().last_note;
        const trace::Event* e = ui.s->model().detail(n);
        if (e != nullptr) {
            text = note_text(*e, ui.settings->lang, &translated);
            who = ui.s->model().host_name(ui.s->model().ev(n).host);
            have = true;
        }
    }
    // --lecture N: the lecture's step text in force replaces the scenario's note.
    std::string lecture_line;
    bool lecture_problem = false;
    if (ui.lecture && ui.s != nullptr) {
        const Lecture& lec = *ui.lecture;
        const auto step = lecture_step_at(lec, ui.s->index());
        if (step) {
            text = lec.steps[*step].narration;
            have = true;
            translated = true;
            who.clear();
        } else if (!lec.title.empty()) {
            text = lec.title;
        }
        lecture_line = lec.title + "   step " + (step ? std::to_string(*step + 1) : std::string("-")) + "/" +
                       std::to_string(lec.steps.size());
        if (!lec.problem.empty()) {
            lecture_line = lec.problem;
            lecture_problem = true;
        }
    }
    ImGui::PushFont(ui.fonts->big);
    ImGui::PushStyleColor(ImGuiCol_Text, have || !ui.title.empty() ? pal.text : pal.dim_text);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopStyleColor();
    ImGui::PopFont();
    ui.probe("narration:" + text, o.x + 3, o.y + height * 0.5f, ui.cat_color(Cat::note));  // the text, for tests
    if (ui.s != nullptr) {
        // The latest event that is not narration itself.
        std::string now;
        std::uint32_t c = ui.s->current();
        while (c != kNone && ui.s->model().ev(c).kind == Kind::note) c = c == 0 ? kNone : c - 1;
        if (c != kNone) {
            const trace::Event e = ui.s->model().full(c);
            now = "last event #" + std::to_string(c) + ":  " + trace::endpoints(e) + "   " + std::string(ui.s->model().label(c));
        } else {
            now = "the start: nothing has happened yet";
        }
        if (!who.empty()) now = "[" + who + "]   " + now;
        if (!lecture_line.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, lecture_problem ? pal.failure : pal.dim_text);
            ImGui::TextUnformatted(lecture_line.c_str());
            ImGui::PopStyleColor();
            ui.probe("lecture:" + lecture_line, o.x + 3, o.y + height * 0.5f, lecture_problem ? pal.failure : pal.dim_text);
        }
        if (ui.settings->lang != "en" && have && !translated) now += "   (this note has no '" + ui.settings->lang + "' text)";
        ImGui::PushStyleColor(ImGuiCol_Text, pal.dim_text);
        ImGui::TextUnformatted(now.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + height));
    ImGui::Dummy(ImVec2(0, 0));
}

}  // namespace postino::viz::ui
