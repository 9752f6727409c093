// run.cpp — interactive, screenshot, smoke and benchmark modes.
#include "app/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "app/app.hpp"
#include "app/capture.hpp"
#include "app/settings_file.hpp"
#include "app/window.hpp"
#include "model/text_util.hpp"
#include "views/draw_stats.hpp"
#include "views/sequence_view.hpp"

namespace postino::viz {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Applies --at, --select, --tab, filters; returns a usage error or "".
std::string place(App& app, const RunOptions& opt) {
    Session* s = app.session();
    if (!opt.tab.empty()) {
        bool found = false;
        for (int t = 0; t < static_cast<int>(ui::Tab::count); ++t) {
            std::string name = ui::tab_name(static_cast<ui::Tab>(t));
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (name == opt.tab) {
                app.show_tab(static_cast<ui::Tab>(t));
                found = true;
            }
        }
        if (!found) return "--tab " + opt.tab + ": expected inspector, spool, mailboxes, message or events";
    }
    if (s == nullptr) return {};
    if (!opt.only.empty()) {
        s->filter().cats.fill(false);
        for (const auto& c : opt.only) {
            auto cat = cat_from(c);
            if (!cat) return "--only " + c + ": not a protocol (tcp, udp, dns, smtp, pop3, imap, http, app, mail, fault, note)";
            s->filter().cats[static_cast<std::size_t>(*cat)] = true;
        }
    }
    for (const auto& h : opt.hide_hosts) {
        auto id = s->model().host_id(h);
        if (!id) return "--hide-host " + h + ": no such host in the trace";
        s->filter().set_host(*id, false);
    }
    if (!opt.at.empty()) {
        auto at = parse_at(opt.at);
        if (!at) return "--at " + opt.at + ": " + at.error().what;
        if (at->is_event) {
            if (at->event > s->size()) {
                return "--at " + opt.at + ": the trace has " + std::to_string(s->size()) + " events (#0 is the start, #" +
                       std::to_string(s->size()) + " the end)";
            }
            s->seek(static_cast<std::uint32_t>(at->event));
        } else {
            s->seek_time(at->t);
        }
    }
    if (!opt.select.empty()) {
        auto sel = parse_at(opt.select);
        if (!sel || !sel->is_event || sel->event >= s->size()) return "--select " + opt.select + ": expected #N with N < " + std::to_string(s->size());
        s->selected = static_cast<std::uint32_t>(sel->event);
    }
    if (!opt.message.empty()) app.ui().message_id = opt.message;
    return {};
}

int screenshot(App& app, Window& win, const RunOptions& opt) {
    app.ui().record_probes = true;
    // A few frames: the layout (tab bars, auto-sized columns) settles after the first.
    for (int i = 0; i < 4; ++i) {
        if (i == 1) {
            ui::frame_cursor(app.ui(), static_cast<std::uint32_t>(std::max(1, opt.around)));
            if (opt.whole && app.session() != nullptr && app.session()->size() > 0) {
                app.ui().view = view_around(*app.session(), 0, app.session()->size() - 1, app.ui().view);
                app.ui().follow_cursor = false;
            }
            app.ui().view_ready = true;
        }
        win.frame(app, 0.0f);
    }
    win.finish();
    std::string problem;
    if (!write_png(opt.screenshot, win.width(), win.height(), win.pixels(), &problem)) {
        std::cerr << "postino-viz: " << problem << "\n";
        return kExitUsage;
    }
    if (!opt.report.empty()) {
        ReportInfo info;
        info.width = win.width();
        info.height = win.height();
        info.input = app.path();
        info.error = app.error();
        if (app.session() != nullptr) {
            info.index = app.session()->index();
            info.time = app.session()->time();
        }
        if (!write_report(opt.report, info, app.ui().probes, &problem)) {
            std::cerr << "postino-viz: " << problem << "\n";
            return kExitUsage;
        }
    }
    std::cout << "postino-viz: wrote " << opt.screenshot << " (" << win.width() << "x" << win.height() << ")\n";
    return app.error().empty() ? kExitOk : kExitInput;
}

struct Stats {
    double mean_ms = 0, p50_ms = 0, p95_ms = 0, worst_ms = 0, fps = 0;
};
Stats stats(std::vector<double> ms) {
    Stats s;
    if (ms.empty()) return s;
    double sum = 0;
    for (double m : ms) sum += m;
    std::sort(ms.begin(), ms.end());
    s.mean_ms = sum / static_cast<double>(ms.size());
    s.p50_ms = ms[ms.size() / 2];
    s.p95_ms = ms[std::min(ms.size() - 1, ms.size() * 95 / 100)];
    s.worst_ms = ms.back();
    s.fps = 1000.0 / s.mean_ms;
    return s;
}

int bench(App& app, Window& win, const RunOptions& opt, double load_s) {
    Session* s = app.session();
    if (s == nullptr || s->size() == 0) {
        std::cerr << "postino-viz: --bench needs a trace with events\n";
        return kExitInput;
    }
    std::printf("postino-viz bench: %s\n  events %u, hosts %zu, arrows %zu\n  renderer %s\n  window %dx%d\n  load %.3f s\n",
                opt.input.c_str(), s->size(), s->model().host_count() - 1, s->model().arrows().size(),
                win.renderer().c_str(), win.width(), win.height(), load_s);
    for (int i = 0; i < 3; ++i) win.frame(app, 1.0f / 60);  // warm-up
    const int n = opt.bench_frames;
    // Per phase: frame times (input to glFinish), and what the frames asked
    // the rasterizer to do (measured outside the timed part).
    const auto run_phase = [&](const char* name, auto&& step) {
        const std::string_view key = std::string_view(name).substr(0, std::string_view(name).find(' '));
        if (!opt.bench_phase.empty() && key != opt.bench_phase) return;
        std::vector<double> ms;
        ui::DrawStats sum;
        for (int i = 0; i < n; ++i) {
            step(i);
            const auto t0 = Clock::now();
            win.frame(app, 1.0f / 60);
            win.finish();
            ms.push_back(seconds_since(t0) * 1000);
            if (const ImDrawData* dd = ImGui::GetDrawData(); dd != nullptr) {
                const ui::DrawStats d = ui::measure_draw_data(*dd, ImGui::GetIO().Fonts->TexUvWhitePixel);
                sum.vertices += d.vertices;
                sum.triangles += d.triangles;
                sum.draw_calls += d.draw_calls;
                sum.covered_px += d.covered_px;
                sum.textured_px += d.textured_px;
                sum.translucent_px += d.translucent_px;
                sum.screen_px += d.screen_px;
            }
        }
        const Stats st = stats(ms);
        const double per = 1.0 / std::max(1, n);
        std::printf("  %-28s %4d frames  mean %6.2f ms  p50 %6.2f  p95 %6.2f  worst %6.2f  => %5.1f fps\n", name, n, st.mean_ms,
                    st.p50_ms, st.p95_ms, st.worst_ms, st.fps);
        std::printf("  %-28s per frame: %7.0f vertices  %7.0f triangles  %5.0f draw calls  pixels covered %.2fx the window"
                    " (textured %.2fx, translucent %.2fx)\n",
                    "", static_cast<double>(sum.vertices) * per, static_cast<double>(sum.triangles) * per,
                    static_cast<double>(sum.draw_calls) * per, sum.overdraw(), sum.textured_px / std::max(1.0, sum.screen_px),
                    sum.translucent_px / std::max(1.0, sum.screen_px));
    };
    // Scrubbing: the cursor jumps across the whole trace, the diagram follows it.
    app.ui().follow_cursor = true;
    run_phase("scrub (follow cursor)", [&](int i) {
        const std::uint64_t k = (static_cast<std::uint64_t>(i) * 7919u * s->size() / static_cast<std::uint64_t>(n)) % s->size();
        s->seek(static_cast<std::uint32_t>(k));
        app.ui().follow_cursor = true;
    });
    // Zooming out from a handful of events to the whole trace and back.
    ui::frame_cursor(app.ui());
    const SeqView near = app.ui().view;
    const SeqView all = view_around(*s, 0, s->size() - 1, near);
    run_phase("zoom out to everything, back", [&](int i) {
        const double u = std::abs(1.0 - 2.0 * static_cast<double>(i) / std::max(1, n - 1));  // 1 -> 0 -> 1
        const double lz = std::log(near.ns_per_px) * u + std::log(all.ns_per_px) * (1 - u);
        app.ui().view.ns_per_px = std::exp(lz);
        app.ui().view.top_ct = static_cast<std::int64_t>(static_cast<double>(near.top_ct) * u + static_cast<double>(all.top_ct) * (1 - u));
        app.ui().follow_cursor = false;
    });
    app.ui().view = all;
    run_phase("whole trace in view, scrub", [&](int i) {
        s->seek(static_cast<std::uint32_t>(static_cast<std::uint64_t>(i) * s->size() / static_cast<std::uint64_t>(n)));
        app.ui().follow_cursor = false;
    });
    return kExitOk;
}

}  // namespace

int run(const RunOptions& opt, Settings settings) {
    const bool headless = !opt.screenshot.empty() || opt.bench_frames > 0;
    int w = settings.window_w, h = settings.window_h;
    if (headless) w = 1600, h = 900;
    if (!opt.size.empty()) {
        auto sz = parse_size(opt.size);
        if (!sz) {
            std::cerr << "postino-viz: --size " << sz.error().message() << "\n";
            return kExitUsage;
        }
        w = sz->first;
        h = sz->second;
    }
    if (!opt.at.empty() && opt.screenshot.empty() && opt.frames < 0) {
        // Fine: an interactive window that starts at that moment.
    }
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    AppOptions ao;
    ao.err = &std::cerr;
    Window::key_codes(ao);
    WindowConfig wc;
    wc.width = w;
    wc.height = h;
    wc.offscreen = headless;
    auto win = Window::open(wc);
    if (!win) {
        std::cerr << "postino-viz: " << win.error().what << "\n";
        ImGui::DestroyContext();
        return kExitWindow;
    }
    int code = kExitOk;
    {
        App app(settings, ao);
        app.set_seed(opt.seed);
        std::string input = opt.input;
        if (opt.lecture > 0) {
            auto lec = load_lecture(opt.lectures_dir, opt.lecture, settings.lang);
            if (!lec) {
                std::cerr << "postino-viz: " << lec.error().message() << "\n";
                code = kExitInput;
            } else {
                // No input: the lecture's own scenario, relative to the folder above lectures/.
                if (input.empty()) {
                    std::filesystem::path dir = std::filesystem::path(opt.lectures_dir).lexically_normal();
                    if (dir.filename().empty()) dir = dir.parent_path();
                    input = (dir.parent_path() / lec->scenario).string();
                }
                app.set_lecture(std::move(lec.value()));
            }
        }
        const auto t0 = Clock::now();
        if (code == kExitOk && !input.empty() && !app.open(input, opt.follow).empty()) code = kExitInput;
        const double load_s = seconds_since(t0);
        if (const std::string bad = place(app, opt); !bad.empty()) {
            std::cerr << "postino-viz: " << bad << "\n";
            code = kExitUsage;
        } else if (!opt.screenshot.empty()) {
            const int c = screenshot(app, *win.value(), opt);
            code = c != kExitOk ? c : code;
        } else if (opt.bench_frames > 0) {
            code = code != kExitOk ? code : bench(app, *win.value(), opt, load_s);
        } else {
            int frames = 0;
            while (!win.value()->should_close()) {
                // Idle: wait for input (follow mode still re-reads, every 0.25 s).
                const bool busy = (app.session() != nullptr && app.session()->playing()) || opt.frames >= 0;
                win.value()->frame(app, -1, busy ? 0.0 : 0.05);
                if (opt.frames >= 0 && ++frames >= opt.frames && opt.exit_after) break;
            }
            if (opt.use_settings) {
                win.value()->size(app.settings().window_w, app.settings().window_h);
                std::string problem;
                if (!save_settings(settings_path(), app.settings(), &problem) && !problem.empty()) std::cerr << "postino-viz: " << problem << "\n";
            }
            if (opt.frames >= 0) std::cout << "postino-viz: rendered " << frames << " frames\n";
        }
    }
    win.value().reset();
    ImGui::DestroyContext();
    return code;
}

}  // namespace postino::viz
