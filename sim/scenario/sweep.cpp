// sweep.cpp — drawing faults from a fault space, invariants, minimization.
#include "scenario/sweep.hpp"

#include <algorithm>

#include "core/rng.hpp"
#include "scenario/sweep_checks.hpp"

namespace postino::scenario {
namespace {

template <typename T>
const T& pick(Rng& rng, const std::vector<T>& v) {
    return v[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(v.size()) - 1))];
}

}  // namespace

std::vector<FaultSpec> draw_faults(const Scenario& s, std::uint64_t seed) {
    std::vector<FaultSpec> out;
    if (!s.sweep) return out;
    const SweepSpec& w = *s.sweep;
    std::vector<std::string> hosts = w.hosts;
    if (hosts.empty()) {
        for (const auto& h : s.hosts) {
            if (h.role == Role::Mta) hosts.push_back(h.name);
        }
    }
    std::vector<std::string> names = w.names;
    if (names.empty()) {
        for (const auto& [name, d] : s.dns) names.push_back(name);
    }
    Rng rng = Rng::stream(seed, "sweep");
    const auto n = rng.uniform_int(0, w.max_faults);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::string& kind = pick(rng, w.kinds);
        FaultSpec f;
        f.at = nanoseconds(rng.uniform_int(0, w.window.ns() - 1));
        f.length = nanoseconds(rng.uniform_int(seconds(1).ns(), w.max_length.ns()));
        f.where = "sweep seed " + std::to_string(seed) + " fault " + std::to_string(i + 1);
        const bool dns = kind.rfind("dns-", 0) == 0;
        if (dns && names.empty()) continue;
        if (!dns && hosts.empty()) continue;
        f.target = dns ? pick(rng, names) : pick(rng, hosts);
        if (kind == "link-loss") {
            f.kind = "link-change";
            f.link.loss = rng.uniform_real(0.05, 0.5);
        } else if (kind == "smtp-451") {
            f.kind = "smtp-reply";
            f.command = pick(rng, std::vector<std::string>{"MAIL", "RCPT", "DATA"});
            f.code = 451;
            f.enhanced = "4.3.0";
            f.text = "Temporary failure (sweep)";
        } else if (kind == "drop-after-data") {
            f.kind = "drop-connection";
            f.times = static_cast<int>(rng.uniform_int(1, 3));
        } else {
            f.kind = kind;
        }
        out.push_back(f);
    }
    return out;
}

Scenario with_sweep_faults(const Scenario& s, std::uint64_t seed) {
    Scenario plain = s;
    plain.sweep.reset();
    plain.seed = seed;
    for (auto& f : draw_faults(s, seed)) plain.faults.push_back(std::move(f));
    return plain;
}

SeedVerdict check_run(const Scenario& plain, std::uint64_t seed, bool check_expectations, std::uint64_t max_events) {
    SeedVerdict v;
    v.seed = seed;
    v.faults = plain.faults.size();
    ProtocolViolationCheck violations;
    RetransmissionCheck retransmissions;
    RunOptions opt;
    opt.seed = seed;
    opt.sinks.push_back(&violations);
    opt.sinks.push_back(&retransmissions);
    opt.max_events = max_events;
    // A seed is a short run, and a sweep's parallelism is across seeds
    // (--jobs): a trace thread per seed would cost more than it saves
    // (docs/BENCHMARKS.md, "Sweeps").
    opt.trace_thread = false;
    Scenario run = plain;
    // Declared breaks stay: without them a scenario that breaks an invariant on purpose would fail every seed.
    if (!check_expectations) std::erase_if(run.expects, [](const ExpectSpec& e) { return e.kind != "breaks"; });
    const RunResult r = run_scenario(run, opt);
    v.fingerprint = r.fingerprint;
    v.events = r.events;
    auto fail = [&](const char* inv, std::string detail) {
        if (!v.ok) return;
        v.ok = false;
        v.invariant = inv;
        v.detail = std::move(detail);
    };
    if (r.hit_event_limit) fail("event-limit", "the run did not end within " + std::to_string(max_events) + " events");
    if (!r.conservation.ok()) {
        const auto& x = r.conservation.violations.front();
        fail("conservation", x.host + " [" + x.queue_id + "]: " + x.reason);
    }
    if (r.conservation.still_queued > 0 && !r.hit_event_limit) {
        fail("stuck", std::to_string(r.conservation.still_queued) + " recipient(s) still in a spool after the run ended");
    }
    if (violations.count() > 0) fail("protocol-violation", violations.first());
    v.fault_closes = violations.fault_closes();
    v.fault_close_first = violations.fault_close_first();
    // Duplicate deliveries are reported, not failures: after a lost 250 the
    // client must send again (RFC 1047); an address reached through two
    // envelope recipients (directly and through an alias or list) gets two
    // copies (RFC 5321 §3.9: expansion does not remove duplicates).
    // The extra copies of a message are put down to its retransmissions first
    // (at most as many as there were), the rest to fan-out.
    auto again = retransmissions.retransmitted();
    for (const auto& d : r.conservation.duplicates) {
        int extra = d.copies - 1;
        auto it = again.find(d.message_id);
        if (it != again.end() && it->second.extra > 0) {
            const int lost = std::min(extra, it->second.extra);
            v.dup_lost_250 += lost;
            extra -= lost;
            if (v.dup_first.empty()) {
                v.dup_first = d.message_id + " stored " + std::to_string(d.copies) + " times for " + d.address + ": " +
                              it->second.what;
            }
        }
        v.dup_fanout += extra;
    }
    for (const auto& e : r.expectations) {
        if (!e.passed) fail("expectation", e.expected + "; happened: " + e.happened);
    }
    return v;
}

SeedVerdict check_seed(const Scenario& s, std::uint64_t seed, std::uint64_t max_events) {
    const bool expectations = s.sweep && s.sweep->check_expectations;
    return check_run(with_sweep_faults(s, seed), seed, expectations, max_events);
}

Scenario minimize(const Scenario& s, std::uint64_t seed, const SeedVerdict& failure) {
    Scenario best = with_sweep_faults(s, seed);
    const bool expectations = s.sweep && s.sweep->check_expectations;
    bool progress = true;
    while (progress && !best.faults.empty()) {
        progress = false;
        for (std::size_t i = 0; i < best.faults.size(); ++i) {
            Scenario candidate = best;
            candidate.faults.erase(candidate.faults.begin() + static_cast<std::ptrdiff_t>(i));
            const SeedVerdict v = check_run(candidate, seed, expectations);
            if (!v.ok && v.invariant == failure.invariant) {
                best = std::move(candidate);
                progress = true;
                break;
            }
        }
    }
    return best;
}

}  // namespace postino::scenario
