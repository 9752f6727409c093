// link.hpp — a host's access link to the shared internet cloud.
//
// The network model (docs/network-model.md): every host hangs off the cloud by
// one full-duplex access link. A packet from A to B crosses A's uplink, then
// B's downlink. Each direction of a link is a FIFO queue: a packet waits until
// the link is free, takes size*8/bandwidth to serialize, then `latency` plus
// a uniform draw in [0, jitter] to propagate (never overtaking the packet in
// front), and is lost with probability `loss`. A link that is down drops
// everything.
#pragma once

#include <cstdint>

#include "core/time.hpp"

namespace postino::net {

struct LinkParams {
    Duration latency = milliseconds(5);        // one-way propagation, host <-> cloud
    std::uint64_t bandwidth_bps = 100'000'000; // bits per second, each direction
    Duration jitter{};                         // extra delay, uniform in [0, jitter]
    double loss = 0.0;                         // probability a packet is lost on this link
};

// One direction of an access link: its FIFO state.
struct LinkDirection {
    Time busy_until{};    // when the transmitter is free again
    Time last_arrival{};  // FIFO: no packet arrives before the previous one
};

struct AccessLink {
    LinkParams params;
    bool up = true;
    LinkDirection uplink;    // host -> cloud
    LinkDirection downlink;  // cloud -> host

    [[nodiscard]] Duration serialization(std::size_t octets) const {
        if (params.bandwidth_bps == 0) return {};
        return nanoseconds(static_cast<std::int64_t>(
            (static_cast<std::uint64_t>(octets) * 8U * 1'000'000'000U) / params.bandwidth_bps));
    }
};

}  // namespace postino::net
