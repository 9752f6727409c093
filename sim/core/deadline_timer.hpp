// deadline_timer.hpp — a timer whose deadline moves on almost every call: a
// session's idle timeout (RFC 5321 §4.5.3.2), TCP's retransmission timer
// (RFC 6298 §5), re-armed with each exchange.
//
// Cancelling and scheduling again at every move would put two scheduler
// operations, and a dead entry in its heap, on every command and every
// segment. Instead, a scheduled wake-up that comes no later than the new
// deadline is kept: when it comes early, due() schedules the next one for
// the deadline as it is then. Only a deadline that moves earlier cancels.
// The expiry happens at the same simulated time as with eager re-arming;
// the wake-up that reaches it was merely scheduled later, and an early
// wake-up is never a run's last event (the deadline's comes after it).
//
// arm_for() is what owners use: the wake-up holds the owner weakly, calls
// due() and, when the deadline has come, the owner's handler. arm() and
// due() take a `make_wake` callable that returns the scheduler callback,
// called only when a wake-up has to be scheduled.
#pragma once

#include <memory>
#include <optional>

#include "core/scheduler.hpp"

namespace postino {

class DeadlineTimer {
public:
    // Expire at `at` (the past means now).
    template <typename MakeWake>
    void arm(Scheduler& s, Time at, MakeWake&& make_wake) {
        deadline_ = at;
        if (wake_.valid() && wake_at_ <= at) return;  // the wake-up in place comes first and re-arms
        if (wake_.valid()) s.cancel(wake_);
        wake_at_ = at;
        wake_ = s.schedule_at(at, make_wake());
    }

    // No deadline and no wake-up. (A wake-up left to fire for nothing would
    // move the end of a run that has nothing else left to do.)
    void disarm(Scheduler& s) {
        deadline_.reset();
        if (wake_.valid()) s.cancel(wake_);
        wake_ = EventId{};
    }

    [[nodiscard]] bool armed() const { return deadline_.has_value(); }

    // arm() for the usual owner: one held by a shared_ptr (it derives from
    // enable_shared_from_this), with this timer as its member `Timer`. When
    // the deadline comes, (owner.*OnDue)() runs, unless the owner is gone.
    template <auto Timer, auto OnDue, typename Owner>
    void arm_for(Scheduler& s, Time at, Owner& owner) {
        arm(s, at, [&] { return wake_for<Timer, OnDue>(s, owner.weak_from_this()); });
    }

    // Called first by the wake-up callback: true when the deadline has come
    // (the timer is then disarmed); false when there is none or it is still
    // ahead, in which case the next wake-up is scheduled for it.
    template <typename MakeWake>
    bool due(Scheduler& s, MakeWake&& make_wake) {
        wake_ = EventId{};
        if (!deadline_) return false;
        if (*deadline_ > s.now()) {
            wake_at_ = *deadline_;
            wake_ = s.schedule_at(*deadline_, make_wake());
            return false;
        }
        deadline_.reset();
        return true;
    }

private:
    template <auto Timer, auto OnDue, typename Owner>
    static Scheduler::Callback wake_for(Scheduler& s, std::weak_ptr<Owner> weak) {
        return [&s, weak] {
            const auto self = weak.lock();
            if (self && ((*self).*Timer).due(s, [&] { return wake_for<Timer, OnDue>(s, weak); })) ((*self).*OnDue)();
        };
    }

    std::optional<Time> deadline_;
    EventId wake_;
    Time wake_at_{};
};

}  // namespace postino
