// follow.hpp — live mode: re-reads a growing trace file (`--follow`), for a
// `postino serve` or a long run writing while the visualizer watches.
// Appends only the new octets to the model; a half-written last line waits
// for its newline. A file that shrinks or is replaced starts over.
#pragma once

#include <cstdint>
#include <string>

#include "model/trace_model.hpp"

namespace postino::viz {

class FollowReader {
public:
    enum class Status : std::uint8_t { nothing, grew, restart, missing };

    explicit FollowReader(std::string path) : path_(std::move(path)) {}

    // Feeds what the file gained since the last poll into `model` (which must
    // have been fed only by this reader). `restart`: the file was truncated or
    // replaced; make a fresh model and reader and poll again.
    Status poll(TraceModel& model);

    [[nodiscard]] std::uint64_t offset() const { return offset_; }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    std::string path_;
    std::uint64_t offset_ = 0;
    std::uint64_t inode_ = 0;
    bool have_inode_ = false;
};

}  // namespace postino::viz
