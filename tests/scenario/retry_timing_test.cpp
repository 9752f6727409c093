// retry_timing_test.cpp — the MTA retries at exactly the times its profile
// prescribes, measured from each failure, and gives up at the lifetime.
#include <catch2/catch.hpp>

#include "agents/retry_profile.hpp"
#include "scenario/loader.hpp"
#include "scenario/runner.hpp"

using namespace postino;
using namespace postino::scenario;

namespace {
std::vector<trace::Event> run_text(const std::string& yaml) {
    auto s = load_scenario_text(yaml, "inline.yaml");
    if (!s) FAIL(s.error().message());
    trace::MemorySink mem;
    RunOptions opt;
    opt.sinks.push_back(&mem);
    auto r = run_scenario(*s, opt);
    INFO(r.conservation.summary());
    CHECK(r.conservation.ok());
    return mem.events;
}

const char* kDown2h = R"(
name: down-2h
profile: postfix
hosts:
  - {name: pc.alice, role: user-agent, user: alice@a.example, submit-to: mx.a.example}
  - {name: mx.a.example, role: mta, domains: [a.example], mailboxes: [alice]}
  - {name: mx.b.example, role: mta, domains: [b.example], mailboxes: [bob]}
dns:
  b.example: {mx: ["10 mx.b.example"]}
actions:
  - {at: 0s, on: pc.alice, send: {to: bob@b.example, subject: x, body: y}}
faults:
  - {at: 0s, for: 2h, port-closed: mx.b.example, port: 25}
)";
}  // namespace

TEST_CASE("postfix profile: deferred attempts at the backoff times, then delivered, spool empty", "[mta][retry]") {
    auto ev = run_text(kDown2h);
    auto profile = *agents::builtin_profile("postfix");
    agents::RetryState state;
    Time deposit{};
    std::vector<Time> attempts, failures, promised;
    bool delivered = false;
    for (const auto& e : ev) {
        if (e.kind != "spool" || e.host != "mx.a.example") continue;
        const std::string what = e.get_str("ev");
        if (what == "enqueued") deposit = e.t;
        if (what == "attempt") attempts.push_back(e.t);
        if (what == "deferred") {
            failures.push_back(e.t);
            promised.push_back(Duration::from_ns(*e.get_int("next")));
        }
        if (what == "sent") delivered = true;
    }
    REQUIRE(failures.size() >= 5);
    REQUIRE(attempts.size() == failures.size() + 1);
    for (std::size_t i = 0; i < failures.size(); ++i) {
        // The port is closed: each attempt fails one round trip later (RST).
        CHECK(failures[i] - attempts[i] < seconds(1));
        const auto expect_next = agents::next_attempt(profile, state, deposit, failures[i]);
        REQUIRE(expect_next.has_value());
        CHECK(promised[i] == *expect_next);
        CHECK(attempts[i + 1] == promised[i]);
    }
    CHECK(promised[0] - failures[0] == seconds(300));
    CHECK(promised[1] - failures[1] == seconds(600));
    CHECK(promised[4] - failures[4] == seconds(4000));
    CHECK(attempts.back() >= hours(2));
    CHECK(delivered);
    // The spool is empty at the end: every enqueued entry was removed.
    std::size_t enq = 0, removed = 0;
    for (const auto& e : ev) {
        if (e.kind == "spool" && e.get_str("ev") == "enqueued") ++enq;
        if (e.kind == "spool" && e.get_str("ev") == "removed") ++removed;
    }
    CHECK(enq == removed);
}
