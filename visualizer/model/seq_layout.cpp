// seq_layout.cpp — lanes, arrows, folds, markers, bands and breaks of the
// sequence diagram for one view.
#include "model/seq_layout.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <span>
#include <unordered_map>

namespace postino::viz {
namespace {

constexpr std::size_t kDenseThreshold = 20000;  // arrows in view above which we bin instead of sort
constexpr float kFoldReach = 3;  // a fold box covers its arrows' starts and at most this many rows more

struct Cand {
    std::uint64_t key;  // lane pair
    float mid;
    DrawArrow a;
};

struct Cluster {
    DrawFold f;
    float last_mid = 0;
    std::uint32_t first_arrow = 0;
    DrawArrow single;
};

void add_to(Cluster& c, const Cand& x, const Session& s, float row_px) {
    const Arrow& ar = s.model().arrow(x.a.arrow);
    if (c.f.count == 0) {
        c.f.lane0 = std::min(x.a.lane0, x.a.lane1);
        c.f.lane1 = std::max(x.a.lane0, x.a.lane1);
        c.f.y0 = std::min(x.a.y0, x.a.y1);
        c.f.y1 = std::max(x.a.y0, std::min(x.a.y1, x.a.y0 + kFoldReach * row_px));
        c.f.first_ev = ar.from_ev;
        c.f.last_ev = ar.from_ev;
        c.f.future = x.a.future;
        c.single = x.a;
    } else {
        c.f.y0 = std::min({c.f.y0, x.a.y0, x.a.y1});
        c.f.y1 = std::max({c.f.y1, x.a.y0, std::min(x.a.y1, x.a.y0 + kFoldReach * row_px)});
        c.f.first_ev = std::min(c.f.first_ev, ar.from_ev);
        c.f.last_ev = std::max(c.f.last_ev, ar.from_ev);
        c.f.future = c.f.future && x.a.future;
    }
    ++c.f.count;
    ++c.f.cats[static_cast<std::size_t>(x.a.cat)];
    c.f.flags |= x.a.flags;
    c.f.selected = c.f.selected || x.a.selected;
    c.last_mid = x.mid;
}

void flush(Cluster& c, SeqLayout& out) {
    if (c.f.count == 1) {
        out.arrows.push_back(c.single);
    } else if (c.f.count > 1) {
        out.folds.push_back(c.f);
    }
    c = Cluster{};
}


// Label rows for one lane pair's arrows (sorted by y0). Each label may sit
// anywhere along its arrow (short arrows: in the middle only); the least
// flexible choose first, each taking the highest free row in its range.
// Arrows left without a row are drawn unlabelled when alone, or folded
// with their unlabelled neighbours.
void place_labels(std::span<Cand> g, const SeqView& view, const Session& s, SeqLayout& out,
                  std::vector<std::pair<float, float>> taken) {
    const float row = view.row_px;
    const auto range = [row](const DrawArrow& a, float mid) {
        if (a.y1 - a.y0 >= 2.5f * row) return std::make_pair(a.y0 + 0.25f * row, a.y1 - 1.25f * row);
        return std::make_pair(mid - 0.5f * row, mid - 0.5f * row);
    };
    std::vector<std::size_t> order(g.size());
    for (std::size_t i = 0; i < g.size(); ++i) order[i] = i;
    if (g.size() <= 1500) {
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            const auto ra = range(g[a].a, g[a].mid), rb = range(g[b].a, g[b].mid);
            return ra.second - ra.first < rb.second - rb.first;
        });
    }
    std::sort(taken.begin(), taken.end());  // label rows in use (markers' first)
    std::vector<bool> placed(g.size(), false);
    for (std::size_t i : order) {
        const auto [lo, hi] = range(g[i].a, g[i].mid);
        const auto free_at = [&](float y) {
            auto it = std::lower_bound(taken.begin(), taken.end(), std::make_pair(y + row - 0.01f, 0.0f));
            return it == taken.begin() || std::prev(it)->second <= y + 0.01f;
        };
        float at = lo;
        bool ok = free_at(at);
        if (!ok) {
            for (auto it = std::lower_bound(taken.begin(), taken.end(), std::make_pair(lo - row, 0.0f)); it != taken.end() && it->second <= hi + 0.01f; ++it) {
                if (it->second >= lo && free_at(it->second)) {
                    at = it->second;
                    ok = true;
                    break;
                }
            }
        }
        if (!ok) continue;
        g[i].a.label_y = at;
        taken.insert(std::upper_bound(taken.begin(), taken.end(), std::make_pair(at, at + row)), std::make_pair(at, at + row));
        placed[i] = true;
    }
    Cluster c;
    float last_y0 = -1e30f;
    for (std::size_t i = 0; i < g.size(); ++i) {
        if (placed[i]) {
            out.arrows.push_back(g[i].a);
            continue;
        }
        if (c.f.count > 0 && g[i].a.y0 - last_y0 >= row) {
            if (c.f.count == 1) c.single.has_label = false;
            flush(c, out);
        }
        add_to(c, g[i], s, row);
        last_y0 = g[i].a.y0;
    }
    if (c.f.count == 1) c.single.has_label = false;
    flush(c, out);
}

}  // namespace

Cat DrawFold::dominant() const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < cats.size(); ++i) {
        if (cats[i] > cats[best]) best = i;
    }
    return static_cast<Cat>(best);
}

int SeqLayout::lane_of(std::uint32_t host) const {
    for (std::size_t i = 0; i < lane_hosts.size(); ++i) {
        if (lane_hosts[i] == host) return static_cast<int>(i);
    }
    return -1;
}

SeqLayout layout_sequence(const Session& s, const SeqView& view) {
    SeqLayout out;
    const TraceModel& m = s.model();
    const Filter& f = s.filter();
    const TimeAxis& ax = s.axis();

    std::vector<int> lane_of_host(m.host_count(), -1);
    for (const std::uint32_t h : m.lane_order()) {
        if (!f.shows_host(h)) continue;
        lane_of_host[h] = static_cast<int>(out.lane_hosts.size());
        out.lane_hosts.push_back(h);
    }
    const std::size_t nlanes = out.lane_hosts.size();
    const float avail = std::max(1.0f, view.width - view.gutter);
    for (std::size_t i = 0; i < nlanes; ++i) {
        // A little less room left of the first lane than right of the last:
        // marker labels are written to the right of their lane.
        out.lane_x.push_back(view.gutter + avail * (static_cast<float>(i) + 0.42f) / static_cast<float>(nlanes));
    }

    const std::uint32_t k = s.index();
    const std::uint32_t sel = s.selected;
    out.cursor_y = view.y_of_ct(ax.to_ct(s.time()));
    const std::int64_t top = view.top_ct;
    const std::int64_t bottom = view.bottom_ct();
    const float cursor_y = out.cursor_y;

    // ---- markers: the events that are not transfers. Labels stack downwards
    // on their lane; a marker whose label would drift too far folds instead.
    std::vector<int> last_marker(nlanes + 1, -1);
    std::vector<std::vector<float>> marker_rows(nlanes);
    std::vector<float> last_label(nlanes + 1, -1e30f);
    const std::vector<std::uint32_t>& candidates = m.non_transfers();
    for (auto it = std::lower_bound(candidates.begin(), candidates.end(), ax.first_at_or_after(top));
         it != candidates.end() && ax.ct_of(*it) <= bottom; ++it) {
        const std::uint32_t i = *it;
        const Ev& v = m.ev(i);
        if (v.kind == Kind::segment || v.kind == Kind::datagram || v.kind == Kind::line) continue;
        if (v.flags & flag::restates) continue;  // the fault's own marker says it
        const bool future = i >= k;
        if (future && view.hide_future) break;
        if (!f.visible(m, i)) continue;
        const std::uint32_t host = v.kind == Kind::fault ? v.aux : v.host;
        int lane = -1;
        if (host != 0 && host < lane_of_host.size()) {
            lane = lane_of_host[host];
            if (lane < 0) continue;
        }
        const float y = view.y_of_ct(ax.ct_of(i));
        const std::size_t slot = lane < 0 ? nlanes : static_cast<std::size_t>(lane);
        const bool is_sel = sel == i;
        const float label_y = std::max(y - 0.5f * view.row_px, last_label[slot] + view.row_px);
        if (last_marker[slot] >= 0 && label_y > y + 1.5f * view.row_px) {
            DrawMarker& mk = out.markers[static_cast<std::size_t>(last_marker[slot])];
            ++mk.count;
            mk.last_ev = i;
            mk.flags |= v.flags;
            mk.future = mk.future && future;
            mk.selected = mk.selected || is_sel;
            continue;
        }
        DrawMarker mk;
        mk.ev = i;
        mk.last_ev = i;
        mk.lane = lane;
        mk.y = y;
        mk.label_y = label_y;
        mk.flags = v.flags;
        mk.future = future;
        mk.selected = is_sel;
        last_marker[slot] = static_cast<int>(out.markers.size());
        last_label[slot] = label_y;
        if (slot < nlanes) marker_rows[slot].push_back(label_y);
        out.markers.push_back(mk);
    }

    // ---- arrows
    std::vector<Cand> cands;
    const auto consider = [&](std::uint32_t ai) {
        const Arrow& a = m.arrow(ai);
        ++out.considered;
        if (a.src >= lane_of_host.size() || a.dst >= lane_of_host.size()) return;
        const int l0 = lane_of_host[a.src];
        const int l1 = lane_of_host[a.dst];
        if (l0 < 0 || l1 < 0 || l0 == l1) return;
        if (!f.shows_cat(a.cat)) return;
        if (a.kind == Kind::segment && f.fold_tcp) return;
        const bool future = a.from_ev >= k;
        if (future && view.hide_future) return;
        if (a.kind == Kind::segment && a.covered_by != kNone && !(a.flags & flag::lost)) {
            // The first transmission of a line's bytes: the line's arrow shows it.
            const Arrow& line = m.arrow(a.covered_by);
            if (line.done() && line.t1 == a.t1 && f.shows_cat(line.cat)) return;
        }
        const bool one_sided = (a.flags & flag::one_sided) || (!a.done() && !m.host_emits(a.dst));
        const std::int64_t ct0 = ax.ct_of(a.from_ev);
        std::int64_t ct1 = ct0;
        bool open_end = false;
        if (!one_sided) {
            if (a.done()) {
                ct1 = ax.ct_of(a.to_ev);
            } else {
                ct1 = std::max(ax.end_ct(), ct0);
                open_end = true;
            }
        }
        DrawArrow d;
        d.arrow = ai;
        d.lane0 = l0;
        d.lane1 = l1;
        d.y0 = view.y_of_ct(ct0);
        d.y1 = view.y_of_ct(ct1);
        d.flags = static_cast<std::uint16_t>(a.flags | (one_sided ? flag::one_sided : 0));
        d.cat = a.cat;
        d.future = future;
        d.open_end = open_end;
        d.selected = sel != kNone && (a.from_ev == sel || a.to_ev == sel);
        if (!future && !one_sided && (!a.done() || a.to_ev >= k)) {
            d.y_cut = std::clamp(cursor_y, d.y0, d.y1);
            if (view.hide_future) {
                d.y1 = d.y_cut;
                d.open_end = false;
            }
        }
        if (d.y1 < -view.row_px || d.y0 > view.height + view.row_px) return;
        const auto lo = static_cast<std::uint64_t>(std::min(l0, l1));
        const auto hi = static_cast<std::uint64_t>(std::max(l0, l1));
        cands.push_back(Cand{(lo << 32) | hi, (d.y0 + d.y1) * 0.5f, d});
    };

    const auto arrows = m.arrows();
    const auto first_from = [&](std::int64_t c) {
        return static_cast<std::size_t>(
            std::partition_point(arrows.begin(), arrows.end(),
                                 [&](const Arrow& a) { return ax.ct_of(a.from_ev) < c; }) -
            arrows.begin());
    };
    const std::size_t lo = first_from(top - TraceModel::kShortSpan);
    const std::size_t hi = first_from(bottom + 1);
    out.dense = hi > lo && hi - lo > kDenseThreshold;
    for (std::size_t ai = lo; ai < hi; ++ai) {
        const Arrow& a = arrows[ai];
        if (a.done() && a.t1 - a.t0 > TraceModel::kShortSpan) continue;  // handled below
        if (!a.done() && m.open_arrows().count(static_cast<std::uint32_t>(ai))) continue;
        consider(static_cast<std::uint32_t>(ai));
    }
    for (std::uint32_t ai : m.long_arrows()) {
        if (ax.ct_of(arrows[ai].from_ev) <= bottom) consider(ai);
    }
    for (std::uint32_t ai : m.open_arrows()) {
        if (ax.ct_of(arrows[ai].from_ev) <= bottom) consider(ai);
    }

    if (!out.dense) {
        std::sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
            return a.key != b.key ? a.key < b.key : a.a.y0 != b.a.y0 ? a.a.y0 < b.a.y0 : a.a.arrow < b.a.arrow;
        });
        std::vector<std::vector<std::pair<float, float>>> gap_rows(nlanes);  // label rows in use between lane l and l+1
        for (std::size_t g0 = 0; g0 < cands.size();) {
            std::size_t g1 = g0;
            while (g1 < cands.size() && cands[g1].key == cands[g0].key) ++g1;
            // Marker labels sit right of their lane: rows they use are taken
            // for the arrows whose labels lie over that stretch.
            const auto lo_lane = static_cast<std::size_t>(cands[g0].key >> 32);
            const auto hi_lane = static_cast<std::size_t>(cands[g0].key & 0xFFFFFFFFu);
            // So do the labels and folds already placed for other lane pairs
            // over the same stretch (an arrow spanning three lanes and one
            // between two of them must not write on the same row).
            std::vector<std::pair<float, float>> rows;
            for (std::size_t l = lo_lane; l < hi_lane && l < nlanes; ++l) {
                for (float y : marker_rows[l]) rows.emplace_back(y, y + view.row_px);
                rows.insert(rows.end(), gap_rows[l].begin(), gap_rows[l].end());
            }
            const std::size_t arrows_before = out.arrows.size(), folds_before = out.folds.size();
            place_labels(std::span<Cand>(cands.data() + g0, g1 - g0), view, s, out, std::move(rows));
            for (std::size_t l = lo_lane; l < hi_lane && l < nlanes; ++l) {
                for (std::size_t i = arrows_before; i < out.arrows.size(); ++i) {
                    if (out.arrows[i].has_label) gap_rows[l].emplace_back(out.arrows[i].label_y, out.arrows[i].label_y + view.row_px);
                }
                for (std::size_t i = folds_before; i < out.folds.size(); ++i) {
                    gap_rows[l].emplace_back(out.folds[i].y0, std::max(out.folds[i].y1, out.folds[i].y0 + view.row_px));
                }
            }
            g0 = g1;
        }
    } else {
        std::unordered_map<std::uint64_t, Cluster> bins;
        for (const Cand& x : cands) {
            const auto bin = static_cast<std::uint64_t>(std::max(0.0f, std::floor(x.mid / view.row_px)) + 1);
            Cand placed = x;
            placed.a.label_y = x.mid - 0.5f * view.row_px;
            add_to(bins[x.key * 1'000'003ull + bin], placed, s, view.row_px);
        }
        for (auto& [key, c] : bins) flush(c, out);
        // Tracy-style: a lane pair's bins that touch become one fold, so a
        // dense stretch is one box with one label, not a wall of labels.
        std::sort(out.folds.begin(), out.folds.end(), [](const DrawFold& a, const DrawFold& b) {
            return a.lane0 != b.lane0 ? a.lane0 < b.lane0 : a.lane1 != b.lane1 ? a.lane1 < b.lane1 : a.y0 < b.y0;
        });
        std::vector<DrawFold> merged;
        for (const DrawFold& fo : out.folds) {
            if (!merged.empty()) {
                DrawFold& mg = merged.back();
                if (mg.lane0 == fo.lane0 && mg.lane1 == fo.lane1 && fo.y0 <= std::max(mg.y1, mg.y0 + view.row_px) + view.row_px) {
                    mg.y1 = std::max(mg.y1, fo.y1);
                    mg.count += fo.count;
                    for (std::size_t c = 0; c < kCatCount; ++c) mg.cats[c] += fo.cats[c];
                    mg.first_ev = std::min(mg.first_ev, fo.first_ev);
                    mg.last_ev = std::max(mg.last_ev, fo.last_ev);
                    mg.flags |= fo.flags;
                    mg.future = mg.future && fo.future;
                    mg.selected = mg.selected || fo.selected;
                    continue;
                }
            }
            merged.push_back(fo);
        }
        out.folds = std::move(merged);
        std::sort(out.folds.begin(), out.folds.end(), [](const DrawFold& a, const DrawFold& b) { return a.y0 < b.y0; });
    }
    std::sort(out.arrows.begin(), out.arrows.end(), [](const DrawArrow& a, const DrawArrow& b) { return a.arrow < b.arrow; });

    // ---- bands: hosts down or crashed, links down or changed
    struct Open {
        int depth = 0;
        std::uint32_t begin = 0;
    };
    std::map<std::pair<int, std::uint32_t>, Open> open;
    const auto emit_band = [&](DrawBand::What what, std::uint32_t host, std::int64_t ct0, std::int64_t ct1) {
        if (host >= lane_of_host.size() || lane_of_host[host] < 0) return;
        if (ct1 < top || ct0 > bottom) return;
        DrawBand b;
        b.lane = lane_of_host[host];
        b.y0 = view.y_of_ct(ct0);
        b.y1 = view.y_of_ct(ct1);
        b.what = what;
        out.bands.push_back(b);
    };
    const std::int64_t cut_ct = view.hide_future ? ax.to_ct(s.time()) : std::max(ax.end_ct(), bottom);
    for (std::uint32_t i : m.marked(Mark::fault)) {
        if (view.hide_future && i >= k) break;
        const Ev& v = m.ev(i);
        const trace::Event* e = m.detail(i);
        if (e == nullptr) continue;
        DrawBand::What what{};
        std::uint32_t host = 0;
        int delta = 0;
        const std::string ev = e->get_str("ev");
        if (v.kind == Kind::host) {
            if (v.flags & flag::restates) continue;  // the fault's band covers it
            what = DrawBand::What::crashed;
            host = v.host;
            delta = ev == "down" ? 1 : ev == "up" ? -1 : 0;
        } else if (v.kind == Kind::fault && v.aux != 0) {
            const std::string fault = e->get_str("fault");
            if (fault == "host-down") what = DrawBand::What::host_down;
            else if (fault == "link-down") what = DrawBand::What::link_down;
            else if (fault == "link-change") what = DrawBand::What::link_change;
            else continue;
            host = v.aux;
            delta = ev == "begin" ? 1 : ev == "end" ? -1 : 0;
        } else {
            continue;
        }
        Open& o = open[{static_cast<int>(what), host}];
        if (delta > 0) {
            if (o.depth++ == 0) o.begin = i;
        } else if (delta < 0 && o.depth > 0 && --o.depth == 0) {
            emit_band(what, host, ax.ct_of(o.begin), ax.ct_of(i));
        }
    }
    for (const auto& [key, o] : open) {
        if (o.depth > 0) emit_band(static_cast<DrawBand::What>(key.first), key.second, ax.ct_of(o.begin), cut_ct);
    }

    // ---- breaks: compressed idle gaps
    for (const auto& g : ax.gaps()) {
        if (view.hide_future && g.before > k) break;
        const std::int64_t mid = g.ct0 + ax.max_gap() / 2;
        if (mid < top || mid > bottom) continue;
        out.breaks.push_back(DrawBreak{view.y_of_ct(mid), g.t1 - g.t0});
    }
    return out;
}

void apply_cursor(SeqLayout& l, const Session& s, const SeqView& view) {
    const TraceModel& m = s.model();
    const std::uint32_t k = s.index();
    l.cursor_y = view.y_of_ct(s.axis().to_ct(s.time()));
    for (DrawArrow& d : l.arrows) {
        const Arrow& a = m.arrow(d.arrow);
        d.future = a.from_ev >= k;
        d.y_cut = -1;
        const bool one_sided = (d.flags & flag::one_sided) != 0;
        if (!d.future && !one_sided && (!a.done() || a.to_ev >= k)) d.y_cut = std::clamp(l.cursor_y, d.y0, d.y1);
    }
    // A fold or folded marker is future when all its members are: when its
    // first one is.
    for (DrawFold& f : l.folds) f.future = f.first_ev >= k;
    for (DrawMarker& mk : l.markers) mk.future = mk.ev >= k;
}

const SeqLayout& SeqLayoutCache::get(const Session& s, const SeqView& view) {
    Key key;
    key.s = &s;
    key.events = s.model().size();
    key.arrows = s.model().arrows().size();
    key.end_ct = s.axis().end_ct();
    key.max_gap = s.axis().max_gap();
    key.gaps = s.axis().gaps().size();
    key.filter = s.filter();
    key.selected = s.selected;
    key.top_ct = view.top_ct;
    key.ns_per_px = view.ns_per_px;
    key.width = view.width;
    key.height = view.height;
    key.gutter = view.gutter;
    key.row_px = view.row_px;
    key.hide_future = view.hide_future;
    if (view.hide_future) {
        key.index = s.index();
        key.time = s.time();
    }
    if (valid_ && key == key_) {
        if (!view.hide_future) apply_cursor(layout_, s, view);
        return layout_;
    }
    layout_ = layout_sequence(s, view);
    key_ = std::move(key);
    valid_ = true;
    ++rebuilds_;
    return layout_;
}

std::uint32_t hit_test(const SeqLayout& l, const Session& s, float x, float y, float tol) {
    const auto lane_x = [&](int lane) { return lane < 0 ? 40.0f : l.lane_x[static_cast<std::size_t>(lane)]; };
    for (const auto& mk : l.markers) {
        if (std::fabs(y - mk.y) <= tol + 4 && std::fabs(x - lane_x(mk.lane)) <= 16) return mk.ev;
    }
    float best = tol;
    std::uint32_t hit = kNone;
    for (const auto& a : l.arrows) {
        const float x0 = lane_x(a.lane0), x1 = lane_x(a.lane1);
        const float dx = x1 - x0, dy = a.y1 - a.y0;
        const float len2 = dx * dx + dy * dy;
        float u = len2 > 0 ? ((x - x0) * dx + (y - a.y0) * dy) / len2 : 0;
        u = std::clamp(u, 0.0f, 1.0f);
        const float px = x0 + u * dx, py = a.y0 + u * dy;
        const float d = std::hypot(x - px, y - py);
        if (d <= best) {
            best = d;
            hit = s.model().arrow(a.arrow).from_ev;
        }
    }
    if (hit != kNone) return hit;
    for (const auto& fo : l.folds) {
        const float xa = lane_x(fo.lane0), xb = lane_x(fo.lane1);
        if (x >= xa && x <= xb && y >= fo.y0 - tol && y <= fo.y1 + tol) return fo.first_ev;
    }
    return kNone;
}

SeqView view_around(const Session& s, std::uint32_t first, std::uint32_t last, SeqView base) {
    const auto& ax = s.axis();
    if (s.size() == 0) return base;
    first = std::min<std::uint32_t>(first, s.size() - 1);
    last = std::min<std::uint32_t>(std::max(first, last), s.size() - 1);
    const std::int64_t c0 = ax.ct_of(first);
    std::int64_t c1 = ax.ct_of(last);
    // Include where the arrows sent in the range arrive, unless they took
    // long (a retransmitted line): those would zoom everything out.
    for (std::uint32_t i = first; i <= last; ++i) {
        const std::uint32_t a = s.model().ev(i).arrow;
        if (a == kNone) continue;
        const Arrow& ar = s.model().arrow(a);
        if (ar.done() && ar.t1 - ar.t0 <= TraceModel::kShortSpan) c1 = std::max(c1, ax.ct_of(ar.to_ev));
    }
    const double span = std::max<double>(static_cast<double>(c1 - c0), 1000.0);
    base.ns_per_px = std::max(span * 1.15 / std::max(1.0f, base.height), 1.0);
    base.top_ct = c0 - static_cast<std::int64_t>(span * 0.07);
    return base;
}

}  // namespace postino::viz
