// layout_test.cpp — the sequence diagram's geometry: lanes, slanted arrows,
// folding when zoomed out and unfolding when zoomed in, the TCP toggle,
// covered segments, lecture mode (no future), bands, breaks, hit testing,
// and a dense trace that is binned instead of overdrawn.
#include <catch2/catch.hpp>

#include "model/seq_layout.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

SeqView zoomed(std::int64_t top, double ns_per_px) {
    SeqView v;
    v.top_ct = top;
    v.ns_per_px = ns_per_px;
    v.width = 1200;
    v.height = 800;
    return v;
}

std::size_t total_members(const SeqLayout& l) {
    std::size_t n = l.arrows.size();
    for (const auto& f : l.folds) n += f.count;
    return n;
}

}  // namespace

TEST_CASE("lanes are the hosts in order of appearance, spread over the width", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    const auto l = layout_sequence(s, zoomed(0, 1e5));
    REQUIRE(l.lane_hosts.size() == 3);
    CHECK(s.model().host_name(l.lane_hosts[0]) == "pc.alice.example");
    CHECK(s.model().host_name(l.lane_hosts[1]) == "ns.example");
    CHECK(s.model().host_name(l.lane_hosts[2]) == "server.example");
    CHECK(l.lane_x[0] > 110);
    CHECK(l.lane_x[0] < l.lane_x[1]);
    CHECK(l.lane_x[2] < 1200);
    s.filter().set_host(l.lane_hosts[1], false);
    CHECK(layout_sequence(s, zoomed(0, 1e5)).lane_hosts.size() == 2);
}

TEST_CASE("arrows slant with the latency: y1 - y0 is the transit time", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.to_end();
    const double nspp = 20'000;  // 20 us per pixel: the handshake is spread out
    const auto& m = s.model();
    // The SYN: sent at event 9, received at event 10.
    const Arrow& syn = m.arrow(m.ev(9).arrow);
    const auto l = layout_sequence(s, zoomed(syn.t0 - 1'000'000, nspp));
    const DrawArrow* found = nullptr;
    for (const auto& a : l.arrows) {
        if (a.arrow == m.ev(9).arrow) found = &a;
    }
    REQUIRE(found != nullptr);
    CHECK(found->y1 - found->y0 == Approx(static_cast<double>(syn.t1 - syn.t0) / nspp).epsilon(1e-3));
    CHECK(found->lane0 == 0);
    CHECK(found->lane1 == 2);
}

TEST_CASE("zoomed out, close arrows fold, zoomed in, they unfold, nothing is lost", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.to_end();
    const auto out = layout_sequence(s, zoomed(0, 5e6));   // 5 ms per pixel: the whole demo in 800 px
    const auto in = layout_sequence(s, zoomed(20'000'000, 5e4));  // 50 us per pixel around the handshake
    CHECK_FALSE(out.folds.empty());
    CHECK(out.arrows.size() < in.arrows.size() + 40);
    // Every arrow in view is drawn alone or counted in a fold, exactly once.
    const auto covered_hidden = [&](const SeqLayout&) {
        std::size_t hidden = 0;
        for (const auto& a : s.model().arrows()) {
            if (a.kind == Kind::segment && a.covered_by != kNone && !(a.flags & flag::lost) &&
                s.model().arrow(a.covered_by).t1 == a.t1)
                ++hidden;
        }
        return hidden;
    };
    CHECK(total_members(out) + covered_hidden(out) == s.model().arrows().size());
    // Folded labels never overlap: within a lane pair, consecutive items are a row apart.
    for (const auto& f : out.folds) CHECK(f.count >= 2);
    // Zoomed in, the SYN and the SYN,ACK are separate arrows.
    std::size_t handshake_arrows = 0;
    for (const auto& a : in.arrows) {
        const auto lab = s.model().label(s.model().arrow(a.arrow).from_ev);
        if (lab == "SYN seq=0" || lab == "SYN,ACK seq=0 ack=1") ++handshake_arrows;
    }
    CHECK(handshake_arrows == 2);
}

TEST_CASE("folding TCP hides segments, covered segments hide behind their line", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.to_end();
    const auto v = zoomed(0, 1e4);
    auto count_kind = [&](const SeqLayout& l, Kind k) {
        std::size_t n = 0;
        for (const auto& a : l.arrows) n += s.model().arrow(a.arrow).kind == k;
        return n;
    };
    SeqView wide = v;
    wide.ns_per_px = 10;  // 10 ns per pixel: nothing folds near the start
    wide.top_ct = 60'000'000;
    const auto shown = layout_sequence(s, wide);
    CHECK(count_kind(shown, Kind::segment) > 0);
    for (const auto& a : shown.arrows) {
        const Arrow& ar = s.model().arrow(a.arrow);
        if (ar.kind == Kind::segment && ar.covered_by != kNone && !(ar.flags & flag::lost)) {
            CHECK(s.model().arrow(ar.covered_by).t1 != ar.t1);
        }
    }
    s.filter().fold_tcp = true;
    const auto folded = layout_sequence(s, wide);
    CHECK(count_kind(folded, Kind::segment) == 0);
    CHECK(count_kind(folded, Kind::line) == count_kind(shown, Kind::line));
}

TEST_CASE("lecture mode shows nothing after the cursor and cuts arrows in flight", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.seek(10);  // the SYN was sent (event 9) and is being received
    s.seek_time(s.model().ev(9).t + 5'000'000);  // 5 ms after the send, before it arrives
    SeqView v = zoomed(0, 1e5);
    v.hide_future = true;
    const auto l = layout_sequence(s, v);
    for (const auto& a : l.arrows) CHECK(s.model().arrow(a.arrow).from_ev < s.index());
    for (const auto& mk : l.markers) CHECK(mk.ev < s.index());
    bool cut = false;
    for (const auto& a : l.arrows) {
        if (s.model().arrow(a.arrow).from_ev == 9) {
            cut = true;
            CHECK(a.y1 == Approx(l.cursor_y));
            CHECK(a.y_cut == Approx(l.cursor_y));
        }
    }
    CHECK(cut);
    v.hide_future = false;
    const auto all = layout_sequence(s, v);
    bool future = false;
    for (const auto& a : all.arrows) future = future || a.future;
    for (const auto& f : all.folds) future = future || f.future;
    CHECK(future);
}

TEST_CASE("bands for a link that is down, breaks for compressed gaps", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.to_end();
    const auto l = layout_sequence(s, zoomed(0, 5e6));
    REQUIRE(l.bands.size() == 1);
    CHECK(l.bands[0].what == DrawBand::What::link_down);
    CHECK(s.model().host_name(l.lane_hosts[static_cast<std::size_t>(l.bands[0].lane)]) == "server.example");
    CHECK(l.bands[0].y1 > l.bands[0].y0);
    CHECK_FALSE(l.breaks.empty());  // the 1.5 s of retransmission wait is compressed
    for (const auto& b : l.breaks) CHECK(b.gap_ns > Session::kDefaultMaxGap);

    Session bounce(vizt::load("mail-bounce.jsonl"));
    bounce.to_end();
    const auto lb = layout_sequence(bounce, zoomed(0, 1e7));
    REQUIRE_FALSE(lb.bands.empty());
    CHECK(lb.bands[0].what == DrawBand::What::host_down);
}

TEST_CASE("hit testing finds arrows and markers", "[viz][layout]") {
    Session s(vizt::load("demo.jsonl"));
    s.to_end();
    const auto l = layout_sequence(s, zoomed(60'000'000, 2e4));
    REQUIRE_FALSE(l.arrows.empty());
    const DrawArrow& a = l.arrows.front();
    const float x = (l.lane_x[static_cast<std::size_t>(a.lane0)] + l.lane_x[static_cast<std::size_t>(a.lane1)]) / 2;
    const float y = (a.y0 + a.y1) / 2;
    CHECK(hit_test(l, s, x, y) == s.model().arrow(a.arrow).from_ev);
    CHECK(hit_test(l, s, 5, 5) == kNone);
    REQUIRE_FALSE(l.markers.empty());
    const DrawMarker& mk = l.markers.front();
    const float mx = mk.lane < 0 ? 40 : l.lane_x[static_cast<std::size_t>(mk.lane)];
    CHECK(hit_test(l, s, mx, mk.y) == mk.ev);
}

TEST_CASE("a dense trace is binned: bounded output however many arrows", "[viz][layout]") {
    vizt::Builder b;
    for (int i = 0; i < 30000; ++i) {
        b.at(i * 1000).add(vizt::seg("send", "a", "b", 1, i, "ACK", 1, 1, 0));
        b.at(i * 1000 + 500).add(vizt::seg("recv", "b", "a", 1, i, "ACK", 1, 1, 0));
    }
    Session s(b.model());
    s.to_end();
    SeqView v = zoomed(0, 30'000'000.0 / 800);
    const auto l = layout_sequence(s, v);
    CHECK(l.dense);
    CHECK(l.folds.size() + l.arrows.size() <= static_cast<std::size_t>(v.height / v.row_px) + 2);
    CHECK(total_members(l) == 30000);
    // view_around frames a handful of events so that they unfold.
    const SeqView near = view_around(s, 100, 104, v);
    const auto ln = layout_sequence(s, near);
    CHECK_FALSE(ln.dense);
    CHECK(ln.arrows.size() >= 3);
}

TEST_CASE("markers come from the index of non-transfer events, the same as walking every event", "[viz][layout]") {
    for (const char* name : {"demo.jsonl", "mail-bounce.jsonl", "mail-mailbox.jsonl"}) {
        Session s(vizt::load(name));
        const TraceModel& m = s.model();
        // The index holds exactly the events that are not transfers, in order.
        std::vector<std::uint32_t> expected;
        for (std::uint32_t i = 0; i < m.size(); ++i) {
            const Kind k = m.ev(i).kind;
            if (k != Kind::segment && k != Kind::datagram && k != Kind::line) expected.push_back(i);
        }
        CHECK(m.non_transfers() == expected);
        REQUIRE_FALSE(expected.empty());
        // Every non-transfer event in view is a marker (or folded into one), at
        // several zooms and positions; nothing outside the view is.
        s.to_end();
        const std::int64_t end = s.axis().end_ct();
        for (double frac : {0.0, 0.3, 0.7}) {
            for (double span : {1.0, 0.1, 0.01}) {
                SeqView v = zoomed(static_cast<std::int64_t>(frac * static_cast<double>(end)), span * static_cast<double>(end) / 800 + 1);
                const auto l = layout_sequence(s, v);
                std::uint32_t in_view = 0;
                for (std::uint32_t i : expected) {
                    const std::int64_t c = s.axis().ct_of(i);
                    if (c < v.top_ct || c > v.bottom_ct() || (m.ev(i).flags & flag::restates)) continue;
                    const Ev& e = m.ev(i);
                    const std::uint32_t host = e.kind == Kind::fault ? e.aux : e.host;
                    if (host != 0 && l.lane_of(host) < 0) continue;
                    ++in_view;
                }
                std::uint32_t drawn = 0;
                for (const auto& mk : l.markers) {
                    drawn += mk.count;
                    CHECK(s.axis().ct_of(mk.ev) >= v.top_ct);
                    CHECK(s.axis().ct_of(mk.last_ev) <= v.bottom_ct());
                }
                INFO(name << " at " << frac << " span " << span);
                CHECK(drawn == in_view);
            }
        }
    }
}

TEST_CASE("a cached layout is the layout made afresh, wherever the cursor is", "[viz][layout]") {
    // A dense trace (binned) and the demo (sorted, labels placed), several
    // views each; the cursor moves across the whole trace and the cache only
    // lays out again when the view changes.
    vizt::Builder b;
    for (int i = 0; i < 30000; ++i) {
        b.at(i * 1000).add(vizt::seg("send", "a", "b", 1, i, "ACK", 1, 1, 0));
        b.at(i * 1000 + 500).add(vizt::seg("recv", "b", "a", 1, i, "ACK", 1, 1, 0));
    }
    std::vector<Session> sessions;
    sessions.emplace_back(b.model());
    sessions.emplace_back(vizt::load("demo.jsonl"));
    sessions.emplace_back(vizt::load("mail-bounce.jsonl"));
    for (Session& s : sessions) {
        const std::int64_t end = s.axis().end_ct();
        SeqLayoutCache cache;
        std::size_t views = 0;
        bool saw_dense = false, saw_future = false, saw_cut = false;
        for (double span : {1.0, 0.2, 0.02}) {
            const SeqView v = zoomed(static_cast<std::int64_t>(0.1 * static_cast<double>(end)), span * static_cast<double>(end) / 800 + 1);
            ++views;
            for (std::uint32_t step = 0; step <= 12; ++step) {
                s.seek(static_cast<std::uint32_t>(static_cast<std::uint64_t>(s.size()) * step / 12));
                const SeqLayout& cached = cache.get(s, v);
                const SeqLayout fresh = layout_sequence(s, v);
                INFO("events " << s.size() << " span " << span << " cursor " << s.index());
                CHECK(cached == fresh);
                saw_dense = saw_dense || fresh.dense;
                for (const auto& a : fresh.arrows) {
                    saw_future = saw_future || a.future;
                    saw_cut = saw_cut || a.y_cut >= 0;
                }
            }
        }
        CHECK(cache.rebuilds() == views);
        CHECK(saw_future);
        if (s.size() == 60000) CHECK(saw_dense);
        if (s.size() != 60000) CHECK(saw_cut);
        // Selection, filter and lecture mode lay out again.
        const SeqView v = zoomed(0, static_cast<double>(end) / 800 + 1);
        s.seek(s.size() / 2);
        (void)cache.get(s, v);
        const std::size_t before = cache.rebuilds();
        s.selected = 3;
        CHECK(cache.get(s, v) == layout_sequence(s, v));
        s.filter().cats[static_cast<std::size_t>(Cat::tcp)] = false;
        CHECK(cache.get(s, v) == layout_sequence(s, v));
        CHECK(cache.rebuilds() == before + 2);
        SeqView lecture = v;
        lecture.hide_future = true;
        for (std::uint32_t k : {s.size() / 4, s.size() / 2}) {
            s.seek(k);
            CHECK(cache.get(s, lecture) == layout_sequence(s, lecture));
        }
        CHECK(cache.rebuilds() == before + 4);
    }
}
