// scenario_source_test.cpp — `postino-viz SCENARIO.yaml` without a window:
// the scenario is run in process into a trace the model reads cleanly, equal
// to what `postino run --trace` writes (same events, same fingerprint), with
// both languages in the notes; a bad scenario gives the loader's
// file:line:col error.
#include <catch2/catch.hpp>

#include "core/trace_reader.hpp"
#include "model/session.hpp"
#include "model/text_util.hpp"
#include "source/scenario_source.hpp"

using namespace postino;
using namespace postino::viz;

namespace {
std::string scenario(const std::string& name) { return std::string(POSTINO_SOURCE_DIR) + "/scenarios/" + name; }
}  // namespace

TEST_CASE("scenarios run in process into a trace the model reads", "[viz][scenario]") {
    for (const char* name : {"classic.yaml", "bounce-after-lifetime.yaml", "alias-one-to-many.yaml"}) {
        INFO(name);
        auto run = run_scenario_file(scenario(name));
        REQUIRE(run.ok());
        CHECK(run->ok);
        CHECK(run->failures.empty());
        CHECK(run->passed == run->expectations);
        const TraceModel m = TraceModel::from_text(run->trace, name);
        CHECK_FALSE(m.error().has_value());
        CHECK(m.size() == run->events);
        CHECK(m.header().scenario == run->name);
        CHECK(m.header().seed == run->seed);
        // The same events as the trace reader sees, and the runner's fingerprint.
        std::istringstream in(run->trace);
        auto file = trace::read_trace(in, name);
        REQUIRE(file.ok());
        CHECK(trace::hex64(trace::fingerprint_of(file->events)) == run->fingerprint);
    }
}

TEST_CASE("scenario notes carry English and Italian, the narration picks", "[viz][scenario]") {
    auto run = run_scenario_file(scenario("classic.yaml"));
    REQUIRE(run.ok());
    const TraceModel m = TraceModel::from_text(run->trace, "classic");
    REQUIRE(m.notes().size() >= 3);
    std::size_t both = 0;
    for (std::uint32_t i : m.notes()) {
        const trace::Event* e = m.detail(i);
        REQUIRE(e != nullptr);
        if (e->host.empty()) {  // the scenario's own notes (agents' notes are English only)
            CHECK_FALSE(e->get_str("text").empty());
            CHECK_FALSE(e->get_str("it").empty());
            bool tr = false;
            CHECK(note_text(*e, "it", &tr) == e->get_str("it"));
            CHECK(tr);
            CHECK(note_text(*e, "en", &tr) == e->get_str("text"));
            CHECK_FALSE(tr);
            ++both;
        }
    }
    CHECK(both == 3);
    const trace::Event* first = m.detail(m.notes()[0]);
    CHECK(first->get_str("text") == "mx.b.example, Bob's mail server, is down for three minutes.");
    CHECK(first->get_str("it") == "mx.b.example, il server di posta di Bob, è spento per tre minuti.");
}

TEST_CASE("a seed given on the command line replaces the scenario's", "[viz][scenario]") {
    auto a = run_scenario_file(scenario("classic.yaml"));
    auto b = run_scenario_file(scenario("classic.yaml"), 7);
    REQUIRE(a.ok());
    REQUIRE(b.ok());
    CHECK(a->seed == 42);
    CHECK(b->seed == 7);
    CHECK(TraceModel::from_text(b->trace, "b").header().seed == 7);
    // Deterministic: the same seed gives the same trace.
    auto c = run_scenario_file(scenario("classic.yaml"), 7);
    REQUIRE(c.ok());
    CHECK(c->trace == b->trace);
}

TEST_CASE("a bad scenario gives the loader's file:line:col error", "[viz][scenario]") {
    const std::string bad = std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures/bad/scenario.yaml";
    auto r = run_scenario_file(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message() == bad + ":6:40: unknown key 'usr' in host; did you mean 'user'?");
    auto missing = run_scenario_file("/no/such/scenario.yaml");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().message().find("/no/such/scenario.yaml") != std::string::npos);
}

TEST_CASE("a host-down fault and the crash it causes are one band, one marker", "[viz][scenario]") {
    auto run = run_scenario_file(scenario("classic.yaml"));
    REQUIRE(run.ok());
    Session s(TraceModel::from_text(run->trace, "classic"));
    const auto mxb = s.model().host_id("mx.b.example");
    REQUIRE(mxb.has_value());
    std::size_t restated = 0;
    for (std::uint32_t i = 0; i < s.size(); ++i) {
        if (s.model().ev(i).kind == Kind::host) {
            CHECK((s.model().ev(i).flags & flag::restates) != 0);
            ++restated;
        }
    }
    CHECK(restated == 2);  // down at 0 s, up at 3 min
    s.seek_time(60'000'000'000);
    const HostState* hs = s.state().host(*mxb);
    REQUIRE(hs != nullptr);
    CHECK(hs->down());
    CHECK_FALSE(hs->crashed);  // down by the fault, not a separate crash
    // Lanes read as the story: the sender, its server, DNS, the destination.
    std::vector<std::string> lanes;
    for (std::uint32_t h : s.model().lane_order()) lanes.push_back(s.model().host_name(h));
    CHECK(lanes == std::vector<std::string>{"pc.alice", "mx.a.example", "dns.sim", "mx.b.example"});
}
