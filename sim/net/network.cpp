// network.cpp — routing packets over access links through the cloud.
#include "net/network.hpp"

#include <iterator>
#include <stdexcept>
#include <string>

namespace postino::net {
namespace {
// RFC 5737 documentation ranges, used first and in order for automatically
// numbered hosts: .1 to .253 of each (the numbering of every existing trace).
constexpr std::uint32_t kDocRanges[] = {0xC0000200u, 0xC6336400u, 0xCB007100u};  // 192.0.2/24, 198.51.100/24, 203.0.113/24
constexpr std::uint32_t kDocHostsPerRange = 253;
constexpr std::uint32_t kDocHosts = kDocHostsPerRange * std::size(kDocRanges);
// Then RFC 2544 §C.2.2's benchmarking network 198.18.0.0/15 (also reserved,
// RFC 6890 §2.2.2): its 512 /24 blocks, .1 to .254 of each.
constexpr std::uint32_t kBenchNetwork = 0xC6120000u;  // 198.18.0.0
constexpr std::uint32_t kBenchBlocks = 512;
constexpr std::uint32_t kBenchHostsPerBlock = 254;
static_assert(kMaxAutomaticHosts == kDocHosts + kBenchBlocks * kBenchHostsPerBlock);

// The address of the `index`-th automatically numbered host.
Ip4 automatic_address(std::uint32_t index) {
    if (index < kDocHosts) return Ip4{kDocRanges[index / kDocHostsPerRange] + 1 + index % kDocHostsPerRange};
    const std::uint32_t k = index - kDocHosts;
    return Ip4{kBenchNetwork + ((k / kBenchHostsPerBlock) << 8) + 1 + k % kBenchHostsPerBlock};
}
}  // namespace

Network::Network(Scheduler& scheduler, trace::Recorder& trace, std::uint64_t seed, TcpConfig tcp)
    : scheduler_(scheduler), trace_(trace), seed_(seed), tcp_(tcp) {}

Network::~Network() = default;

Rng& Network::rng(const std::string& stream) {
    auto it = rngs_.find(stream);
    if (it == rngs_.end()) it = rngs_.emplace(stream, Rng::stream(seed_, stream)).first;
    return it->second;
}

Host& Network::add_host(const std::string& name, LinkParams link, std::optional<Ip4> ip) {
    if (hosts_.count(name) != 0) throw std::invalid_argument("duplicate host name: " + name);
    Ip4 addr;
    if (ip) {
        addr = *ip;
    } else {
        do {
            if (next_host_index_ >= kMaxAutomaticHosts) {
                throw std::length_error("cannot add host " + name + ": the simulated network numbers at most " +
                                        std::to_string(kMaxAutomaticHosts) +
                                        " hosts (RFC 5737 and RFC 2544 ranges, docs/network-model.md)");
            }
            addr = automatic_address(next_host_index_++);
        } while (by_ip_.count(addr.value) != 0);
    }
    if (by_ip_.count(addr.value) != 0) throw std::invalid_argument("address " + addr.str() + " already used");
    auto h = std::make_unique<Host>(*this, name, addr, link);
    Host& ref = *h;
    by_ip_[addr.value] = &ref;
    hosts_.emplace(name, std::move(h));
    return ref;
}

Host* Network::find_host(const std::string& name) {
    auto it = hosts_.find(name);
    return it == hosts_.end() ? nullptr : it->second.get();
}

Host* Network::find_host(Ip4 ip) {
    auto it = by_ip_.find(ip.value);
    return it == by_ip_.end() ? nullptr : it->second;
}

Host& Network::host(const std::string& name) {
    Host* h = find_host(name);
    if (h == nullptr) throw std::out_of_range("unknown host: " + name);
    return *h;
}

void Network::trace_packet(const char* ev, const Packet& p, const std::string& host, const std::string& peer,
                           bool names_stable, const char* reason) {
    trace::PacketRecord r;
    r.stable_names = names_stable;  // ev is a literal, flags come from flags_view()'s table
    r.tcp = p.transport == Transport::Tcp;
    r.host = host;
    r.peer = peer;
    r.conn = p.conn;
    r.ev = ev;
    r.id = p.id;
    r.len = p.payload.size();
    r.sport = p.sport;
    r.dport = p.dport;
    r.reason = reason;
    if (r.tcp) {
        r.flags = flags_view(p.flags);
        r.seqno = p.seq;
        r.ackno = p.ack;
        r.retransmit = p.retransmit;
    } else {
        r.bytes = p.payload;
    }
    trace_.emit_packet(r);
}

namespace {
// The name a packet's trace events give an address: its host's, or the
// address itself when no host has it (`text` holds that one).
const std::string& name_of(const Host* h, Ip4 ip, std::string& text) {
    if (h != nullptr) return h->name();
    text = ip.str();
    return text;
}

// Advances one FIFO link direction and returns the arrival time at its far end.
Time cross(AccessLink& link, LinkDirection& dir, Rng& rng, Time now, std::size_t octets) {
    const Time start = std::max(now, dir.busy_until);
    dir.busy_until = start + link.serialization(octets);
    Duration jitter{};
    if (link.params.jitter > Duration{}) jitter = nanoseconds(rng.uniform_int(0, link.params.jitter.ns()));
    Time arrival = dir.busy_until + link.params.latency + jitter;
    if (arrival < dir.last_arrival) arrival = dir.last_arrival;  // FIFO: no overtaking
    dir.last_arrival = arrival;
    return arrival;
}
}  // namespace

void Network::transmit(Packet p) {
    Host* src = find_host(p.src);
    if (src == nullptr || !src->up()) return;  // a down host sends nothing
    p.id = next_packet_id_++;
    ++counters_.sent;
    const Host* dst = find_host(p.dst);
    std::string dst_text;
    const std::string& dst_name = name_of(dst, p.dst, dst_text);
    trace_packet("send", p, src->name(), dst_name, dst != nullptr);
    AccessLink& link = src->link();
    if (!link.up) {
        ++counters_.lost;
        trace_packet("lost", p, src->name(), dst_name, dst != nullptr, ("link of " + src->name() + " is down").c_str());
        return;
    }
    const Time at = cross(link, link.uplink, src->link_rng(), now(), p.wire_octets());
    const std::uint32_t slot = park(std::move(p));
    scheduler_.schedule_at(at, [this, slot, src] { arrive_at_cloud(slot, src); });
}

void Network::arrive_at_cloud(std::uint32_t slot, Host* src) {
    const Packet& p = in_flight_[slot];
    Host* dst = find_host(p.dst);
    std::string dst_text;
    const std::string& dst_name = name_of(dst, p.dst, dst_text);
    auto lose = [&](const std::string& why) {
        ++counters_.lost;
        trace_packet("lost", p, src->name(), dst_name, dst != nullptr, why.c_str());
        release(slot);
    };
    if (!src->link().up) return lose("link of " + src->name() + " went down");
    if (src->link_rng().bernoulli(src->link().params.loss)) return lose("lost on the link of " + src->name());
    if (dst == nullptr) return lose("no route to " + p.dst.str());
    AccessLink& link = dst->link();
    if (!link.up) return lose("link of " + dst->name() + " is down");
    const Time at = cross(link, link.downlink, dst->link_rng(), now(), p.wire_octets());
    scheduler_.schedule_at(at, [this, slot, src, dst] { deliver(unpark(slot), src, dst); });
}

void Network::deliver(Packet p, Host* src, Host* dst) {
    auto lose = [&](const std::string& why) {
        ++counters_.lost;
        trace_packet("lost", p, src->name(), dst->name(), true, why.c_str());
    };
    if (!dst->link().up) return lose("link of " + dst->name() + " went down");
    if (dst->link_rng().bernoulli(dst->link().params.loss)) return lose("lost on the link of " + dst->name());
    if (!dst->up()) return lose(dst->name() + " is down");
    ++counters_.delivered;
    trace_packet("recv", p, dst->name(), src->name(), true);
    dst->receive(p);
}

std::uint32_t Network::park(Packet&& p) {
    if (!free_slots_.empty()) {
        const std::uint32_t slot = free_slots_.back();
        free_slots_.pop_back();
        in_flight_[slot] = std::move(p);
        return slot;
    }
    in_flight_.push_back(std::move(p));
    return static_cast<std::uint32_t>(in_flight_.size() - 1);
}

Packet Network::unpark(std::uint32_t slot) {
    Packet p = std::move(in_flight_[slot]);
    release(slot);
    return p;
}

void Network::release(std::uint32_t slot) {
    in_flight_[slot].payload.clear();
    free_slots_.push_back(slot);
}

void Network::set_host_up(const std::string& name, bool up) {
    Host& h = host(name);
    if (h.up() == up) return;
    trace_.emit(trace::Event("host", name).set("ev", up ? "up" : "down"));
    h.set_up(up);
}

void Network::set_link_up(const std::string& name, bool up) { host(name).link().up = up; }

void Network::set_link_params(const std::string& name, const LinkParams& params) { host(name).link().params = params; }

void Network::set_port_closed(const std::string& name, std::uint16_t port, bool closed) {
    host(name).set_port_closed(port, closed);
}

}  // namespace postino::net
