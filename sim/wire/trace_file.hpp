// trace_file.hpp — the live trace of `postino serve`: the canonical JSON
// Lines of docs/trace-format.md, flushed after every event so
// `postino-viz --follow FILE` sees a session while it happens.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "core/result.hpp"
#include "core/trace.hpp"
#include "core/trace_json.hpp"

namespace postino::wire {

class TraceFile final : public trace::Sink {
public:
    static Result<std::unique_ptr<TraceFile>> open(const std::string& path, const std::string& generator);
    void on_event(const trace::Event& e) override;

private:
    TraceFile() = default;
    std::ofstream out_;
    std::unique_ptr<trace::JsonlWriter> writer_;
};

}  // namespace postino::wire
