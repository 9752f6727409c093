// lecture_steps.hpp — a lecture's step text for the narration panel
// (`postino-viz --lecture N --lang it`, docs/visualizer.md "Lecture narration").
//
// A lecture (lectures/<lang>/NN-topic.md) holds one fenced block
//
//     ```viz-steps scenarios/classic.yaml
//     start                         | Alice's server is up, Bob's is down.
//     "TCP connect to port 587"     | Alice's user agent connects to port 587.
//     "DEFERRED" 2                  | The second attempt fails too.
//     at 3m                         | Bob's server is back.
//     #120                          | (after 120 events)
//     ```
//
// naming the scenario it walks through and, one line each, a selector and the
// text shown from that moment until the next step. Selectors: `start`; `#N`
// (after N events); `at TIME` (every event at or before TIME applied, as
// --at does); `"TEXT"` or `"TEXT" K` (after the first, or K-th, event whose
// timeline line — the text `postino run -v` prints after the time — contains
// TEXT; `\"` in TEXT is a quote, so `"POP3 \"QUIT"` finds the QUIT a POP3
// client sent). Steps must come in the order of the story. No ImGui here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/trace_model.hpp"

namespace postino::viz {

struct LectureStep {
    enum class By : std::uint8_t { start, event, time, text };
    By by = By::start;
    std::uint64_t event = 0;     // #N
    std::int64_t time_ns = 0;    // at TIME
    std::string text;            // "TEXT"
    std::uint32_t occurrence = 1;
    std::string selector;        // as written, for messages
    std::string narration;       // what the panel shows
    std::size_t line = 0;        // in the lecture file
};

struct Lecture {
    std::string path;            // the lecture file
    std::string title;           // its first `# ` heading
    std::string scenario;        // as written in the block (relative to the repository root)
    std::vector<LectureStep> steps;
    std::vector<std::uint32_t> at;  // resolved: step i is in force once `at[i]` events are applied
    std::string problem;         // a step that does not resolve against the trace shown
};

// Parses the viz-steps block of a lecture's Markdown. Errors name
// `path:line` and what is wrong (no block, two blocks, a bad selector).
Result<Lecture> parse_lecture(std::string_view markdown, const std::string& path);

// The file of lecture `number` in `lang` under `dir` (`dir/lang/NN-*.md`),
// or an error saying what was looked for.
Result<std::string> find_lecture_file(const std::string& dir, int number, const std::string& lang);

// Reads and parses lecture `number` in `lang` under `dir`.
Result<Lecture> load_lecture(const std::string& dir, int number, const std::string& lang);

// Resolves every step against a trace: fills `at`, or returns the first step
// that matches no event, or comes before the step above it.
Status resolve_lecture(Lecture& lecture, const TraceModel& model);

// The step in force after `applied` events (kNone-like: nullopt before the first).
std::optional<std::size_t> lecture_step_at(const Lecture& lecture, std::uint32_t applied);

// The line an event's selector text is matched against: endpoints and
// description, as in `postino run -v` without the time.
std::string lecture_match_line(const TraceModel& model, std::size_t i);

}  // namespace postino::viz
