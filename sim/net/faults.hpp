// faults.hpp — injecting network faults at a time, for a duration.
//
// Each fault is traced as a "fault" event when it begins and when it ends,
// so a trace shows cause next to effect. Overlapping faults of the same kind
// on the same target nest: the target recovers when the last one ends.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "core/time.hpp"
#include "net/dns_server.hpp"
#include "net/link.hpp"
#include "net/network.hpp"

namespace postino::net {

struct HostDown { std::string host; };                       // crash, then restart
struct LinkDown { std::string host; };                       // the host's access link
struct LinkChange { std::string host; LinkParams params; };  // new latency/loss/... for a while
struct PortClosed { std::string host; std::uint16_t port; }; // RST instead of accept
struct DnsFault { std::string name; dns::Fault fault; };     // at the network's DNS server

using FaultSpec = std::variant<HostDown, LinkDown, LinkChange, PortClosed, DnsFault>;

std::string describe(const FaultSpec& f);  // "host-down mx.b.example"

class FaultInjector {
public:
    FaultInjector(Network& net, dns::Server* dns = nullptr) : net_(net), dns_(dns) {}

    // Begins `f` at `at`; ends it after `length` (Duration::max(): never).
    void schedule(const FaultSpec& f, Time at, Duration length);
    void begin(const FaultSpec& f);
    void end(const FaultSpec& f);

private:
    std::string key(const FaultSpec& f) const;

    Network& net_;
    dns::Server* dns_;
    std::map<std::string, int> depth_;               // nesting per kind+target
    std::map<std::string, LinkParams> saved_links_;  // parameters to restore
};

}  // namespace postino::net
