// sweep_test.cpp — the sweep finds a planted bug, names the invariant, the
// replay reproduces the failing run byte for byte, and minimization keeps
// only the faults that matter.
#include <catch2/catch.hpp>

#include "scenario/loader.hpp"
#include "scenario/sweep.hpp"

using namespace postino;
using namespace postino::scenario;

TEST_CASE("the sweep finds the planted delete-before-250 bug and the replay reproduces it", "[sweep]") {
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/tests/sweep/planted-bug.yaml");
    if (!s) FAIL(s.error().message());
    std::optional<SeedVerdict> failure;
    for (std::uint64_t seed = 1; seed <= 100 && !failure; ++seed) {
        SeedVerdict v = check_seed(*s, seed);
        if (!v.ok) failure = v;
    }
    REQUIRE(failure.has_value());
    CHECK(failure->invariant == "conservation");
    CHECK(failure->detail.find("never accepted the message") != std::string::npos);
    // The replay command runs the same scenario with the same seed: same trace.
    RunOptions opt;
    opt.seed = failure->seed;
    const RunResult replay = run_scenario(*s, opt);
    CHECK(replay.fingerprint == failure->fingerprint);
    CHECK_FALSE(replay.conservation.ok());
    // Minimized: fewer (or as many) faults, still the same failure.
    const Scenario small = minimize(*s, failure->seed, *failure);
    CHECK(small.faults.size() <= failure->faults);
    CHECK_FALSE(small.faults.empty());
    const SeedVerdict again = check_run(small, failure->seed, false);
    CHECK_FALSE(again.ok);
    CHECK(again.invariant == "conservation");
}

TEST_CASE("without the planted bug the same seeds keep every invariant", "[sweep]") {
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/tests/sweep/planted-bug.yaml");
    REQUIRE(s.ok());
    for (auto& h : s->hosts) h.test_bug.clear();
    for (std::uint64_t seed = 1; seed <= 60; ++seed) {
        const SeedVerdict v = check_seed(*s, seed);
        INFO("seed " << seed << ": " << v.invariant << " " << v.detail);
        CHECK(v.ok);
    }
}

TEST_CASE("fault draws are a pure function of the seed", "[sweep]") {
    auto s = load_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/scenarios/sweep-relay.yaml");
    REQUIRE(s.ok());
    std::size_t total = 0;
    for (std::uint64_t seed = 1; seed <= 50; ++seed) {
        const auto a = draw_faults(*s, seed);
        const auto b = draw_faults(*s, seed);
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            CHECK(a[i].kind == b[i].kind);
            CHECK(a[i].target == b[i].target);
            CHECK(a[i].at == b[i].at);
            CHECK(a[i].length == b[i].length);
            CHECK(a[i].at < s->sweep->window);
            CHECK(a[i].length <= s->sweep->max_length);
        }
        total += a.size();
    }
    CHECK(total > 50);  // about two faults a seed on average
}
