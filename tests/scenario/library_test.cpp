// library_test.cpp — every scenario in scenarios/ checks itself: its
// expectations hold, no mail is lost, and a second run with the same seed
// gives the same fingerprint (DESIGN.md §2.2, §2.4) — the second with the
// trace kept on the simulation's thread, the first with the default worker
// thread (trace::Recorder::use_worker_thread).
#include <catch2/catch.hpp>

#include <filesystem>

#include "core/trace_json.hpp"
#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::scenario;

TEST_CASE("every scenario in the library passes its own expectations, twice identically, with and without the trace thread", "[scenario][library]") {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(POSTINO_SOURCE_DIR) / "scenarios")) {
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    REQUIRE_FALSE(files.empty());
    for (const auto& f : files) {
        INFO(f.filename().string());
        auto s = load_scenario_file(f.string());
        if (!s) FAIL(s.error().message());
        CHECK_FALSE(s->title.empty());
        const RunResult a = run_scenario(*s);
        for (const auto& e : a.expectations) {
            INFO(e.expected << " / happened: " << e.happened);
            CHECK(e.passed);
        }
        INFO(a.conservation.summary());
        CHECK(a.conservation.ok());
        CHECK_FALSE(a.hit_event_limit);
        RunOptions one_thread;
        one_thread.trace_thread = false;
        const RunResult b = run_scenario(*s, one_thread);
        CHECK(a.fingerprint == b.fingerprint);
        CHECK(a.events == b.events);
        CHECK(a.conservation.summary() == b.conservation.summary());
        REQUIRE(a.expectations.size() == b.expectations.size());
        for (std::size_t i = 0; i < a.expectations.size(); ++i) {
            CHECK(a.expectations[i].passed == b.expectations[i].passed);
            CHECK(a.expectations[i].happened == b.expectations[i].happened);
        }
    }
}
