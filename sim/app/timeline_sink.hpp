// timeline_sink.hpp — prints each trace event as one timeline line.
#pragma once

#include <ostream>

#include "core/trace.hpp"
#include "core/trace_describe.hpp"

namespace postino::app {

class TimelineSink final : public trace::Sink {
public:
    explicit TimelineSink(std::ostream& out) : out_(out) {}
    void on_event(const trace::Event& e) override { out_ << trace::timeline_line(e) << '\n'; }

private:
    std::ostream& out_;
};

}  // namespace postino::app
