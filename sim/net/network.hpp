// network.hpp — the simulated internet: hosts, access links, routing, and the
// fault hooks (docs/network-model.md).
//
// The Network owns every Host. It moves packets over links using the shared
// Scheduler, draws loss and jitter from named RNG streams ("link:<host>"),
// and reports every packet and state change to the trace Recorder. Hosts are
// kept in std::map by name, so iteration order never depends on pointers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "core/trace.hpp"
#include "net/host.hpp"
#include "net/link.hpp"
#include "net/packet.hpp"
#include "net/tcp_config.hpp"

namespace postino::net {

class Network {
public:
    Network(Scheduler& scheduler, trace::Recorder& trace, std::uint64_t seed, TcpConfig tcp = {});
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    // Adds a host with the next free automatic address (or `ip`). Throws
    // std::invalid_argument for a duplicate name or address and
    // std::length_error past kMaxAutomaticHosts.
    Host& add_host(const std::string& name, LinkParams link = {}, std::optional<Ip4> ip = std::nullopt);
    Host* find_host(const std::string& name);
    Host* find_host(Ip4 ip);
    Host& host(const std::string& name);  // throws std::out_of_range if unknown
    [[nodiscard]] const std::map<std::string, std::unique_ptr<Host>>& hosts() const { return hosts_; }

    Scheduler& scheduler() { return scheduler_; }
    trace::Recorder& trace() { return trace_; }
    [[nodiscard]] Time now() const { return scheduler_.now(); }
    [[nodiscard]] std::uint64_t seed() const { return seed_; }
    [[nodiscard]] const TcpConfig& tcp_config() const { return tcp_; }
    Rng& rng(const std::string& stream);  // a named stream of this run

    // --- fault hooks (each traced as a "fault" or "host" event) ---
    void set_host_up(const std::string& name, bool up);   // false: crash, true: restart
    void set_link_up(const std::string& name, bool up);
    void set_link_params(const std::string& name, const LinkParams& params);
    void set_port_closed(const std::string& name, std::uint16_t port, bool closed);

    // Used by hosts: put a packet on the wire. Takes ownership.
    void transmit(Packet p);
    std::uint64_t next_conn_id() { return next_conn_id_++; }

    // Packets sent / delivered / lost so far (for tests and benchmarks).
    struct Counters {
        std::uint64_t sent = 0, delivered = 0, lost = 0;
    };
    [[nodiscard]] const Counters& counters() const { return counters_; }

private:
    // The packet stays parked while it crosses the cloud (nothing there can
    // send, so in_flight_ does not grow under the reference).
    void arrive_at_cloud(std::uint32_t slot, Host* src);
    void deliver(Packet p, Host* src, Host* dst);
    // Packets on the wire wait in a slab so the scheduled events only carry
    // an index (no allocation per packet beyond amortized growth).
    std::uint32_t park(Packet&& p);
    Packet unpark(std::uint32_t slot);
    void release(std::uint32_t slot);
    // `names_stable`: host and peer are hosts' names (PacketRecord::stable_names).
    void trace_packet(const char* ev, const Packet& p, const std::string& host, const std::string& peer,
                      bool names_stable, const char* reason = nullptr);

    Scheduler& scheduler_;
    trace::Recorder& trace_;
    std::uint64_t seed_;
    TcpConfig tcp_;
    std::map<std::string, std::unique_ptr<Host>> hosts_;
    // Looked up for every packet, never iterated (so its order cannot reach
    // a trace): a hash map by address.
    std::unordered_map<std::uint32_t, Host*> by_ip_;
    std::map<std::string, Rng> rngs_;
    std::vector<Packet> in_flight_;
    std::vector<std::uint32_t> free_slots_;
    std::uint64_t next_packet_id_ = 1;
    std::uint64_t next_conn_id_ = 1;
    std::uint32_t next_host_index_ = 0;
    Counters counters_;
};

}  // namespace postino::net
