// session.hpp — one open trace and the player over it: the cursor (how many
// events are applied, and the current simulated time), the state at the
// cursor, play/pause and speed, step forward/back, jumps to the start, the
// end and the next or previous important event, filters and selection.
//
// The cursor k means "events [0, k) have happened"; the state shown is
// always exactly that prefix applied (Snapshots makes seeking fast). The time
// t satisfies t(k-1) <= t <= t(k), so a playing cursor can sit between two
// events, and countdowns move smoothly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "model/filter.hpp"
#include "model/snapshots.hpp"
#include "model/time_axis.hpp"
#include "model/trace_model.hpp"
#include "model/world.hpp"

namespace postino::viz {

struct Speed {
    enum class Mode : std::uint8_t { time, events };
    Mode mode = Mode::time;
    double rate = 0.1;  // time: seconds of (compressed) trace per wall second; events: events per second
    bool operator==(const Speed&) const = default;
};

// The speeds offered in the UI, slowest first.
const std::vector<Speed>& speed_choices();
std::string speed_name(const Speed& s);  // "0.1x", "1 event/s"

class Session {
public:
    Session();
    explicit Session(TraceModel model, std::int64_t max_gap_ns = kDefaultMaxGap, std::uint32_t snapshot_interval = 512);

    static constexpr std::int64_t kDefaultMaxGap = 250'000'000;  // 250 ms

    [[nodiscard]] const TraceModel& model() const { return model_; }
    [[nodiscard]] TraceModel& model_mut() { return model_; }
    // Call after the model gained events (follow mode). Keeps the cursor at
    // the end if it was there.
    void grown();

    [[nodiscard]] const WorldState& state() const { return state_; }
    [[nodiscard]] std::uint32_t index() const { return state_.applied; }
    [[nodiscard]] std::int64_t time() const { return time_; }
    [[nodiscard]] std::uint32_t size() const { return static_cast<std::uint32_t>(model_.size()); }
    [[nodiscard]] bool at_end() const { return index() >= size(); }
    // The last applied event (the "current" one), kNone at the start.
    [[nodiscard]] std::uint32_t current() const { return index() == 0 ? kNone : index() - 1; }

    void seek(std::uint32_t k);            // time becomes the time of event k-1
    void seek_time(std::int64_t t);        // every event at or before t applied
    void step_forward();                   // apply up to and including the next shown event
    void step_back();                      // undo the last shown event
    void to_start();
    void to_end();
    bool next_mark();                      // false when there is none
    bool prev_mark();

    void play();
    void pause() { playing_ = false; }
    void toggle_play();
    [[nodiscard]] bool playing() const { return playing_; }
    void set_speed(const Speed& s) { speed_ = s; }
    [[nodiscard]] const Speed& speed() const { return speed_; }
    // Advances a playing cursor by dt wall seconds; stops at the end.
    void tick(double dt);

    Filter& filter() { return filter_; }
    [[nodiscard]] const Filter& filter() const { return filter_; }
    [[nodiscard]] const TimeAxis& axis() const { return axis_; }
    void set_max_gap(std::int64_t ns);
    [[nodiscard]] const Snapshots& snapshots() const { return snaps_; }

    std::uint32_t selected = kNone;  // the event the inspector shows
    bool mark_enabled[kMarkCount] = {false, true, true, true, true, true};

private:
    [[nodiscard]] bool shown(std::uint32_t i) const { return filter_.visible(model_, i); }

    TraceModel model_;
    Snapshots snaps_;
    TimeAxis axis_;
    Filter filter_;
    WorldState state_;
    std::int64_t time_ = 0;
    bool playing_ = false;
    Speed speed_;
    double event_credit_ = 0;  // events mode: fractional events owed
    std::uint32_t known_size_ = 0;  // events the snapshots and axis have taken in
};

}  // namespace postino::viz
