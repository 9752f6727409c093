// dns_server.cpp — answering queries from the zone, with injected faults.
#include "net/dns_server.hpp"

#include "net/network.hpp"

namespace postino::net::dns {

const char* to_string(Fault f) {
    switch (f) {
        case Fault::None: return "none";
        case Fault::NxDomain: return "nxdomain";
        case Fault::ServFail: return "servfail";
        case Fault::Timeout: return "timeout";
    }
    return "?";
}

Server::Server(Host& host, Zone zone) : host_(host), zone_(std::move(zone)) {
    host_.udp_bind(kDnsPort, [this](Ip4 from, std::uint16_t port, std::string_view wire) { on_query(from, port, wire); });
}

Server::~Server() { host_.udp_unbind(kDnsPort); }

void Server::set_fault(const std::string& name, Fault f) {
    const std::string key = name == "*" ? name : canonical_name(name);
    if (f == Fault::None) faults_.erase(key);
    else faults_[key] = f;
}

Fault Server::fault_for(const std::string& name) const {
    auto it = faults_.find(canonical_name(name));
    if (it != faults_.end()) return it->second;
    it = faults_.find("*");
    return it != faults_.end() ? it->second : Fault::None;
}

void Server::on_query(Ip4 from, std::uint16_t port, std::string_view wire) {
    Network& net = host_.network();
    Host* client = net.find_host(from);
    const std::string peer = client != nullptr ? client->name() : from.str();
    auto q = decode(wire);
    if (!q || q->response) {
        net.trace().emit(trace::Event("dns", host_.name(), peer)
                             .set("ev", "malformed")
                             .set("name", "")
                             .set("type", "")
                             .set("reason", q ? std::string("a response sent to the server") : q.error().message()));
        return;
    }
    Message reply;
    reply.id = q->id;
    reply.response = true;
    reply.authoritative = true;
    reply.recursion_desired = q->recursion_desired;
    reply.qname = q->qname;
    reply.qtype = q->qtype;
    const Fault fault = fault_for(q->qname);
    if (fault == Fault::Timeout) {
        net.trace().emit(trace::Event("dns", host_.name(), peer)
                             .set("ev", "ignored")
                             .set("name", q->qname)
                             .set("type", to_string(q->qtype))
                             .set("id", int{q->id})
                             .set("reason", "fault: timeout"));
        return;
    }
    if (fault == Fault::NxDomain) {
        reply.rcode = Rcode::NxDomain;
    } else if (fault == Fault::ServFail) {
        reply.rcode = Rcode::ServFail;
    } else if (const NameRecords* recs = zone_.find(q->qname); recs == nullptr) {
        reply.rcode = Rcode::NxDomain;
    } else if (q->qtype == RrType::A) {
        for (Ip4 ip : recs->a) {
            Record r;
            r.name = q->qname;
            r.type = RrType::A;
            r.a = ip;
            reply.answers.push_back(r);
        }
    } else {
        for (const MxEntry& mx : recs->mx) {
            Record r;
            r.name = q->qname;
            r.type = RrType::MX;
            r.preference = mx.preference;
            r.exchange = mx.host;
            reply.answers.push_back(r);
        }
    }
    host_.udp_send(kDnsPort, from, port, encode(reply));
}

}  // namespace postino::net::dns
