// app.cpp — the frame: menu, toolbar, narration, sequence diagram, side
// panels, timeline, status line; opening traces; follow mode.
#include "app/app.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "model/file_list.hpp"
#include "model/text_util.hpp"
#include "source/scenario_source.hpp"
#include "views/event_list_view.hpp"
#include "views/help_view.hpp"
#include "views/inspector_view.hpp"
#include "views/mailbox_view.hpp"
#include "views/message_view.hpp"
#include "views/narration_view.hpp"
#include "views/network_view.hpp"
#include "views/sequence_view.hpp"
#include "views/spool_view.hpp"
#include "views/theme.hpp"
#include "views/timeline_view.hpp"
#include "views/toolbar_view.hpp"

namespace postino::viz {

namespace {
constexpr float kFollowPeriod = 0.25f;  // seconds between re-reads in follow mode
}

App::App(Settings settings, AppOptions options) : opt_(options), settings_(std::move(settings)) {
    pal_ = ui::make_palette(settings_.theme);
    fonts_.px = settings_.font_px;
    fonts_.ui = fonts_.mono = fonts_.big = nullptr;
    ui_.settings = &settings_;
    ui_.pal = &pal_;
    ui_.fonts = &fonts_;
    ui_.record_probes = opt_.record_probes;
    current_tab_ = std::clamp(settings_.tab, 0, static_cast<int>(ui::Tab::count) - 1);
    ui_.tab_request = current_tab_;
    open_dialog_.dir = settings_.last_dir;
}

App::~App() = default;

void App::set_fonts(const ui::Fonts& f) {
    fonts_ = f;
    applied_font_ = f.px;
    fonts_dirty_ = false;
    style_applied_ = false;  // spacing follows the font size
}

std::string App::open(const std::string& path, bool follow) {
    path_ = path;
    follow_mode_ = follow && !is_scenario_path(path);
    follow_.reset();
    error_.clear();
    ui_.view_ready = false;
    ui_.message_id.clear();
    ui_.list_key = 0;
    scenario_.reset();
    ui_.title.clear();
    if (is_scenario_path(path)) {
        // `postino-viz SCENARIO.yaml`: run it here (sim/scenario), into a trace
        // in memory, and show that trace. Follow mode has nothing to follow.
        auto run = run_scenario_file(path, seed_);
        if (!run) {
            session_.reset();
            ui_.s = nullptr;
            error_ = run.error().message();  // file:line:col: what, from the loader
        } else {
            session_ = std::make_unique<Session>(TraceModel::from_text(run->trace, path), settings_.max_gap_ns);
            if (const auto& e = session_->model().error()) error_ = "the scenario's trace is unreadable: " + e->message();
            run->trace.clear();  // the model keeps its own copy
            run->trace.shrink_to_fit();
            scenario_ = std::move(run.value());
            ui_.title = scenario_->title;
            ui_.notice = "ran " + path + ": " + scenario_->summary();
            if (follow) ui_.notice += " (--follow is for trace files; a scenario is run once)";
        }
    } else if (follow) {
        TraceModel m(path);
        follow_.emplace(path);
        const auto st = follow_->poll(m);
        session_ = std::make_unique<Session>(std::move(m), settings_.max_gap_ns);
        session_->to_end();
        if (st == FollowReader::Status::missing) {
            ui_.notice = "waiting for " + path + " to appear";
        }
    } else {
        session_ = std::make_unique<Session>(TraceModel::load_file(path), settings_.max_gap_ns);
        if (const auto& e = session_->model().error()) {
            error_ = e->message();
            if (session_->size() > 0) error_ += "   (showing the " + std::to_string(session_->size()) + " events before it)";
        }
    }
    if (session_) {
        ui_.s = session_.get();
        applied_gap_ = settings_.max_gap_ns;
        session_->filter().fold_tcp = settings_.fold_tcp;
    }
    if (!error_.empty() && opt_.err != nullptr) *opt_.err << "postino-viz: " << error_ << "\n";
    resolve_lecture_steps();
    if (scenario_ && !scenario_->ok && opt_.err != nullptr) {
        *opt_.err << "postino-viz: " << path << ": the scenario's checks failed (" << scenario_->summary() << ")\n";
        for (const auto& f : scenario_->failures) *opt_.err << "  " << f << "\n";
    }
    return error_;
}

void App::drop(const std::vector<std::string>& paths) {
    if (paths.empty()) return;
    const std::string& p = paths.front();
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
        open_dialog_.dir = p;
        open_dialog_.open = true;
        return;
    }
    open(p, false);
    if (paths.size() > 1) ui_.notice += "   (" + std::to_string(paths.size()) + " files dropped: opened the first)";
}

void App::set_lecture(Lecture lecture) {
    ui_.lecture = std::move(lecture);
    resolve_lecture_steps();
}

void App::resolve_lecture_steps() {
    if (!ui_.lecture || !session_) return;
    if (const Status st = resolve_lecture(*ui_.lecture, session_->model()); !st && opt_.err != nullptr) {
        *opt_.err << "postino-viz: " << st.error().message() << "\n";
    }
}

void App::reload() {
    if (path_.empty()) return;
    const std::uint32_t k = session_ ? session_->index() : 0;
    open(path_, follow_mode_);
    if (session_) session_->seek(k);
    ui_.notice = "reloaded " + path_;
}

void App::poll_follow(float dt) {
    if (!follow_ || !session_) return;
    follow_clock_ += dt;
    if (follow_clock_ < kFollowPeriod) return;
    follow_clock_ = 0;
    const auto st = follow_->poll(session_->model_mut());
    if (st == FollowReader::Status::grew) {
        session_->grown();
        ui_.notice.clear();
    } else if (st == FollowReader::Status::restart) {
        open(path_, true);
        ui_.notice = "the trace file was rewritten: started over";
    }
    if (const auto& e = session_->model().error(); e && error_.empty()) {
        error_ = e->message();
        if (opt_.err != nullptr) *opt_.err << "postino-viz: " << error_ << "\n";
    }
}

void App::apply_settings() {
    settings_.font_px = std::clamp(settings_.font_px, Settings::kMinFont, Settings::kMaxFont);
    if (settings_.font_px != applied_font_) fonts_dirty_ = true;
    if (!style_applied_ || settings_.theme != applied_theme_) {
        ui::apply_style(settings_.theme, fonts_.px);
        pal_ = ui::make_palette(settings_.theme);
        applied_theme_ = settings_.theme;
        style_applied_ = true;
    }
    if (session_) {
        session_->filter().fold_tcp = settings_.fold_tcp;
        if (settings_.max_gap_ns != applied_gap_) {
            session_->set_max_gap(settings_.max_gap_ns);
            applied_gap_ = settings_.max_gap_ns;
            ui_.view_ready = false;
        }
    }
}

void App::frame(float dt) {
    handle_keys();
    apply_settings();
    poll_follow(dt);
    if (session_) session_->tick(dt);
    ui_.probes.clear();

    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    const ImGuiWindowFlags main_flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_MenuBar |
                                        ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    // The main window's background is the frame's clear colour (the window
    // layer clears to WindowBg): not filling it again saves a full-screen
    // layer of blending, which is most of a frame under a software renderer.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));
    ImGui::Begin("postino-viz", nullptr, main_flags);
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
    draw_menu();
    ui::draw_toolbar(ui_);
    if (ImGui::IsPopupOpen("help")) {
        help_open_ = true;
        ImGui::CloseCurrentPopup();
    }
    draw_error_banner();

    const float fs = fonts_.px;
    const float narration_h = fs * 1.5f * 2.3f + fs * 1.4f + (ui_.lecture ? fs * 1.4f : 0.0f);
    ui::draw_narration(ui_, narration_h);

    const float timeline_h = fs * 2.4f;
    const float status_h = ImGui::GetFrameHeightWithSpacing();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float main_h = std::max(100.0f, avail.y - timeline_h - status_h - ImGui::GetStyle().ItemSpacing.y);
    const float splitter_w = 6;
    const float seq_w = std::max(200.0f, (avail.x - splitter_w) * std::clamp(settings_.split, 0.25f, 0.85f));

    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("sequence", ImVec2(seq_w, main_h), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ui::draw_sequence(ui_);
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::SameLine(0, 0);
    ImGui::InvisibleButton("splitter", ImVec2(splitter_w, main_h));
    if (ImGui::IsItemActive()) settings_.split = std::clamp(settings_.split + io.MouseDelta.x / std::max(1.0f, avail.x), 0.25f, 0.85f);
    if (ImGui::IsItemHovered() || ImGui::IsItemActive()) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    ImGui::SameLine(0, 0);
    draw_side(avail.x - seq_w - splitter_w, main_h);

    ui::draw_timeline(ui_, timeline_h);
    draw_status();
    ImGui::End();

    ui::draw_help(ui_, help_open_);
    std::string chosen;
    bool follow = false;
    if (ui::draw_open_dialog(ui_, open_dialog_, chosen, follow)) open(chosen, follow);

    if (session_) {
        ui_.seen_index = session_->index();
        ui_.seen_time = session_->time();
    }
}

void App::draw_menu() {
    if (!ImGui::BeginMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open...", "Ctrl+O")) open_dialog_.open = true;
        if (ImGui::MenuItem("Reload", "Ctrl+R", false, !path_.empty())) reload();
        ImGui::Separator();
        if (ImGui::MenuItem("Quit")) quit_ = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::BeginMenu("Theme")) {
            for (Theme t : {Theme::dark, Theme::light, Theme::projector}) {
                if (ImGui::MenuItem(theme_name(t), nullptr, settings_.theme == t)) settings_.theme = t;
            }
            ImGui::EndMenu();
        }
        if (ImGui::MenuItem("Larger text", "+")) settings_.font_px += 2;
        if (ImGui::MenuItem("Smaller text", "-")) settings_.font_px -= 2;
        ImGui::MenuItem("Fold TCP", "F", &settings_.fold_tcp);
        ImGui::MenuItem("Lecture mode (hide the future)", "L", &settings_.hide_future);
        if (ImGui::BeginMenu("Compress idle gaps longer than")) {
            const std::pair<const char*, std::int64_t> gaps[] = {{"off", 0}, {"10 ms", 10'000'000}, {"100 ms", 100'000'000},
                                                                 {"250 ms", 250'000'000}, {"1 s", 1'000'000'000},
                                                                 {"10 s", 10'000'000'000}, {"1 min", 60'000'000'000}};
            for (const auto& [name, ns] : gaps) {
                if (ImGui::MenuItem(name, nullptr, settings_.max_gap_ns == ns)) settings_.max_gap_ns = ns;
            }
            ImGui::EndMenu();
        }
        if (ImGui::MenuItem("Zoom to the cursor", "Z")) ui::frame_cursor(ui_), ui_.follow_cursor = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Keys and legend", "?")) help_open_ = true;
        ImGui::EndMenu();
    }
    if (session_) {
        const auto& h = session_->model().header();
        ImGui::TextDisabled("   %s   scenario \"%s\"  seed %llu  %s", path_.c_str(), h.scenario.c_str(),
                            static_cast<unsigned long long>(h.seed), follow_ ? "  [following]" : "");
        if (scenario_) {
            ImGui::SameLine();
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(scenario_->ok ? pal_.host_up : pal_.failure), "%s",
                               scenario_->ok ? "checks pass" : "checks FAIL");
        }
    }
    ImGui::EndMenuBar();
}

void App::draw_error_banner() {
    if (error_.empty() && scenario_ && !scenario_->ok) {
        // Not a load error: the run is shown, but the scenario did not do what it expects.
        std::string text = "scenario checks failed: " + scenario_->summary();
        for (const auto& f : scenario_->failures) text += "\n  " + f;
        const ImVec2 o = ImGui::GetCursorScreenPos();
        const float w = ImGui::GetContentRegionAvail().x;
        const ImVec2 ts = ImGui::CalcTextSize(text.c_str(), nullptr, false, w - fonts_.px);
        const float h = ts.y + fonts_.px * 0.8f;
        ImGui::GetWindowDrawList()->AddRectFilled(o, ImVec2(o.x + w, o.y + h), pal_.retry, 4);
        ImGui::SetCursorScreenPos(ImVec2(o.x + fonts_.px * 0.5f, o.y + fonts_.px * 0.4f));
        ImGui::PushTextWrapPos(o.x + w - fonts_.px * 0.5f);
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_BLACK);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopStyleColor();
        ImGui::PopTextWrapPos();
        ui_.probe("checks-banner", o.x + 3, o.y + 3, pal_.retry);
        ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + h + 4));
        ImGui::Dummy(ImVec2(0, 0));
        return;
    }
    if (error_.empty()) return;
    const ImVec2 o = ImGui::GetCursorScreenPos();
    const float w = ImGui::GetContentRegionAvail().x;
    ImGui::PushTextWrapPos(o.x + w - fonts_.px * 6);
    const ImVec2 ts = ImGui::CalcTextSize(error_.c_str(), nullptr, false, w - fonts_.px * 7);
    const float h = ts.y + fonts_.px * 0.8f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(o, ImVec2(o.x + w, o.y + h), pal_.failure, 4);
    ImGui::SetCursorScreenPos(ImVec2(o.x + fonts_.px * 0.5f, o.y + fonts_.px * 0.4f));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32_WHITE);
    ImGui::TextUnformatted(error_.c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
    ui_.probe("error-banner", o.x + 3, o.y + 3, pal_.failure);
    ImGui::SetCursorScreenPos(ImVec2(o.x + w - fonts_.px * 5, o.y + (h - ImGui::GetFrameHeight()) * 0.5f));
    if (ImGui::Button("Dismiss")) error_.clear();
    ImGui::SetCursorScreenPos(ImVec2(o.x, o.y + h + 4));
    ImGui::Dummy(ImVec2(0, 0));
}

void App::draw_side(float width, float height) {
    ImGui::BeginGroup();
    const float net_h = height * 0.36f;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::BeginChild("network_map", ImVec2(width, net_h), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    ui::draw_network(ui_, net_h - 2);
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::BeginChild("panels", ImVec2(width, height - net_h - ImGui::GetStyle().ItemSpacing.y), true);
    if (ImGui::BeginTabBar("tabs")) {
        for (int t = 0; t < static_cast<int>(ui::Tab::count); ++t) {
            const ImGuiTabItemFlags f = ui_.tab_request == t ? ImGuiTabItemFlags_SetSelected : 0;
            const bool open = ImGui::BeginTabItem(ui::tab_name(static_cast<ui::Tab>(t)), nullptr, f);
            ui_.hit(std::string("tab:") + ui::tab_name(static_cast<ui::Tab>(t)));
            if (!open) continue;
            current_tab_ = t;
            settings_.tab = t;
            ImGui::BeginChild("tab_body");
            switch (static_cast<ui::Tab>(t)) {
                case ui::Tab::inspector: ui::draw_inspector(ui_); break;
                case ui::Tab::spool: ui::draw_spool(ui_); break;
                case ui::Tab::mailboxes: ui::draw_mailboxes(ui_); break;
                case ui::Tab::message: ui::draw_message(ui_); break;
                case ui::Tab::events: ui::draw_event_list(ui_); break;
                case ui::Tab::count: break;
            }
            ImGui::EndChild();
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ui_.tab_request = -1;
    ImGui::EndChild();
    ImGui::EndGroup();
}

void App::draw_status() {
    if (session_) {
        const WorldState& w = session_->state();
        ImGui::TextDisabled("%u events   %zu hosts   %zu in flight   %zu open connections   %zu faults active   %s",
                            session_->size(), session_->model().host_count() - 1, w.in_flight.size(), w.conns.size(),
                            w.faults.size(), ui_.notice.c_str());
    } else {
        ImGui::TextDisabled("%s", ui_.notice.empty() ? "Open a trace: File > Open, drop a file, or postino-viz TRACE.jsonl"
                                                     : ui_.notice.c_str());
    }
}

}  // namespace postino::viz
