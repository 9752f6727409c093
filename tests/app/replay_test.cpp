// replay_test.cpp — `postino replay TRACE [--scenario FILE]`: a recorded
// trace is judged by the same invariants as the live run (conservation,
// message boundaries) and, with --scenario, by the scenario's expectations
// and the breaks it declares on purpose (DESIGN.md §2.5).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include "app/scenario_commands.hpp"

using namespace postino;

namespace {
struct Output {
    int status = 0;
    std::string text;
};

// Runs f with std::cout captured.
template <class F>
Output captured(F f) {
    std::ostringstream out;
    auto* old = std::cout.rdbuf(out.rdbuf());
    Output o;
    o.status = f();
    std::cout.rdbuf(old);
    o.text = out.str();
    return o;
}

std::string scenario_path(const std::string& name) {
    return std::string(POSTINO_SOURCE_ROOT) + "/scenarios/" + name + ".yaml";
}

// Records the trace of a scenario's run into a file of the test case's own
// (CTest runs the cases in parallel); returns the trace file.
std::string record(const std::string& name, const std::string& test) {
    const auto dir = std::filesystem::temp_directory_path() / ("postino-replay-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto trace = (dir / (test + "-" + name + ".jsonl")).string();
    app::RunArgs r;
    r.file = scenario_path(name);
    r.trace = trace;
    r.quiet = true;
    r.no_color = true;
    const auto run = captured([&] { return app::cmd_run(r); });
    REQUIRE(run.status == 0);
    return trace;
}

Output replay(const std::string& trace, const std::string& scenario = {}) {
    app::ReplayArgs a;
    a.file = trace;
    a.scenario = scenario;
    a.quiet = true;
    a.no_color = true;
    return captured([&] { return app::cmd_replay(a); });
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }
}  // namespace

TEST_CASE("replay of a run that keeps every invariant passes, with and without its scenario", "[replay]") {
    const auto trace = record("classic", "keeps");
    auto plain = replay(trace);
    CHECK(plain.status == 0);
    CHECK(has(plain.text, "PASS  conservation:"));
    auto judged = replay(trace, scenario_path("classic"));
    CHECK(judged.status == 0);
    CHECK(has(judged.text, "# judged by the expectations of"));
    CHECK_FALSE(has(judged.text, "FAIL"));
    CHECK(has(judged.text, "PASS  a message delivered to bob@b.example"));  // classic.yaml's own, from the trace alone
}

TEST_CASE("replay reports a smuggled message unless the scenario declares the break", "[replay]") {
    const auto trace = record("smtp-smuggling-lenient", "smuggled");
    auto plain = replay(trace);
    CHECK(plain.status == 1);
    CHECK(has(plain.text, "FAIL  conservation:"));
    CHECK(has(plain.text, "never sent as one"));
    CHECK(has(plain.text, "replay with --scenario FILE"));
    auto judged = replay(trace, scenario_path("smtp-smuggling-lenient"));
    CHECK(judged.status == 0);
    CHECK(has(judged.text, "PASS  the invariant message-boundaries is broken on purpose"));
    CHECK(has(judged.text, "BROKEN ON PURPOSE"));
}

TEST_CASE("replay judged by another scenario's expectations fails and names them", "[replay]") {
    const auto trace = record("classic", "other");
    auto other = replay(trace, scenario_path("smtp-smuggling-lenient"));
    CHECK(other.status == 1);
    CHECK(has(other.text, "not the trace's \"classic\""));
    CHECK(has(other.text, "FAIL  the trace contains \"MAIL FROM:<ceo@b.example>\""));
    CHECK(has(other.text, "FAIL  the invariant message-boundaries is broken on purpose"));
}

TEST_CASE("replay of a broken scenario file is an error naming it", "[replay]") {
    const auto trace = record("classic", "broken");
    const auto bad = std::filesystem::path(trace).parent_path() / "bad.yaml";
    {
        std::ofstream f(bad);
        f << "name: bad\nhosts: [\n";
    }
    std::ostringstream err;
    auto* old = std::cerr.rdbuf(err.rdbuf());
    auto o = replay(trace, bad.string());
    std::cerr.rdbuf(old);
    CHECK(o.status == 2);
    CHECK(has(err.str(), "bad.yaml"));
}
