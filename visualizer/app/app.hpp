// app.hpp — postino-viz without the window: the open trace (or the error
// that prevented it), the panels laid out over the whole display, the
// keyboard, follow mode and settings. frame() issues ImGui calls only, so
// headless tests drive it with a bare ImGui context; app/window.cpp feeds it
// GLFW input and renders it with OpenGL.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "model/follow.hpp"
#include "model/session.hpp"
#include "model/settings.hpp"
#include "source/scenario_source.hpp"
#include "views/open_dialog.hpp"
#include "views/ui_context.hpp"

namespace postino::viz {

struct AppOptions {
    std::ostream* err = nullptr;  // load errors are printed here too (stderr in the program)
    bool record_probes = false;   // screenshot tests
    // Window-system key codes for keys ImGui 1.86 has no name for (set by the
    // window layer; -1: not available).
    int key_f1 = -1, key_o = -1, key_r = -1;
};

class App {
public:
    explicit App(Settings settings, AppOptions options = {});
    ~App();

    // Opens a trace, or runs a scenario (.yaml/.yml) in process and opens its
    // trace, or records (and prints) why it cannot. Returns the error message
    // ("" on success): `file:line: what` for a trace, `file:line:col: what`
    // for a scenario. A trace broken half-way opens with the events before the
    // problem and shows the problem.
    std::string open(const std::string& path, bool follow = false);
    // Paths dropped on the window (GLFW's drop callback): the first file is
    // opened exactly as `postino-viz FILE` opens it (errors in the banner);
    // a dropped folder opens File > Open there.
    void drop(const std::vector<std::string>& paths);
    void reload();
    // The seed scenarios are run with (default: the scenario's own).
    void set_seed(std::optional<std::uint64_t> seed) { seed_ = seed; }
    // The last scenario run (when the input is a scenario): its checks.
    [[nodiscard]] const std::optional<ScenarioRun>& scenario() const { return scenario_; }

    // One frame of UI, between ImGui::NewFrame() and ImGui::Render().
    void frame(float dt);

    // The window rebuilds the font atlas (and its texture) when this is set.
    [[nodiscard]] bool fonts_dirty() const { return fonts_dirty_; }
    void set_fonts(const ui::Fonts& f);

    [[nodiscard]] Session* session() { return session_.get(); }
    [[nodiscard]] ui::UiContext& ui() { return ui_; }
    [[nodiscard]] Settings& settings() { return settings_; }
    [[nodiscard]] const std::string& error() const { return error_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool quit_requested() const { return quit_; }
    [[nodiscard]] bool help_open() const { return help_open_; }
    [[nodiscard]] const ui::OpenDialog& open_dialog() const { return open_dialog_; }
    void set_help(bool open) { help_open_ = open; }
    void show_tab(ui::Tab t) { ui_.tab_request = static_cast<int>(t); }
    // --lecture N: the narration panel shows this lecture's step text; its
    // steps are resolved against every trace opened (a step that matches no
    // event is printed and shown in the panel).
    void set_lecture(Lecture lecture);

private:
    void resolve_lecture_steps();
    void handle_keys();
    void apply_settings();
    void poll_follow(float dt);
    void draw_menu();
    void draw_error_banner();
    void draw_side(float width, float height);
    void draw_status();

    AppOptions opt_;
    Settings settings_;
    ui::Palette pal_;
    ui::Fonts fonts_;
    ui::UiContext ui_;
    std::unique_ptr<Session> session_;
    std::optional<FollowReader> follow_;
    std::optional<ScenarioRun> scenario_;
    std::optional<std::uint64_t> seed_;
    std::string path_;
    std::string error_;
    bool follow_mode_ = false;
    float follow_clock_ = 0;
    bool help_open_ = false;
    ui::OpenDialog open_dialog_;
    bool fonts_dirty_ = true;
    Theme applied_theme_ = Theme::dark;
    bool style_applied_ = false;
    float applied_font_ = 0;
    std::int64_t applied_gap_ = -1;
    bool quit_ = false;
    int current_tab_ = 0;
};

}  // namespace postino::viz
