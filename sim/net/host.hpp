// host.hpp — a simulated host: a name, an address, an access link, a TCP
// stack (listeners and connections) and UDP sockets.
//
// Applications use the small interface here: listen/connect for streams,
// udp_bind/udp_send for datagrams, and on_down/on_up to hear about crashes
// and restarts. A crash (set_host_up false) silently destroys every
// connection of the host — the peer notices only by timeout or by the RST the
// restarted host answers with — and tells local applications through their
// connections' on_closed(HostDown) and the host's on_down callbacks.
// Listeners and UDP bindings survive a restart, as if services start at boot.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/rng.hpp"
#include "net/ip.hpp"
#include "net/link.hpp"
#include "net/packet.hpp"
#include "net/tcp_connection.hpp"

namespace postino::net {

class Network;

class Host {
public:
    using AcceptHandler = std::function<void(std::shared_ptr<TcpConnection>)>;
    using DatagramHandler = std::function<void(Ip4 from, std::uint16_t from_port, std::string_view payload)>;

    Host(Network& net, std::string name, Ip4 ip, LinkParams link);
    Host(const Host&) = delete;
    Host& operator=(const Host&) = delete;

    [[nodiscard]] const std::string& name() const { return name_; }
    [[nodiscard]] Ip4 ip() const { return ip_; }
    [[nodiscard]] bool up() const { return up_; }
    Network& network() { return net_; }
    AccessLink& link() { return link_; }
    Rng& link_rng() { return link_rng_; }  // stream "link:<name>": loss and jitter draws

    // --- TCP ---
    // Accepts connections on `port`; the handler runs when a handshake completes.
    void listen(std::uint16_t port, AcceptHandler on_accept);
    void unlisten(std::uint16_t port);
    [[nodiscard]] bool port_closed(std::uint16_t port) const { return closed_ports_.count(port) != 0; }
    // Opens a connection (sends SYN now). Set the connection's callbacks right
    // away; none runs before the current event returns.
    std::shared_ptr<TcpConnection> connect(Ip4 dst, std::uint16_t port);
    [[nodiscard]] std::size_t open_connections() const { return conns_.size(); }

    // --- UDP ---
    void udp_bind(std::uint16_t port, DatagramHandler handler);
    void udp_unbind(std::uint16_t port);
    void udp_send(std::uint16_t sport, Ip4 dst, std::uint16_t dport, std::string payload);
    std::uint16_t ephemeral_port();

    // --- crash and restart notifications for applications on this host ---
    // Each returns a token for remove_watch(); callbacks run in registration order.
    std::uint64_t on_down(std::function<void()> cb);
    std::uint64_t on_up(std::function<void()> cb);
    void remove_watch(std::uint64_t token);

    // Used by the Network.
    void receive(const Packet& p);
    void set_up(bool up);
    void set_port_closed(std::uint16_t port, bool closed);
    void forget(TcpConnection& c);  // a connection reached CLOSED
    void accepted(const std::shared_ptr<TcpConnection>& c);  // a passive open completed
    // RFC 9293 §3.6: after an active close the port pair lingers in TIME-WAIT,
    // re-acknowledging a retransmitted FIN instead of answering it with RST.
    void enter_time_wait(const TcpConnection& c, std::uint64_t seq, std::uint64_t ack);

private:
    using ConnKey = std::tuple<std::uint16_t, Ip4, std::uint16_t>;  // local port, remote ip, remote port
    void receive_tcp(const Packet& p);
    void receive_udp(const Packet& p);
    void send_rst_for(const Packet& in);

    Network& net_;
    std::string name_;
    Ip4 ip_;
    AccessLink link_;
    Rng link_rng_;
    bool up_ = true;
    std::map<std::uint16_t, AcceptHandler> listeners_;
    std::set<std::uint16_t> closed_ports_;
    std::map<ConnKey, std::shared_ptr<TcpConnection>> conns_;
    struct TimeWait {
        std::uint64_t conn, seq, ack;
        Time until;
    };
    std::map<ConnKey, TimeWait> time_wait_;
    // The same entries in the order they expire (TIME-WAIT lasts the same for
    // all, so that is the order they began): expired ones are dropped from
    // the front, without scanning the map.
    std::deque<std::pair<Time, ConnKey>> time_wait_order_;
    std::map<std::uint16_t, DatagramHandler> udp_;
    std::uint16_t next_ephemeral_ = 49152;  // RFC 6335 §6 dynamic ports
    std::map<std::uint64_t, std::function<void()>> down_cbs_, up_cbs_;
    std::uint64_t next_watch_ = 1;

    friend class TcpConnection;
};

}  // namespace postino::net
