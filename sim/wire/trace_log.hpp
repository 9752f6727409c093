// trace_log.hpp — the trace recorder of `postino serve`, shared by sessions
// that run on several threads. One mutex orders the events, so seq has no
// gaps and t (read under the lock) never decreases (docs/trace-format.md).
#pragma once

#include <functional>
#include <mutex>

#include "core/trace.hpp"

namespace postino::wire {

class TraceLog {
public:
    explicit TraceLog(std::function<Time()> clock) : rec_(std::move(clock)) {}
    void add_sink(trace::Sink* sink) {
        const std::lock_guard<std::mutex> lock(mutex_);
        rec_.add_sink(sink);
    }
    void emit(trace::Event e) {
        const std::lock_guard<std::mutex> lock(mutex_);
        rec_.emit(std::move(e));
    }

private:
    std::mutex mutex_;
    trace::Recorder rec_;
};

}  // namespace postino::wire
