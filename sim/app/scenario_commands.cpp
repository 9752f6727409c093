// scenario_commands.cpp — running, replaying, exporting, validating and
// listing scenarios.
#include "app/scenario_commands.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <unistd.h>

#include "core/trace_describe.hpp"
#include "agents/conservation.hpp"
#include "core/trace_json.hpp"
#include "core/trace_reader.hpp"
#include "scenario/invariants.hpp"
#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

namespace postino::app {
namespace {

// Prints the timeline: by default everything but TCP segments and UDP
// datagrams (the mail story); --verbose adds them; --quiet keeps notes, spool,
// mailbox, user-agent events and faults.
class StorySink final : public trace::Sink {
public:
    StorySink(bool quiet, bool verbose, bool color, bool italian)
        : quiet_(quiet), verbose_(verbose), color_(color), italian_(italian) {}
    void on_event(const trace::Event& e) override {
        if (e.kind == "message") return;  // the bytes are in the trace file
        if (!verbose_ && (e.kind == "segment" || e.kind == "datagram")) return;
        if (quiet_ && !(e.kind == "note" || e.kind == "spool" || e.kind == "mailbox" || e.kind == "ua" ||
                        e.kind == "fault" || e.kind == "host")) {
            return;
        }
        const char* c = color_ ? color_of(e) : nullptr;
        const std::string text = italian_ && e.kind == "note" ? italian_line(e) : trace::timeline_line(e);
        if (c != nullptr) std::cout << c << text << "\033[0m\n";
        else std::cout << text << '\n';
    }

private:
    // A note's Italian text ("it") where it has one; the English otherwise.
    static std::string italian_line(const trace::Event& e) {
        const std::string it = e.get_str("it");
        if (it.empty()) return trace::timeline_line(e);
        trace::Event copy = e;
        copy.set("text", it);
        return trace::timeline_line(copy);
    }
    // Failures red, bounces and faults yellow, deliveries green, narration bold.
    static const char* color_of(const trace::Event& e) {
        const std::string ev = e.get_str("ev");
        if (e.kind == "note") return "\033[1m";
        if (e.kind == "fault" || e.kind == "host") return "\033[33m";
        if (e.kind == "ua" && ev == "error") return "\033[1;31m";
        if (e.kind == "spool") {
            if (ev == "bounced" || ev == "expired" || ev == "double-bounce") return "\033[1;31m";
            if (ev == "deferred") return "\033[33m";
            if (ev == "delivered" || ev == "sent") return "\033[32m";
            return "\033[36m";
        }
        if (e.kind == "mailbox") return "\033[1;32m";
        if (e.kind == "line") {
            const auto code = e.get_int("code");
            if (code && *code >= 400) return "\033[31m";
        }
        if (e.kind == "tcp" && (ev == "refused" || ev == "timeout" || ev == "reset")) return "\033[31m";
        if ((e.kind == "segment" || e.kind == "datagram") && ev == "lost") return "\033[31m";
        return nullptr;
    }
    bool quiet_, verbose_, color_, italian_;
};

bool use_color(bool no_color_flag) {
    if (no_color_flag) return false;
    const char* nc = std::getenv("NO_COLOR");  // https://no-color.org: any non-empty value disables color
    if (nc != nullptr && *nc != '\0') return false;
    return ::isatty(1) != 0;
}

// The PASS/FAIL lines of a run or replay: expectations, then conservation
// (with the violations by queue id and the ones declared on purpose).
// Returns the number of failed expectations.
int print_checks(const std::vector<scenario::ExpectationResult>& expectations,
                 const agents::ConservationReport& conservation) {
    int failed = 0;
    for (const auto& e : expectations) {
        std::cout << (e.passed ? "  PASS  " : "  FAIL  ") << e.expected << "\n";
        if (!e.passed) {
            ++failed;
            std::cout << "        " << e.spec->where << ": expected " << e.expected << "\n"
                      << "        what happened: " << e.happened << "\n";
            for (const auto& line : e.context) std::cout << "        " << line << "\n";
        }
    }
    std::cout << (conservation.ok() ? "  PASS  " : "  FAIL  ") << "conservation: " << conservation.summary() << "\n";
    for (const auto& v : conservation.violations) {
        std::cout << "        " << v.host << " [" << v.queue_id << "]: " << v.reason << "\n";
    }
    return failed;
}

}  // namespace

std::string default_scenario_dir() {
    if (const char* env = std::getenv("POSTINO_SCENARIOS")) return env;
    return std::string(POSTINO_SOURCE_ROOT) + "/scenarios";
}

int cmd_run(const RunArgs& a) {
    auto s = scenario::load_scenario_file(a.file);
    if (!s) {
        std::cerr << "postino: " << s.error().message() << "\n";
        return 2;
    }
    scenario::RunOptions opt;
    opt.seed = a.seed;
    const bool italian = a.lang == "it";
    if (!a.until.empty()) {
        auto u = parse_duration(a.until);
        if (!u) {
            std::cerr << "postino: --until: " << u.error().what << "\n";
            return 2;
        }
        opt.until = *u;
    }
    StorySink story(a.quiet, a.verbose, use_color(a.no_color), italian);
    opt.sinks.push_back(&story);
    ExportArgs exports = a.exports;
    exports.italian = exports.italian || italian;
    auto outputs = ExportOutputs::open(exports);
    if (!outputs) {
        std::cerr << "postino: " << outputs.error().message() << "\n";
        return 2;
    }
    trace::MemorySink recorded;  // the exporters need the whole trace
    if (exports.any()) opt.sinks.push_back(&recorded);
    std::ofstream file;
    std::unique_ptr<trace::JsonlWriter> writer;
    if (!a.trace.empty()) {
        file.open(a.trace, std::ios::binary | std::ios::trunc);
        if (!file) {
            std::cerr << "postino: cannot write trace file " << a.trace << "\n";
            return 2;
        }
        writer = std::make_unique<trace::JsonlWriter>(
            file, trace::Header{trace::kFormatVersion, opt.seed.value_or(s->seed), s->name,
                                std::string("postino ") + POSTINO_VERSION});
        opt.sinks.push_back(writer.get());
    }
    std::cout << "# " << s->name << (s->title.empty() ? "" : ": " + s->title) << "\n\n";
    const scenario::RunResult r = scenario::run_scenario(*s, opt);
    file.close();
    std::cout << "\n";
    const int failed = print_checks(r.expectations, r.conservation);
    if (r.hit_event_limit) std::cout << "  FAIL  the run hit the event limit (a loop?)\n";
    char secs[64];
    std::snprintf(secs, sizeof secs, "%s", format_timestamp(r.end).c_str());
    std::cout << "\nseed " << r.seed << " | " << r.events << " events | simulated time " << secs << " | fingerprint "
              << r.fingerprint << "\n";
    if (!a.trace.empty()) std::cout << "trace written to " << a.trace << "\n";
    if (auto st = (*outputs)->write(recorded.events, std::cout); !st) {
        std::cerr << "postino: " << st.error().message() << "\n";
        return 2;
    }
    if (!r.ok()) {
        std::cout << (failed + (r.conservation.ok() ? 0 : 1)) << " check(s) failed\n";
        return 1;
    }
    return 0;
}

int cmd_replay(const ReplayArgs& a) {
    auto file = trace::read_trace_file(a.file);
    if (!file) {
        std::cerr << "postino: " << file.error().message() << "\n";
        return 1;
    }
    // The scenario whose expectations and declared breaks the trace is
    // judged by; without --scenario, none (every broken invariant fails).
    scenario::Scenario judged;
    if (!a.scenario.empty()) {
        auto s = scenario::load_scenario_file(a.scenario);
        if (!s) {
            std::cerr << "postino: " << s.error().message() << "\n";
            return 2;
        }
        judged = std::move(*s);
    }
    auto outputs = ExportOutputs::open(a.exports);
    if (!outputs) {
        std::cerr << "postino: " << outputs.error().message() << "\n";
        return 2;
    }
    std::cout << "# replay of " << a.file << ": scenario \"" << file->header.scenario << "\", seed "
              << file->header.seed << "\n";
    if (!a.scenario.empty()) {
        std::cout << "# judged by the expectations of " << a.scenario;
        if (judged.name != file->header.scenario) {
            std::cout << " (scenario \"" << judged.name << "\", not the trace's \"" << file->header.scenario << "\")";
        }
        std::cout << "\n";
    }
    std::cout << "\n";
    StorySink story(a.quiet, a.verbose, use_color(a.no_color), a.exports.italian);
    scenario::BoundaryTracker boundaries;
    for (const auto& e : file->events) {
        story.on_event(e);
        boundaries.on_event(e);
    }
    // The same invariants a run checks live (scenario/runner.cpp), from the
    // recorded events alone.
    auto conservation = agents::check_conservation(file->events);
    std::vector<scenario::InvariantViolation> all;
    for (const auto& v : conservation.violations) all.push_back({scenario::kConservation, v});
    for (const auto& v : boundaries.violations()) all.push_back({scenario::kMessageBoundaries, v});
    auto declared = scenario::apply_declared_breaks(judged, all, conservation);
    auto expectations = scenario::check_expectations(judged, file->events);
    for (auto& d : declared) expectations.push_back(std::move(d));
    std::cout << "\n";
    const int failed = print_checks(expectations, conservation);
    std::cout << "\n" << file->events.size() << " events | fingerprint " << trace::hex64(trace::fingerprint_of(file->events))
              << "\n";
    if (auto st = (*outputs)->write(file->events, std::cout); !st) {
        std::cerr << "postino: " << st.error().message() << "\n";
        return 2;
    }
    if (failed > 0 || !conservation.ok()) {
        std::cout << (failed + (conservation.ok() ? 0 : 1)) << " check(s) failed\n";
        if (!conservation.ok() && a.scenario.empty()) {
            std::cout << "(a scenario that breaks an invariant on purpose declares it: replay with --scenario FILE)\n";
        }
        return 1;
    }
    return 0;
}

int cmd_export(const std::string& trace_path, const ExportArgs& exports) {
    if (!exports.any()) {
        std::cerr << "postino: export needs --pcap FILE and/or --mermaid FILE (see postino export --help)\n";
        return 2;
    }
    auto file = trace::read_trace_file(trace_path);
    if (!file) {
        std::cerr << "postino: " << file.error().message() << "\n";
        return 1;
    }
    auto outputs = ExportOutputs::open(exports);
    if (!outputs) {
        std::cerr << "postino: " << outputs.error().message() << "\n";
        return 2;
    }
    if (auto st = (*outputs)->write(file->events, std::cout); !st) {
        std::cerr << "postino: " << st.error().message() << "\n";
        return 2;
    }
    return 0;
}

int cmd_lint(const std::vector<std::string>& files) {
    int bad = 0;
    for (const auto& f : files) {
        auto s = scenario::load_scenario_file(f);
        if (!s) {
            std::cerr << s.error().message() << "\n";
            ++bad;
        } else {
            std::cout << f << ": ok (" << s->name << ")" << std::endl;
        }
    }
    return bad == 0 ? 0 : 1;
}

int cmd_list(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
        std::cerr << "postino: no scenario directory " << dir << " (set POSTINO_SCENARIOS or use --dir)\n";
        return 2;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        auto s = scenario::load_scenario_file(f.string());
        std::printf("%-28s %s\n", f.stem().string().c_str(), s ? s->title.c_str() : ("INVALID: " + s.error().message()).c_str());
    }
    return 0;
}

}  // namespace postino::app
