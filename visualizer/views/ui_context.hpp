// ui_context.hpp — what every panel gets: the session (may be absent), the
// settings, colours and fonts, the sequence diagram's view, cross-panel
// requests (select a tab, show a message), and two hooks for tests: named
// widget rectangles (so headless tests can click real buttons) and probes
// (points whose colour the screenshot tests check in the PNG).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "model/lecture_steps.hpp"
#include "model/seq_layout.hpp"
#include "model/session.hpp"
#include "model/settings.hpp"

namespace postino::viz::ui {

struct Fonts {
    ImFont* ui = nullptr;
    ImFont* mono = nullptr;
    ImFont* big = nullptr;
    float px = 18;
    bool truetype = false;  // a TrueType font was found; else ImGui's built-in one, scaled
};

struct Palette {
    std::array<ImU32, kCatCount> cat{};
    ImU32 failure = 0, bounce = 0, retry = 0;
    ImU32 lane = 0, lane_title_bg = 0, text = 0, dim_text = 0, background = 0, label_bg = 0;
    ImU32 band_down = 0, band_link = 0, band_crash = 0, band_change = 0;
    ImU32 cursor = 0, selection = 0, new_row = 0, changed_row = 0, gap = 0, host_up = 0, host_down = 0;
    float line_w = 1.6f;
    float future_alpha = 0.22f;
};

struct Probe {
    std::string name;
    float x = 0, y = 0;
    ImU32 color = 0;
};

enum class Tab : int { inspector, spool, mailboxes, message, events, count };
const char* tab_name(Tab t);

struct UiContext {
    Session* s = nullptr;
    Settings* settings = nullptr;
    const Palette* pal = nullptr;
    const Fonts* fonts = nullptr;

    SeqView view;
    SeqLayoutCache seq_layout;   // the diagram's layout, kept while only the cursor moves
    bool view_ready = false;     // set the initial zoom once the diagram knows its size
    bool follow_cursor = true;   // keep the cursor in view while playing/stepping
    int tab_request = -1;        // a panel asks for another tab
    std::string message_id;      // the message the message panel shows
    std::uint32_t scroll_list_to = kNone;
    std::uint32_t seen_index = kNone;  // the cursor at the previous frame (panels react to moves)
    std::int64_t seen_time = -1;
    std::string notice;                 // a short message in the status line ("reloaded", ...)
    std::string title;                  // a scenario's title: the narration before its first note
    std::optional<Lecture> lecture;     // --lecture N: the narration shows the lecture's step text
    std::vector<std::uint32_t> list_rows;  // the event list's shown events (cached)
    std::uint64_t list_key = 0;            // what list_rows was computed for

    // The timeline's density bars and important-event ticks, per pixel
    // column: recomputed only when the trace, the width or the axis change
    // (a million events are too many to walk every frame).
    struct TimelineCache {
        const Session* s = nullptr;
        std::uint32_t n = 0;
        int cols = 0;
        std::int64_t end_ct = -1, max_gap = -1;
        std::vector<std::uint32_t> hist;
        std::array<std::vector<std::pair<int, std::uint32_t>>, kMarkCount> ticks;  // column, event
    } timeline;

    std::map<std::string, std::array<float, 4>> hits;  // name -> x0,y0,x1,y1
    bool record_probes = false;
    std::vector<Probe> probes;

    void hit(const std::string& name);  // records the last item's rectangle
    void probe(std::string name, float x, float y, ImU32 color) {
        if (record_probes) probes.push_back(Probe{std::move(name), x, y, color});
    }
    [[nodiscard]] ImU32 cat_color(Cat c) const { return pal->cat[static_cast<std::size_t>(c)]; }
};

// Colour with its alpha scaled.
ImU32 with_alpha(ImU32 c, float a);

}  // namespace postino::viz::ui
