// lecture_steps.cpp — parsing a lecture's viz-steps block and resolving its
// steps against a trace (lecture_steps.hpp).
#include "model/lecture_steps.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/trace_describe.hpp"
#include "model/text_util.hpp"

namespace postino::viz {
namespace {

constexpr std::string_view kInfo = "viz-steps";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Markdown emphasis and code marks are dropped: the panel shows plain text.
std::string plain(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '`') continue;
        if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '*') {
            ++i;
            continue;
        }
        out += s[i];
    }
    return out;
}

Result<LectureStep> parse_step(std::string_view line, const std::string& where) {
    // The selector ends at the first '|' outside quotes.
    bool quoted = false;
    std::size_t bar = std::string_view::npos;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '\\' && quoted && i + 1 < line.size()) {
            ++i;  // \" inside the quotes
            continue;
        }
        if (line[i] == '"') quoted = !quoted;
        if (line[i] == '|' && !quoted) {
            bar = i;
            break;
        }
    }
    if (bar == std::string_view::npos) {
        return Error{"a step is `SELECTOR | text` (start, #N, at TIME, \"TEXT\" [K]); this line has no '|'", where};
    }
    LectureStep st;
    const std::string_view sel = trim(line.substr(0, bar));
    st.selector = std::string(sel);
    st.narration = plain(trim(line.substr(bar + 1)));
    if (st.narration.empty()) return Error{"step " + st.selector + " has no text after '|'", where};
    if (sel == "start") {
        st.by = LectureStep::By::start;
    } else if (sel.starts_with("#")) {
        auto at = parse_at(sel);
        if (!at || !at->is_event) return Error{"'" + st.selector + "': expected #N, the number of events applied", where};
        st.by = LectureStep::By::event;
        st.event = at->event;
    } else if (sel.starts_with("at ")) {
        auto at = parse_at(trim(sel.substr(3)));
        if (!at || at->is_event) {
            return Error{"'" + st.selector + "': expected `at TIME` with a duration such as 1m30s or 250ms", where};
        }
        st.by = LectureStep::By::time;
        st.time_ns = at->t;
    } else if (sel.starts_with("\"")) {
        // The text ends at the first '"' not preceded by a backslash; \" is a quote.
        std::size_t close = 1;
        std::string text;
        while (close < sel.size() && sel[close] != '"') {
            if (sel[close] == '\\' && close + 1 < sel.size()) ++close;
            text += sel[close++];
        }
        if (close >= sel.size() || text.empty()) return Error{"'" + st.selector + "': the quoted text is empty or not closed", where};
        st.by = LectureStep::By::text;
        st.text = std::move(text);
        const std::string_view rest = trim(sel.substr(close + 1));
        if (!rest.empty()) {
            std::uint32_t k = 0;
            for (char c : rest) {
                if (c < '0' || c > '9' || k > 100000) return Error{"'" + st.selector + "': after the quoted text, an occurrence number (2 for the second)", where};
                k = k * 10 + static_cast<std::uint32_t>(c - '0');
            }
            if (k == 0) return Error{"'" + st.selector + "': occurrences count from 1", where};
            st.occurrence = k;
        }
    } else {
        return Error{"'" + st.selector + "': a selector is start, #N, at TIME or \"TEXT\" [K]", where};
    }
    return st;
}

}  // namespace

Result<Lecture> parse_lecture(std::string_view md, const std::string& path) {
    Lecture lec;
    lec.path = path;
    std::vector<std::string_view> lines;
    for (std::size_t pos = 0; pos <= md.size();) {
        const std::size_t nl = md.find('\n', pos);
        const std::size_t end = nl == std::string_view::npos ? md.size() : nl;
        lines.push_back(md.substr(pos, end - pos));
        if (nl == std::string_view::npos) break;
        pos = nl + 1;
    }
    std::size_t block = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view l = trim(lines[i]);
        if (lec.title.empty() && l.starts_with("# ")) lec.title = plain(trim(l.substr(2)));
        if (!l.starts_with("```")) continue;
        const std::size_t ticks = l.find_first_not_of('`');
        const std::string_view fence = l.substr(0, ticks == std::string_view::npos ? l.size() : ticks);
        std::string_view info = trim(l.substr(fence.size()));
        // Skip to the closing fence of whatever block this is.
        std::size_t j = i + 1;
        while (j < lines.size() && !trim(lines[j]).starts_with(fence)) ++j;
        if (info.starts_with(kInfo) && (info.size() == kInfo.size() || info[kInfo.size()] == ' ')) {
            const std::string where = path + ":" + std::to_string(i + 1);
            if (block != 0) return Error{"a second viz-steps block (the first is at line " + std::to_string(block) + "); a lecture has one", where};
            block = i + 1;
            lec.scenario = std::string(trim(info.substr(kInfo.size())));
            if (lec.scenario.empty()) return Error{"the viz-steps block names no scenario (```viz-steps scenarios/NAME.yaml)", where};
            if (j >= lines.size()) return Error{"the viz-steps block is never closed", where};
            for (std::size_t k = i + 1; k < j; ++k) {
                const std::string_view s = trim(lines[k]);
                if (s.empty()) continue;
                auto st = parse_step(s, path + ":" + std::to_string(k + 1));
                if (!st) return st.error();
                st->line = k + 1;
                lec.steps.push_back(std::move(*st));
            }
            if (lec.steps.empty()) return Error{"the viz-steps block has no steps", where};
        }
        i = j;
    }
    if (block == 0) return Error{"no ```viz-steps block: this lecture has no step text for the visualizer", path};
    return lec;
}

Result<std::string> find_lecture_file(const std::string& dir, int number, const std::string& lang) {
    namespace fs = std::filesystem;
    const fs::path d = fs::path(dir) / lang;
    std::error_code ec;
    if (!fs::is_directory(d, ec)) return Error{"no lectures in language '" + lang + "' (looked for the folder " + d.string() + ")", "--lecture"};
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%02d-", number);
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(d, ec)) {
        const std::string name = e.path().filename().string();
        if (name.starts_with(prefix) && name.ends_with(".md")) found.push_back(e.path().string());
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) return Error{"no lecture " + std::to_string(number) + " (looked for " + (d / (std::string(prefix) + "*.md")).string() + ")", "--lecture"};
    return found.front();
}

Result<Lecture> load_lecture(const std::string& dir, int number, const std::string& lang) {
    auto file = find_lecture_file(dir, number, lang);
    if (!file) return file.error();
    std::ifstream in(*file, std::ios::binary);
    if (!in) return Error{"cannot read the lecture file", *file};
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_lecture(ss.str(), *file);
}

std::string lecture_match_line(const TraceModel& model, std::size_t i) {
    const trace::Event e = model.full(i);
    return trace::endpoints(e) + "  " + trace::describe(e);
}

Status resolve_lecture(Lecture& lec, const TraceModel& model) {
    lec.at.clear();
    lec.problem.clear();
    const std::size_t n = model.size();
    std::vector<std::string> text;  // built once, on the first text selector
    std::uint32_t prev = 0;
    for (const LectureStep& st : lec.steps) {
        const std::string where = lec.path + ":" + std::to_string(st.line);
        std::uint64_t k = 0;
        switch (st.by) {
            case LectureStep::By::start: k = 0; break;
            case LectureStep::By::event:
                if (st.event > n) {
                    lec.problem = where + ": step " + st.selector + ": the trace has only " + std::to_string(n) + " events";
                    return Error{lec.problem.substr(where.size() + 2), where};
                }
                k = st.event;
                break;
            case LectureStep::By::time:
                while (k < n && model.ev(k).t <= st.time_ns) ++k;
                break;
            case LectureStep::By::text: {
                if (text.empty()) {
                    text.reserve(n);
                    for (std::size_t i = 0; i < n; ++i) text.push_back(lecture_match_line(model, i));
                }
                std::uint32_t seen = 0;
                std::size_t i = 0;
                for (; i < n; ++i) {
                    if (text[i].find(st.text) != std::string::npos && ++seen == st.occurrence) break;
                }
                if (i == n) {
                    lec.problem = where + ": step " + st.selector + ": " +
                                  (seen == 0 ? "no event of the trace contains \"" + st.text + "\""
                                             : "only " + std::to_string(seen) + " event(s) contain \"" + st.text + "\"");
                    return Error{lec.problem.substr(where.size() + 2), where};
                }
                k = i + 1;
                break;
            }
        }
        if (k < prev) {
            lec.problem = where + ": step " + st.selector + " comes before the step above it (after " + std::to_string(k) +
                          " events, the step above after " + std::to_string(prev) + "): steps follow the story";
            return Error{lec.problem.substr(where.size() + 2), where};
        }
        prev = static_cast<std::uint32_t>(k);
        lec.at.push_back(prev);
    }
    return {};
}

std::optional<std::size_t> lecture_step_at(const Lecture& lec, std::uint32_t applied) {
    std::optional<std::size_t> in_force;
    for (std::size_t i = 0; i < lec.at.size(); ++i) {
        if (lec.at[i] <= applied) in_force = i;
        else break;
    }
    return in_force;
}

}  // namespace postino::viz
