// main.cpp — the `postino-viz` command line (CLI11 lives in this file only).
//
//   postino-viz [TRACE.jsonl | SCENARIO.yaml] [--follow] [--lang it] [--seed N]
//   postino-viz TRACE --screenshot OUT.png --at TIME|#EVENT [--size WxH] [--report OUT.json]
//   postino-viz TRACE --frames N --exit
//   postino-viz TRACE --bench N --size 1920x1080
//   postino-viz [SCENARIO] --lecture N [--lang it]   narration from lectures/<lang>/NN-*.md
// See docs/visualizer.md.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/run.hpp"
#include "app/settings_file.hpp"
#include "model/text_util.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

// $POSTINO_LECTURES, else ./lectures, else the source tree the program was built from.
std::string default_lectures_dir() {
    if (const char* env = std::getenv("POSTINO_LECTURES"); env != nullptr && *env != 0) return env;
    std::error_code ec;
    if (std::filesystem::is_directory("lectures", ec)) return "lectures";
    return POSTINO_VIZ_LECTURES_DIR;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"postino-viz: watch a Postino trace step by step, forward and back"};
    cli.set_version_flag("--version", "postino-viz 0.1.0");
    RunOptions opt;
    std::string theme, compress, lang;
    float font_px = 0;
    bool fold_tcp = false;
    std::string lecture, lectures_dir;
    cli.add_option("input", opt.input, "A recorded trace (.jsonl), or a scenario (.yaml), which is run in process");
    cli.add_option("--seed", opt.seed, "Scenarios: run with this seed instead of the scenario's own");
    cli.add_flag("--follow", opt.follow, "Re-read the trace as it grows (live mode)");
    cli.add_option("--lang", lang, "Narration language: en (default) or it (a note's Italian text, where the scenario gives one)");
    cli.add_option("--screenshot", opt.screenshot, "Render one moment to this PNG and exit");
    cli.add_option("--at", opt.at, "The moment: a time from the start (1.5s, 250ms, 2h) or #N (after N events)");
    cli.add_option("--size", opt.size, "Window or picture size WIDTHxHEIGHT (screenshots: 1600x900)");
    cli.add_option("--report", opt.report, "With --screenshot: also write what was drawn where (JSON, for tests)");
    cli.add_option("--frames", opt.frames, "Render N frames (with --exit: then quit; a smoke test)");
    cli.add_flag("--exit", opt.exit_after, "Quit after --frames N");
    cli.add_option("--bench", opt.bench_frames, "Measure: load time, and N frames each of scrubbing and zooming");
    cli.add_option("--bench-phase", opt.bench_phase, "With --bench: only this phase (scrub, zoom or whole), e.g. to profile it")
        ->check(CLI::IsMember({"scrub", "zoom", "whole"}));
    cli.add_option("--theme", theme, "dark, light or projector (high contrast)");
    cli.add_option("--font-px", font_px, "Text size in pixels (10-48)");
    cli.add_flag("--fold-tcp", fold_tcp, "Hide TCP segments, keep application lines");
    auto* lecture_opt = cli.add_option("--lecture", lecture,
                                       "Lecture mode: show nothing after the cursor; with N, the narration shows lecture N's "
                                       "step text (and opens its scenario when no input is given)")
                            ->expected(0, 1);
    cli.add_option("--lectures-dir", lectures_dir, "Where the lectures are (default: $POSTINO_LECTURES, ./lectures, the source tree's)");
    cli.add_option("--compress", compress, "Compress idle gaps longer than this (e.g. 250ms, 1s) or 'off'");
    cli.add_option("--tab", opt.tab, "Right-hand panel: inspector, spool, mailboxes, message, events");
    cli.add_option("--select", opt.select, "#N: the inspector shows event N");
    cli.add_option("--message", opt.message, "The message panel shows the message with this id (queue id)");
    cli.add_option("--only", opt.only, "Show only these protocols (smtp, pop3, imap, dns, tcp, udp, http, app, mail, fault, note)")->delimiter(',');
    cli.add_option("--hide-host", opt.hide_hosts, "Hide this host's lane (repeatable)");
    cli.add_option("--around", opt.around, "How many events around the cursor the diagram frames (default 12)");
    cli.add_flag("--whole", opt.whole, "With --screenshot: the diagram shows the whole trace (as the A key does)");
    bool no_settings = false;
    cli.add_flag("--no-settings", no_settings, "Neither read nor write ~/.config/postino/viz.json");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    const bool headless = !opt.screenshot.empty() || opt.bench_frames > 0 || (opt.frames >= 0 && opt.exit_after);
    opt.use_settings = !no_settings && !headless;  // pictures and smoke runs do not depend on a user's settings
    Settings settings;
    if (opt.use_settings) {
        std::string problem;
        settings = load_settings(settings_path(), &problem);
        if (!problem.empty()) std::cerr << "postino-viz: " << problem << "\n";
    }
    if (!theme.empty() && !theme_from(theme, settings.theme)) {
        std::cerr << "postino-viz: --theme " << theme << ": expected dark, light or projector\n";
        return kExitUsage;
    }
    if (font_px > 0) settings.font_px = std::clamp(font_px, Settings::kMinFont, Settings::kMaxFont);
    if (fold_tcp) settings.fold_tcp = true;
    if (lecture_opt->count() > 0) settings.hide_future = true;
    if (!lang.empty()) {
        // A language code names the note field that holds the text (`it`).
        const bool code = (lang.size() == 2 || lang.size() == 3) &&
                          std::all_of(lang.begin(), lang.end(), [](char c) { return c >= 'a' && c <= 'z'; });
        if (!code) {
            std::cerr << "postino-viz: --lang " << lang << ": expected a language code such as en or it\n";
            return kExitUsage;
        }
        settings.lang = lang;
    }
    if (!compress.empty()) {
        if (compress == "off") {
            settings.max_gap_ns = 0;
        } else {
            auto d = parse_duration(compress);
            if (!d) {
                std::cerr << "postino-viz: --compress " << compress << ": expected a duration like 250ms or 1s, or off\n";
                return kExitUsage;
            }
            settings.max_gap_ns = d->ns();
        }
    }
    if (!lecture.empty()) {
        // `--lecture FILE` (the flag before the input): the old flag form.
        const bool number = lecture.size() <= 2 && std::all_of(lecture.begin(), lecture.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!number) {
            if (!opt.input.empty() || lecture.starts_with("-")) {
                std::cerr << "postino-viz: --lecture " << lecture << ": expected a lecture number (1-99)\n";
                return kExitUsage;
            }
            opt.input = lecture;
        } else {
            opt.lecture = std::stoi(lecture);
            if (opt.lecture < 1) {
                std::cerr << "postino-viz: --lecture " << lecture << ": lectures are numbered from 1\n";
                return kExitUsage;
            }
            opt.lectures_dir = lectures_dir;
            if (opt.lectures_dir.empty()) opt.lectures_dir = default_lectures_dir();
        }
    }
    if (!opt.screenshot.empty() && opt.input.empty() && opt.lecture == 0) {
        std::cerr << "postino-viz: --screenshot needs an input file\n";
        return kExitUsage;
    }
    try {
        return run(opt, settings);
    } catch (const std::exception& e) {
        std::cerr << "postino-viz: internal error: " << e.what() << "\n";
        return 70;
    }
}
