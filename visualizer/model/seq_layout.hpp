// seq_layout.hpp — what the sequence diagram draws, computed without ImGui.
//
// Lanes are the hosts (in order of first appearance) that the filter shows.
// Time runs downwards on the compressed axis (time_axis.hpp): an arrow goes
// from the sender's lane at its send time to the receiver's lane at its
// receive time, so it slants with the link latency. Arrows between the same
// two lanes whose labels would be closer than one text row are folded into one
// block ("37 events: TCP 30, SMTP 7") instead of being overdrawn; zooming in
// unfolds them. A label may slide along its arrow to a free row (the least
// flexible labels choose first), so close arrows with room for their labels
// stay apart; only arrows left without a row fold. Events that are not transfers (connections, DNS results,
// spool and mailbox changes, faults, notes) are markers on their lane, folded
// the same way. Host-down and link-down periods are bands on the lane, and
// compressed idle gaps are breaks across the diagram.
//
// SeqLayoutCache keeps a layout between frames: moving the cursor changes
// which arrows, folds and markers are drawn as future and where arrows in
// flight are cut, not what is laid out, so scrubbing with the whole trace in
// view does not walk its 447,058 arrows again every frame.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/session.hpp"

namespace postino::viz {

struct SeqView {
    std::int64_t top_ct = 0;   // compressed time at the top edge
    double ns_per_px = 1e6;    // zoom: compressed ns per pixel
    float width = 1000;        // px, including the time gutter
    float height = 600;        // px
    float gutter = 110;        // px on the left for time labels
    float row_px = 22;         // two labels closer than this fold together
    bool hide_future = false;  // lecture mode: nothing after the cursor

    [[nodiscard]] float y_of_ct(std::int64_t ct) const {
        return static_cast<float>(static_cast<double>(ct - top_ct) / ns_per_px);
    }
    [[nodiscard]] std::int64_t ct_of_y(float y) const {
        return top_ct + static_cast<std::int64_t>(static_cast<double>(y) * ns_per_px);
    }
    [[nodiscard]] std::int64_t bottom_ct() const { return ct_of_y(height); }
};

struct DrawArrow {
    std::uint32_t arrow = 0;
    int lane0 = 0, lane1 = 0;     // sender, receiver
    float y0 = 0, y1 = 0;
    float y_cut = -1;             // >= 0: in flight at the cursor; after y_cut it is future
    float label_y = 0;            // where its label's row starts (labels slide along the arrow)
    bool has_label = true;        // false: no free row for it (hover shows it)
    std::uint16_t flags = 0;      // flag::*
    Cat cat = Cat::tcp;
    bool future = false;          // sent after the cursor
    bool open_end = false;        // never received in this trace
    bool selected = false;
    bool operator==(const DrawArrow&) const = default;
};

struct DrawFold {
    int lane0 = 0, lane1 = 0;     // the two lanes (lane0 < lane1)
    float y0 = 0, y1 = 0;
    std::uint32_t count = 0;
    std::uint32_t first_ev = 0, last_ev = 0;
    std::array<std::uint32_t, kCatCount> cats{};
    std::uint16_t flags = 0;      // OR of the members'
    bool future = false;          // every member after the cursor
    bool selected = false;
    [[nodiscard]] Cat dominant() const;
    bool operator==(const DrawFold&) const = default;
};

struct DrawMarker {
    std::uint32_t ev = 0;         // the first (or only) event
    std::uint32_t last_ev = 0;
    std::uint32_t count = 1;      // > 1: folded markers
    int lane = -1;                // -1: world-level (no host)
    float y = 0;
    float label_y = 0;            // its label's row (may sit below the marker when crowded)
    std::uint16_t flags = 0;
    bool future = false;
    bool selected = false;
    bool operator==(const DrawMarker&) const = default;
};

struct DrawBand {
    enum class What : std::uint8_t { host_down, crashed, link_down, link_change };
    int lane = 0;
    float y0 = 0, y1 = 0;
    What what = What::host_down;
    bool operator==(const DrawBand&) const = default;
};

struct DrawBreak {
    float y = 0;
    std::int64_t gap_ns = 0;  // the idle time it stands for
    bool operator==(const DrawBreak&) const = default;
};

struct SeqLayout {
    std::vector<std::uint32_t> lane_hosts;  // host id per lane
    std::vector<float> lane_x;
    std::vector<DrawArrow> arrows;
    std::vector<DrawFold> folds;
    std::vector<DrawMarker> markers;
    std::vector<DrawBand> bands;
    std::vector<DrawBreak> breaks;
    float cursor_y = 0;
    bool dense = false;           // too many arrows: binned, not sorted
    std::size_t considered = 0;   // arrows looked at (for the benchmark)

    [[nodiscard]] int lane_of(std::uint32_t host) const;
    bool operator==(const SeqLayout&) const = default;
};

SeqLayout layout_sequence(const Session& s, const SeqView& view);

// Sets what depends on the cursor alone (outside lecture mode): cursor_y,
// and which arrows, folds and markers are future, where arrows in flight are
// cut. layout_sequence() at any cursor == a layout made at another cursor,
// then apply_cursor() (the tests check it).
void apply_cursor(SeqLayout& l, const Session& s, const SeqView& view);

// layout_sequence() for the view, reusing the previous frame's layout when
// only the cursor moved: same session, trace size, time axis, filter,
// selection and view. In lecture mode the cursor decides what is laid out,
// so a moved cursor lays out again.
class SeqLayoutCache {
public:
    const SeqLayout& get(const Session& s, const SeqView& view);
    [[nodiscard]] std::size_t rebuilds() const { return rebuilds_; }  // layouts made (for tests)

private:
    struct Key {
        const Session* s = nullptr;
        std::size_t events = 0, arrows = 0;
        std::int64_t end_ct = -1, max_gap = -1;
        std::size_t gaps = 0;
        Filter filter;
        std::uint32_t selected = kNone;
        std::int64_t top_ct = 0;
        double ns_per_px = 0;
        float width = 0, height = 0, gutter = 0, row_px = 0;
        bool hide_future = false;
        std::uint32_t index = 0;  // lecture mode only
        std::int64_t time = 0;    // lecture mode only
        bool operator==(const Key&) const = default;
    };
    bool valid_ = false;
    Key key_;
    SeqLayout layout_;
    std::size_t rebuilds_ = 0;
};

// What is under a point of the diagram: an event index, or kNone.
std::uint32_t hit_test(const SeqLayout& l, const Session& s, float x, float y, float tolerance = 6);

// A view that shows events [first, last] with a margin (for --at and "fit").
SeqView view_around(const Session& s, std::uint32_t first, std::uint32_t last, SeqView base);

}  // namespace postino::viz
