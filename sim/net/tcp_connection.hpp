// tcp_connection.hpp — one end of a simulated TCP connection (RFC 9293).
//
// What is modelled: the three-way handshake (§3.5), in-order byte delivery in
// MSS-sized segments within a fixed window, a cumulative ACK for every data
// segment (carried by the answer when the application answers at once,
// §3.8.6.3 and RFC 1122 §4.2.3.2; else sent alone at the end of the
// segment's processing, with no delay timer), retransmission on timeout with
// go-back-N and RFC 6298 RTO estimation and backoff (Karn's rule), FIN with half-close
// (§3.6), RST on a segment for no connection, connect timeout after
// `syn_retries`; TIME-WAIT is kept by the host (Host::enter_time_wait). What
// is not: congestion control, SACK, fast retransmit, window scaling — loss
// therefore shows up as delay, never as
// corruption or reordering. See docs/network-model.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/deadline_timer.hpp"
#include "core/scheduler.hpp"
#include "net/ip.hpp"
#include "net/packet.hpp"

namespace postino::net {

class Host;

enum class TcpState : std::uint8_t {
    SynSent, SynReceived, Established, FinWait1, FinWait2, Closing, CloseWait, LastAck, Closed
};
const char* to_string(TcpState s);

// Why a connection ended, as its application sees it.
enum class CloseReason : std::uint8_t {
    Normal,    // both sides closed and every byte was acknowledged
    Refused,   // RST answered our SYN: nothing listens on that port
    Timeout,   // SYN or data retransmitted too often without answer
    Reset,     // the peer sent RST on an established connection
    Aborted,   // this side called abort()
    HostDown,  // this host crashed
};
const char* to_string(CloseReason r);

class TcpConnection : public std::enable_shared_from_this<TcpConnection> {
public:
    // Callbacks for the application. All optional.
    std::function<void()> on_connected;                  // handshake complete (client side)
    std::function<void(std::string_view)> on_data;       // in-order bytes from the peer
    std::function<void()> on_eof;                        // the peer sent FIN (half-close)
    std::function<void(CloseReason)> on_closed;          // final; no callback after this

    TcpConnection(Host& host, std::uint64_t id, std::uint16_t local_port, Ip4 remote, std::uint16_t remote_port);
    ~TcpConnection();
    TcpConnection(const TcpConnection&) = delete;
    TcpConnection& operator=(const TcpConnection&) = delete;

    // Queues bytes to send; returns false (and queues nothing) if the
    // connection cannot send any more or the send buffer limit is reached.
    bool send(std::string_view bytes);
    // Half-close: FIN after every queued byte has been sent.
    void shutdown();
    // Same as shutdown(): the application will not send more. Incoming data
    // is still delivered until the peer closes too.
    void close() { shutdown(); }
    // Sends RST and drops the connection at once.
    void abort();

    [[nodiscard]] std::uint64_t id() const { return id_; }
    [[nodiscard]] TcpState state() const { return state_; }
    [[nodiscard]] bool established() const { return state_ == TcpState::Established || state_ == TcpState::CloseWait; }
    [[nodiscard]] std::uint16_t local_port() const { return local_port_; }
    [[nodiscard]] Ip4 remote() const { return remote_; }
    [[nodiscard]] std::uint16_t remote_port() const { return remote_port_; }
    [[nodiscard]] std::size_t unsent_or_unacked() const { return send_buf_.size() - buf_off_; }
    Host& host() { return host_; }
    [[nodiscard]] const std::string& host_name() const;
    [[nodiscard]] const std::string& peer_name() const;
    // The peer is a simulated host, so peer_name() is its name, unchanged
    // for the whole run (trace records' stable_names).
    [[nodiscard]] bool peer_is_host() const { return peer_host_ != nullptr; }

    // Used by Host.
    void start_active_open();
    void start_passive_open(const Packet& syn);
    void receive(const Packet& p);
    void host_crashed();

private:
    void send_segment(std::uint8_t flags, std::uint64_t seq, std::string payload, bool retransmit = false);
    void send_ack();
    void pump();  // send what the window allows
    void arm_timer();
    void arm_fin_wait2_timer();
    void on_rto();
    void handle_ack(std::uint64_t ack);
    void finish(CloseReason reason);
    void trace_tcp(const char* ev, const char* reason = nullptr);
    [[nodiscard]] bool fin_acked() const { return fin_sent_ && snd_una_ > fin_seq_; }

    Host& host_;
    std::uint64_t id_;
    std::uint16_t local_port_;
    Ip4 remote_;
    std::uint16_t remote_port_;
    const Host* peer_host_ = nullptr;  // the host at remote_, when there is one
    std::string peer_name_;            // else its address
    TcpState state_ = TcpState::Closed;
    bool passive_ = false;

    // Send side. send_buf_ from buf_off_ on holds unacknowledged, then unsent, octets.
    std::uint64_t iss_ = 0, snd_una_ = 0, snd_nxt_ = 0;
    std::size_t buf_off_ = 0;     // octets at the front of send_buf_ already acknowledged
    std::uint64_t buf_seq_ = 0;   // sequence number of send_buf_[buf_off_]
    std::uint64_t max_sent_ = 0;  // highest sequence number sent so far (exclusive)
    std::string send_buf_;
    bool fin_queued_ = false, fin_sent_ = false;
    std::uint64_t fin_seq_ = 0;

    // Receive side.
    std::uint64_t rcv_nxt_ = 0;
    bool fin_received_ = false;
    bool ack_owed_ = false;  // rcv_nxt_ moved and no segment has carried it yet

    // Retransmission (RFC 6298).
    DeadlineTimer rto_timer_;
    EventId fin_wait2_timer_;
    bool fin_wait2_expired_ = false;  // closed by the FIN-WAIT-2 timeout
    Duration rto_;
    Duration srtt_{}, rttvar_{};
    bool have_rtt_ = false;
    int retries_ = 0;
    bool timing_ = false;           // an RTT sample is in flight
    std::uint64_t timed_seq_ = 0;   // its ending sequence number
    Time timed_at_{};
    std::shared_ptr<void> graveyard_;  // callbacks of a finished connection, destroyed one event later
};

}  // namespace postino::net
