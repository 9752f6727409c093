// clock.cpp — the one reader of the system clock in sim/wire (DESIGN.md §2.2).
#include "wire/clock.hpp"

namespace postino::wire {

void WallClock::unix_now(std::int64_t& seconds, std::int64_t& micros) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    seconds = us / 1'000'000;
    micros = us % 1'000'000;
}

}  // namespace postino::wire
