// filter.hpp — which events the views show: by protocol category, by host,
// and whether TCP segments are folded away. The player's "step" moves between
// shown events; hidden ones are still applied to the state.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "model/trace_model.hpp"

namespace postino::viz {

struct Filter {
    std::array<bool, kCatCount> cats{};
    std::vector<bool> hidden_hosts;  // by host id; missing means shown
    bool fold_tcp = false;           // hide TCP segments (connection events stay)

    Filter() { cats.fill(true); }
    bool operator==(const Filter&) const = default;

    [[nodiscard]] bool shows_cat(Cat c) const { return cats[static_cast<std::size_t>(c)]; }
    [[nodiscard]] bool shows_host(std::uint32_t id) const {
        return id == 0 || id >= hidden_hosts.size() || !hidden_hosts[id];
    }
    void set_host(std::uint32_t id, bool shown) {
        if (hidden_hosts.size() <= id) hidden_hosts.resize(id + 1, false);
        hidden_hosts[id] = !shown;
    }
    [[nodiscard]] bool visible(const TraceModel& m, std::uint32_t i) const {
        const Ev& v = m.ev(i);
        if (!shows_cat(v.cat)) return false;
        if (fold_tcp && v.kind == Kind::segment) return false;
        return shows_host(v.host) && shows_host(v.peer);
    }
    [[nodiscard]] bool any_hidden() const {
        for (bool c : cats) {
            if (!c) return true;
        }
        for (bool h : hidden_hosts) {
            if (h) return true;
        }
        return fold_tcp;
    }
};

}  // namespace postino::viz
