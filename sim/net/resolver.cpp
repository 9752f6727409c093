// resolver.cpp — stub resolver over simulated UDP with timeout and retry.
#include "net/resolver.hpp"

#include <algorithm>

#include "net/dns_server.hpp"
#include "net/network.hpp"

namespace postino::net::dns {

const char* to_string(Answer::Status s) {
    switch (s) {
        case Answer::Status::Ok: return "ok";
        case Answer::Status::NoData: return "nodata";
        case Answer::Status::NxDomain: return "nxdomain";
        case Answer::Status::ServFail: return "servfail";
        case Answer::Status::Timeout: return "timeout";
    }
    return "?";
}

Resolver::Resolver(Host& host, Ip4 server, ResolverConfig config)
    : host_(host), server_(server), config_(config), rng_(Rng::stream(host.network().seed(), "dns:" + host.name())) {
    down_watch_ = host_.on_down([this] {
        // A crashed host forgets its outstanding queries; nobody is waiting any more.
        for (auto& [id, p] : pending_) {
            host_.network().scheduler().cancel(p.timer);
            host_.udp_unbind(p.port);
        }
        pending_.clear();
    });
}

Resolver::~Resolver() {
    host_.remove_watch(down_watch_);
    for (auto& [id, p] : pending_) host_.udp_unbind(p.port);
}

void Resolver::trace(const char* ev, const Pending& p, std::uint16_t id, const std::string& answer) {
    Network& net = host_.network();
    Host* server = net.find_host(server_);
    trace::Event e("dns", host_.name(), server != nullptr ? server->name() : server_.str());
    e.set("ev", ev).set("name", p.name).set("type", to_string(p.type)).set("id", int{id});
    if (p.attempt > 1) e.set("attempt", p.attempt);
    if (!answer.empty()) e.set("answer", answer);
    net.trace().emit(std::move(e));
}

void Resolver::query(const std::string& name, RrType type, Callback cb) {
    std::uint16_t id;
    do {
        id = static_cast<std::uint16_t>(rng_.uniform_int(0, 65535));
    } while (pending_.count(id) != 0);
    std::uint16_t port;
    do {
        port = static_cast<std::uint16_t>(rng_.uniform_int(49152, 65535));
    } while (std::any_of(pending_.begin(), pending_.end(), [&](const auto& kv) { return kv.second.port == port; }));
    pending_[id] = Pending{canonical_name(name), type, port, 0, EventId{}, std::move(cb)};
    host_.udp_bind(port, [this, port](Ip4, std::uint16_t, std::string_view wire) { on_reply(port, wire); });
    send(id);
}

void Resolver::send(std::uint16_t id) {
    Pending& p = pending_.at(id);
    ++p.attempt;
    trace(p.attempt == 1 ? "query" : "retry", p, id);
    Message m;
    m.id = id;
    m.qname = p.name;
    m.qtype = p.type;
    host_.udp_send(p.port, server_, kDnsPort, encode(m));
    p.timer = host_.network().scheduler().schedule_in(config_.timeout, [this, id] { on_timeout(id); });
}

void Resolver::on_timeout(std::uint16_t id) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    if (it->second.attempt >= config_.attempts) {
        trace("timeout", it->second, id);
        complete(id, Answer{Answer::Status::Timeout, {}});
        return;
    }
    send(id);
}

void Resolver::on_reply(std::uint16_t port, std::string_view wire) {
    auto m = decode(wire);
    if (!m || !m->response) return;  // not an answer: ignore, the timer will retry
    auto it = pending_.find(m->id);
    // RFC 5452 §9.1: accept only a reply matching id, port and question.
    if (it == pending_.end() || it->second.port != port || canonical_name(m->qname) != it->second.name ||
        m->qtype != it->second.type) {
        return;
    }
    Answer a;
    a.records = m->answers;
    switch (m->rcode) {
        case Rcode::NoError: a.status = a.records.empty() ? Answer::Status::NoData : Answer::Status::Ok; break;
        case Rcode::NxDomain: a.status = Answer::Status::NxDomain; break;
        default: a.status = Answer::Status::ServFail; break;
    }
    std::string text;
    for (const Record& r : a.records) {
        if (!text.empty()) text += ", ";
        text += r.rdata_text();
    }
    const char* ev = a.status == Answer::Status::Ok       ? "answer"
                     : a.status == Answer::Status::NoData ? "nodata"
                     : a.status == Answer::Status::NxDomain ? "nxdomain"
                                                            : "servfail";
    trace(ev, it->second, m->id, text);
    complete(m->id, a);
}

void Resolver::complete(std::uint16_t id, const Answer& a) {
    auto it = pending_.find(id);
    if (it == pending_.end()) return;
    Pending p = std::move(it->second);
    pending_.erase(it);
    host_.network().scheduler().cancel(p.timer);
    host_.udp_unbind(p.port);
    if (p.cb) p.cb(a);
}

}  // namespace postino::net::dns
