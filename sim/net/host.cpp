// host.cpp — demultiplexing packets to connections, listeners and UDP sockets.
#include "net/host.hpp"

#include "net/network.hpp"

namespace postino::net {

Host::Host(Network& net, std::string name, Ip4 ip, LinkParams link)
    : net_(net), name_(std::move(name)), ip_(ip), link_{link, true, {}, {}},
      link_rng_(Rng::stream(net.seed(), "link:" + name_)) {}

void Host::listen(std::uint16_t port, AcceptHandler on_accept) { listeners_[port] = std::move(on_accept); }

void Host::unlisten(std::uint16_t port) { listeners_.erase(port); }

void Host::set_port_closed(std::uint16_t port, bool closed) {
    if (closed) closed_ports_.insert(port);
    else closed_ports_.erase(port);
}

std::uint16_t Host::ephemeral_port() {
    // Skip ports still used by a connection to any peer (simple and deterministic).
    for (int tries = 0; tries < 16384; ++tries) {
        const std::uint16_t p = next_ephemeral_;
        next_ephemeral_ = next_ephemeral_ == 65535 ? 49152 : static_cast<std::uint16_t>(next_ephemeral_ + 1);
        bool used = udp_.count(p) != 0;
        for (const auto& [key, c] : conns_) {
            if (std::get<0>(key) == p) { used = true; break; }
        }
        if (!used) return p;
    }
    return next_ephemeral_;
}

std::shared_ptr<TcpConnection> Host::connect(Ip4 dst, std::uint16_t port) {
    const std::uint16_t local = ephemeral_port();
    auto c = std::make_shared<TcpConnection>(*this, net_.next_conn_id(), local, dst, port);
    conns_[ConnKey{local, dst, port}] = c;
    c->start_active_open();
    return c;
}

void Host::forget(TcpConnection& c) {
    auto it = conns_.find(ConnKey{c.local_port(), c.remote(), c.remote_port()});
    if (it != conns_.end() && it->second.get() == &c) conns_.erase(it);
}

void Host::udp_bind(std::uint16_t port, DatagramHandler handler) { udp_[port] = std::move(handler); }

void Host::udp_unbind(std::uint16_t port) { udp_.erase(port); }

void Host::udp_send(std::uint16_t sport, Ip4 dst, std::uint16_t dport, std::string payload) {
    Packet p;
    p.transport = Transport::Udp;
    p.src = ip_;
    p.dst = dst;
    p.sport = sport;
    p.dport = dport;
    p.payload = std::move(payload);
    net_.transmit(std::move(p));
}

void Host::receive(const Packet& p) {
    if (p.transport == Transport::Tcp) receive_tcp(p);
    else receive_udp(p);
}

void Host::receive_udp(const Packet& p) {
    auto it = udp_.find(p.dport);
    if (it == udp_.end()) return;  // no ICMP in this model: the datagram is dropped
    auto handler = it->second;     // copy: the handler may unbind itself
    handler(p.src, p.sport, p.payload);
}

void Host::receive_tcp(const Packet& p) {
    auto it = conns_.find(ConnKey{p.dport, p.src, p.sport});
    if (it != conns_.end()) {
        auto c = it->second;  // keep alive while it handles the packet
        c->receive(p);
        return;
    }
    if ((p.flags & tcp_flag::kRst) != 0) return;  // never answer a RST (RFC 9293 §3.10.7.1)
    if (auto tw = time_wait_.find(ConnKey{p.dport, p.src, p.sport}); tw != time_wait_.end()) {
        if (net_.now() < tw->second.until) {
            if ((p.flags & tcp_flag::kFin) != 0) {
                Packet ack;
                ack.transport = Transport::Tcp;
                ack.conn = tw->second.conn;
                ack.src = ip_;
                ack.dst = p.src;
                ack.sport = p.dport;
                ack.dport = p.sport;
                ack.flags = tcp_flag::kAck;
                ack.seq = tw->second.seq;
                ack.ack = tw->second.ack;
                net_.transmit(std::move(ack));
            }
            return;
        }
        time_wait_.erase(tw);
    }
    const bool is_syn = (p.flags & tcp_flag::kSyn) != 0 && (p.flags & tcp_flag::kAck) == 0;
    if (is_syn && listeners_.count(p.dport) != 0 && !port_closed(p.dport)) {
        auto c = std::make_shared<TcpConnection>(*this, p.conn, p.dport, p.src, p.sport);
        conns_[ConnKey{p.dport, p.src, p.sport}] = c;
        c->start_passive_open(p);
        return;
    }
    send_rst_for(p);
}

void Host::send_rst_for(const Packet& in) {
    // RFC 9293 §3.10.7.1: a segment for a connection that does not exist gets a reset.
    Packet r;
    r.transport = Transport::Tcp;
    r.conn = in.conn;
    r.src = ip_;
    r.dst = in.src;
    r.sport = in.dport;
    r.dport = in.sport;
    if ((in.flags & tcp_flag::kAck) != 0) {
        r.flags = tcp_flag::kRst;
        r.seq = in.ack;
    } else {
        r.flags = tcp_flag::kRst | tcp_flag::kAck;
        r.seq = 0;
        r.ack = in.seq + in.payload.size() + ((in.flags & tcp_flag::kSyn) != 0 ? 1 : 0) +
                ((in.flags & tcp_flag::kFin) != 0 ? 1 : 0);
    }
    net_.transmit(std::move(r));
}

void Host::set_up(bool up) {
    if (up == up_) return;
    up_ = up;
    if (!up) {
        auto dying = std::move(conns_);
        conns_.clear();
        time_wait_.clear();
        time_wait_order_.clear();
        for (auto& [key, c] : dying) c->host_crashed();
        auto cbs = down_cbs_;
        for (auto& [token, cb] : cbs) cb();
    } else {
        auto cbs = up_cbs_;
        for (auto& [token, cb] : cbs) cb();
    }
}

void Host::enter_time_wait(const TcpConnection& c, std::uint64_t seq, std::uint64_t ack) {
    const Time until = net_.now() + net_.tcp_config().time_wait;
    const ConnKey key{c.local_port(), c.remote(), c.remote_port()};
    time_wait_[key] = TimeWait{c.id(), seq, ack, until};
    time_wait_order_.emplace_back(until, key);
    // Expired entries are dropped lazily on lookup and here, oldest first.
    // An entry of the order whose key has since begun a newer TIME-WAIT (or
    // was dropped on lookup) is skipped.
    while (!time_wait_order_.empty() && time_wait_order_.front().first <= net_.now()) {
        const auto& [at, k] = time_wait_order_.front();
        if (auto it = time_wait_.find(k); it != time_wait_.end() && it->second.until == at) time_wait_.erase(it);
        time_wait_order_.pop_front();
    }
}

std::uint64_t Host::on_down(std::function<void()> cb) {
    down_cbs_[next_watch_] = std::move(cb);
    return next_watch_++;
}

std::uint64_t Host::on_up(std::function<void()> cb) {
    up_cbs_[next_watch_] = std::move(cb);
    return next_watch_++;
}

void Host::remove_watch(std::uint64_t token) {
    down_cbs_.erase(token);
    up_cbs_.erase(token);
}

void Host::accepted(const std::shared_ptr<TcpConnection>& c) {
    auto it = listeners_.find(c->local_port());
    if (it == listeners_.end() || port_closed(c->local_port())) {
        c->abort();
        return;
    }
    auto handler = it->second;
    handler(c);
}

}  // namespace postino::net
