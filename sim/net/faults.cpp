// faults.cpp — scheduling fault begin/end and applying them to the network.
#include "net/faults.hpp"

#include <memory>

namespace postino::net {
namespace {
template <class... Ts>
struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

const char* kind_of(const FaultSpec& f) {
    return std::visit(Overloaded{[](const HostDown&) { return "host-down"; },
                                 [](const LinkDown&) { return "link-down"; },
                                 [](const LinkChange&) { return "link-change"; },
                                 [](const PortClosed&) { return "port-closed"; },
                                 [](const DnsFault& d) {
                                     switch (d.fault) {
                                         case dns::Fault::NxDomain: return "dns-nxdomain";
                                         case dns::Fault::ServFail: return "dns-servfail";
                                         case dns::Fault::Timeout: return "dns-timeout";
                                         case dns::Fault::None: break;
                                     }
                                     return "dns-none";
                                 }},
                      f);
}

std::string target_of(const FaultSpec& f) {
    return std::visit(Overloaded{[](const HostDown& h) { return h.host; },
                                 [](const LinkDown& l) { return l.host; },
                                 [](const LinkChange& l) { return l.host; },
                                 [](const PortClosed& p) { return p.host + ":" + std::to_string(p.port); },
                                 [](const DnsFault& d) { return d.name; }},
                      f);
}
}  // namespace

std::string describe(const FaultSpec& f) { return std::string(kind_of(f)) + " " + target_of(f); }

std::string FaultInjector::key(const FaultSpec& f) const { return describe(f); }

void FaultInjector::schedule(const FaultSpec& f, Time at, Duration length) {
    auto spec = std::make_shared<FaultSpec>(f);
    net_.scheduler().schedule_at(at, [this, spec, length] {
        begin(*spec);
        if (length != Duration::max()) {
            net_.scheduler().schedule_in(length, [this, spec] { end(*spec); });
        }
    });
}

void FaultInjector::begin(const FaultSpec& f) {
    const std::string k = key(f);
    trace::Event e("fault", "");
    e.set("ev", "begin").set("fault", kind_of(f)).set("target", target_of(f));
    if (const auto* lc = std::get_if<LinkChange>(&f)) {
        e.set("latency_ns", lc->params.latency.ns()).set("loss_ppm", static_cast<std::int64_t>(lc->params.loss * 1e6));
    }
    net_.trace().emit(std::move(e));
    if (depth_[k]++ > 0) return;
    std::visit(Overloaded{[&](const HostDown& h) { net_.set_host_up(h.host, false); },
                          [&](const LinkDown& l) { net_.set_link_up(l.host, false); },
                          [&](const LinkChange& l) {
                              saved_links_[l.host] = net_.host(l.host).link().params;
                              net_.set_link_params(l.host, l.params);
                          },
                          [&](const PortClosed& p) { net_.set_port_closed(p.host, p.port, true); },
                          [&](const DnsFault& d) {
                              if (dns_ != nullptr) dns_->set_fault(d.name, d.fault);
                          }},
               f);
}

void FaultInjector::end(const FaultSpec& f) {
    const std::string k = key(f);
    net_.trace().emit(trace::Event("fault", "").set("ev", "end").set("fault", kind_of(f)).set("target", target_of(f)));
    auto it = depth_.find(k);
    if (it == depth_.end() || it->second == 0) return;
    if (--it->second > 0) return;
    std::visit(Overloaded{[&](const HostDown& h) { net_.set_host_up(h.host, true); },
                          [&](const LinkDown& l) { net_.set_link_up(l.host, true); },
                          [&](const LinkChange& l) {
                              auto s = saved_links_.find(l.host);
                              if (s != saved_links_.end()) net_.set_link_params(l.host, s->second);
                          },
                          [&](const PortClosed& p) { net_.set_port_closed(p.host, p.port, false); },
                          [&](const DnsFault& d) {
                              if (dns_ != nullptr) dns_->set_fault(d.name, dns::Fault::None);
                          }},
               f);
}

}  // namespace postino::net
