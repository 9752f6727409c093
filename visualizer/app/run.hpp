// run.hpp — postino-viz's modes once the command line is parsed: the
// interactive window, --screenshot (render one moment and exit), --frames N
// --exit (smoke runs) and --bench (load time and frame rate while scrubbing
// and zooming). Returns the process exit code.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/settings.hpp"

namespace postino::viz {

struct RunOptions {
    std::string input;
    std::optional<std::uint64_t> seed;  // scenarios: overrides the scenario's seed
    bool follow = false;
    std::string screenshot;        // PNG path
    std::string at;                // "#42" or "1.5s"
    std::string size;              // "1920x1080"
    int frames = -1;               // render this many frames...
    bool exit_after = false;       // ...then exit
    std::string report;            // screenshot: probes as JSON
    int bench_frames = 0;          // > 0: benchmark mode
    std::string bench_phase;       // only this phase (scrub, zoom, whole); empty: all three
    bool use_settings = true;      // read and write ~/.config/postino/viz.json
    std::string select;            // "#N": the inspector shows event N
    std::string message;           // the message panel shows this id
    std::string tab;               // inspector, spool, mailboxes, message, events
    std::vector<std::string> only;  // show only these protocol categories
    std::vector<std::string> hide_hosts;
    int around = 12;               // events around the cursor the diagram frames
    bool whole = false;            // screenshots: the diagram shows the whole trace (key A)
    int lecture = 0;               // --lecture N: narration from lecture N (0: none)
    std::string lectures_dir;      // where lectures/<lang>/NN-*.md are
};

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitInput = 1;   // the input could not be read (shown and printed)
inline constexpr int kExitUsage = 2;   // a bad option value
inline constexpr int kExitWindow = 3;  // no window or OpenGL

int run(const RunOptions& opt, Settings settings);

}  // namespace postino::viz
