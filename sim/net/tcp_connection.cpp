// tcp_connection.cpp — the simulated TCP state machine (RFC 9293 §3.5–§3.10,
// retransmission timer per RFC 6298). Scope and simplifications are listed in
// tcp_connection.hpp and docs/network-model.md.
#include "net/tcp_connection.hpp"

#include <algorithm>

#include "net/host.hpp"
#include "net/network.hpp"

namespace postino::net {

const char* to_string(TcpState s) {
    switch (s) {
        case TcpState::SynSent: return "SYN-SENT";
        case TcpState::SynReceived: return "SYN-RECEIVED";
        case TcpState::Established: return "ESTABLISHED";
        case TcpState::FinWait1: return "FIN-WAIT-1";
        case TcpState::FinWait2: return "FIN-WAIT-2";
        case TcpState::Closing: return "CLOSING";
        case TcpState::CloseWait: return "CLOSE-WAIT";
        case TcpState::LastAck: return "LAST-ACK";
        case TcpState::Closed: return "CLOSED";
    }
    return "?";
}

const char* to_string(CloseReason r) {
    switch (r) {
        case CloseReason::Normal: return "closed";
        case CloseReason::Refused: return "connection refused";
        case CloseReason::Timeout: return "connection timed out";
        case CloseReason::Reset: return "connection reset by peer";
        case CloseReason::Aborted: return "connection aborted";
        case CloseReason::HostDown: return "host down";
    }
    return "?";
}

TcpConnection::TcpConnection(Host& host, std::uint64_t id, std::uint16_t local_port, Ip4 remote,
                             std::uint16_t remote_port)
    : host_(host), id_(id), local_port_(local_port), remote_(remote), remote_port_(remote_port),
      rto_(host.network().tcp_config().initial_rto) {
    peer_host_ = host.network().find_host(remote);
    if (peer_host_ == nullptr) peer_name_ = remote.str();
}

// Timers hold only a weak_ptr, so a pending timer of a destroyed connection
// does nothing; the destructor must not touch the scheduler, which may be
// mid-destruction itself.
TcpConnection::~TcpConnection() = default;

const std::string& TcpConnection::host_name() const { return host_.name(); }

const std::string& TcpConnection::peer_name() const { return peer_host_ != nullptr ? peer_host_->name() : peer_name_; }

void TcpConnection::trace_tcp(const char* ev, const char* reason) {
    trace::TcpRecord r;
    r.host = host_.name();
    r.peer = peer_name();
    r.stable_names = peer_is_host();  // ev is a literal
    r.conn = id_;
    r.ev = ev;
    r.sport = local_port_;
    r.dport = remote_port_;
    r.reason = reason;
    host_.network().trace().emit_tcp(r);
}

void TcpConnection::send_segment(std::uint8_t flags, std::uint64_t seq, std::string payload, bool retransmit) {
    Packet p;
    p.transport = Transport::Tcp;
    p.conn = id_;
    p.src = host_.ip();
    p.dst = remote_;
    p.sport = local_port_;
    p.dport = remote_port_;
    p.flags = flags;
    p.seq = seq;
    p.ack = (flags & tcp_flag::kAck) != 0 ? rcv_nxt_ : 0;
    if ((flags & tcp_flag::kAck) != 0) ack_owed_ = false;
    p.payload = std::move(payload);
    p.retransmit = retransmit;
    host_.network().transmit(std::move(p));
}

void TcpConnection::send_ack() { send_segment(tcp_flag::kAck, snd_nxt_, {}); }

void TcpConnection::start_active_open() {
    state_ = TcpState::SynSent;
    trace_tcp("connect");
    if (!host_.up()) {
        // An application on a crashed host cannot open connections.
        auto self = shared_from_this();
        host_.network().scheduler().schedule_in(Duration{}, [self] { self->finish(CloseReason::HostDown); });
        return;
    }
    snd_una_ = iss_;
    snd_nxt_ = iss_ + 1;
    buf_seq_ = iss_ + 1;
    max_sent_ = snd_nxt_;
    send_segment(tcp_flag::kSyn, iss_, {});
    arm_timer();
}

void TcpConnection::start_passive_open(const Packet& syn) {
    passive_ = true;
    state_ = TcpState::SynReceived;
    rcv_nxt_ = syn.seq + 1;
    snd_una_ = iss_;
    snd_nxt_ = iss_ + 1;
    buf_seq_ = iss_ + 1;
    max_sent_ = snd_nxt_;
    send_segment(tcp_flag::kSyn | tcp_flag::kAck, iss_, {});
    arm_timer();
}

// The retransmission timer is a DeadlineTimer: every ACK of new data
// restarts it (RFC 6298 §5.3), and a wake-up already scheduled for an
// earlier time re-arms itself instead of each ACK cancelling and scheduling.
void TcpConnection::arm_timer() {
    Scheduler& s = host_.network().scheduler();
    rto_timer_.arm_for<&TcpConnection::rto_timer_, &TcpConnection::on_rto>(s, s.now() + rto_, *this);
}

// Everything we sent, FIN included, is acknowledged; only the peer's FIN is
// missing. When neither it nor data has come for TcpConfig::fin_wait2_timeout
// the connection closes normally (tcp_config.hpp says why).
void TcpConnection::arm_fin_wait2_timer() {
    Scheduler& s = host_.network().scheduler();
    rto_timer_.disarm(s);
    if (fin_wait2_timer_.valid()) s.cancel(fin_wait2_timer_);
    std::weak_ptr<TcpConnection> weak = weak_from_this();
    fin_wait2_timer_ = s.schedule_in(host_.network().tcp_config().fin_wait2_timeout, [weak] {
        if (auto self = weak.lock()) {
            self->fin_wait2_timer_ = EventId{};
            if (self->state_ != TcpState::FinWait2) return;
            self->fin_wait2_expired_ = true;
            self->finish(CloseReason::Normal);
        }
    });
}

void TcpConnection::on_rto() {
    const TcpConfig& cfg = host_.network().tcp_config();
    ++retries_;
    rto_ = std::min(rto_ * 2, cfg.max_rto);  // RFC 6298 §5.5: back off the timer
    timing_ = false;                        // Karn: no RTT sample from a retransmitted segment
    if (state_ == TcpState::SynSent || state_ == TcpState::SynReceived) {
        if (retries_ > cfg.syn_retries) {
            finish(CloseReason::Timeout);
            return;
        }
        const std::uint8_t flags = state_ == TcpState::SynSent ? tcp_flag::kSyn : (tcp_flag::kSyn | tcp_flag::kAck);
        send_segment(flags, iss_, {}, true);
        arm_timer();
        return;
    }
    if (retries_ > cfg.data_retries) {
        finish(CloseReason::Timeout);
        return;
    }
    // Go-back-N: resend everything from the oldest unacknowledged octet.
    snd_nxt_ = snd_una_;
    if (fin_sent_ && snd_una_ <= fin_seq_) fin_sent_ = false;
    pump();
}

void TcpConnection::pump() {
    if (state_ != TcpState::Established && state_ != TcpState::CloseWait && state_ != TcpState::FinWait1 &&
        state_ != TcpState::LastAck && state_ != TcpState::Closing) {
        return;
    }
    const TcpConfig& cfg = host_.network().tcp_config();
    const std::uint64_t data_end = buf_seq_ + (send_buf_.size() - buf_off_);
    while (snd_nxt_ < data_end && snd_nxt_ - snd_una_ < cfg.window) {
        const std::uint64_t room = cfg.window - (snd_nxt_ - snd_una_);
        const std::uint64_t len = std::min<std::uint64_t>({cfg.mss, data_end - snd_nxt_, room});
        const bool again = snd_nxt_ < max_sent_;
        if (!timing_ && !again) {
            timing_ = true;
            timed_seq_ = snd_nxt_ + len;
            timed_at_ = host_.network().now();
        }
        send_segment(tcp_flag::kPsh | tcp_flag::kAck, snd_nxt_,
                     send_buf_.substr(buf_off_ + static_cast<std::size_t>(snd_nxt_ - buf_seq_), static_cast<std::size_t>(len)),
                     again);
        snd_nxt_ += len;
        max_sent_ = std::max(max_sent_, snd_nxt_);
    }
    if (fin_queued_ && !fin_sent_ && snd_nxt_ == data_end && snd_nxt_ - snd_una_ < cfg.window) {
        const bool again = snd_nxt_ < max_sent_;
        fin_seq_ = snd_nxt_;
        fin_sent_ = true;
        send_segment(tcp_flag::kFin | tcp_flag::kAck, snd_nxt_, {}, again);
        snd_nxt_ += 1;
        max_sent_ = std::max(max_sent_, snd_nxt_);
        if (state_ == TcpState::Established) state_ = TcpState::FinWait1;
        else if (state_ == TcpState::CloseWait) state_ = TcpState::LastAck;
    }
    if (snd_nxt_ > snd_una_ && !rto_timer_.armed()) arm_timer();
}

void TcpConnection::handle_ack(std::uint64_t ack) {
    if (ack <= snd_una_ || ack > max_sent_) return;  // duplicate or not yet sent
    // RTT sample (RFC 6298 §2.2–§2.3), only for segments sent once (Karn).
    if (timing_ && ack >= timed_seq_) {
        timing_ = false;
        const Duration r = host_.network().now() - timed_at_;
        if (!have_rtt_) {
            srtt_ = r;
            rttvar_ = r / 2;
            have_rtt_ = true;
        } else {
            const Duration diff = srtt_ > r ? srtt_ - r : r - srtt_;
            rttvar_ = (rttvar_ * 3 + diff) / 4;
            srtt_ = (srtt_ * 7 + r) / 8;
        }
    }
    const TcpConfig& cfg = host_.network().tcp_config();
    if (have_rtt_) rto_ = std::clamp(srtt_ + std::max(rttvar_ * 4, milliseconds(1)), cfg.min_rto, cfg.max_rto);
    retries_ = 0;
    snd_una_ = ack;
    if (snd_nxt_ < snd_una_) snd_nxt_ = snd_una_;
    if (buf_seq_ < ack) {
        // Acknowledged octets are skipped by an offset and compacted only when
        // they are the larger part of the buffer, so a bulk transfer costs
        // amortized O(1) per ACK instead of moving the whole buffer each time.
        const auto drop = static_cast<std::size_t>(std::min<std::uint64_t>(ack - buf_seq_, send_buf_.size() - buf_off_));
        buf_off_ += drop;
        buf_seq_ += drop;
        if (buf_off_ == send_buf_.size()) {
            send_buf_.clear();
            buf_off_ = 0;
        } else if (buf_off_ > send_buf_.size() / 2) {
            send_buf_.erase(0, buf_off_);
            buf_off_ = 0;
        }
    }
    rto_timer_.disarm(host_.network().scheduler());
    if (snd_una_ < max_sent_) arm_timer();  // RFC 6298 §5.3: restart for what is still outstanding
}

void TcpConnection::receive(const Packet& p) {
    auto self = shared_from_this();
    if (state_ == TcpState::Closed) return;
    if ((p.flags & tcp_flag::kRst) != 0) {
        if (state_ == TcpState::SynSent) finish(CloseReason::Refused);
        else if (state_ == TcpState::SynReceived) finish(CloseReason::Reset);
        else finish(CloseReason::Reset);
        return;
    }
    const bool ack = (p.flags & tcp_flag::kAck) != 0;
    if (state_ == TcpState::SynSent) {
        if ((p.flags & tcp_flag::kSyn) != 0 && ack && p.ack == iss_ + 1) {
            rcv_nxt_ = p.seq + 1;
            handle_ack(p.ack);
            state_ = TcpState::Established;
            send_ack();
            trace_tcp("established");
            if (on_connected) on_connected();
            pump();
        }
        return;  // anything else in SYN-SENT is ignored in this model
    }
    if (state_ == TcpState::SynReceived) {
        if ((p.flags & tcp_flag::kSyn) != 0 && !ack) {  // our SYN-ACK was lost: the peer repeats its SYN
            send_segment(tcp_flag::kSyn | tcp_flag::kAck, iss_, {}, true);
            return;
        }
        if (!ack || p.ack != iss_ + 1) return;
        handle_ack(p.ack);
        state_ = TcpState::Established;
        trace_tcp("established");
        host_.accepted(self);
        if (state_ == TcpState::Closed) return;
    } else if (ack) {
        handle_ack(p.ack);
    }
    if ((p.flags & tcp_flag::kSyn) != 0) {  // a retransmitted SYN-ACK: our ACK was lost
        send_ack();
        return;
    }

    // Our FIN acknowledged?
    if (fin_acked()) {
        if (state_ == TcpState::FinWait1) {
            state_ = TcpState::FinWait2;
            arm_fin_wait2_timer();
        } else if (state_ == TcpState::Closing || state_ == TcpState::LastAck) {
            if (state_ == TcpState::Closing) host_.enter_time_wait(*this, snd_nxt_, rcv_nxt_);
            finish(CloseReason::Normal);
            return;
        }
    }

    // Data, in order only; anything else is answered with a duplicate ACK.
    const std::uint64_t len = p.payload.size();
    bool need_ack = false;
    if (len > 0) {
        need_ack = true;
        const std::uint64_t end = p.seq + len;
        if (!fin_received_ && p.seq <= rcv_nxt_ && end > rcv_nxt_) {
            const auto skip = static_cast<std::size_t>(rcv_nxt_ - p.seq);
            rcv_nxt_ = end;
            // The ACK waits for the application: an answer written from
            // on_data carries it (RFC 9293 §3.8.6.3), else it goes alone below.
            ack_owed_ = true;
            need_ack = false;
            if (on_data) on_data(std::string_view(p.payload).substr(skip));
            if (state_ == TcpState::Closed) return;
            // A half-closed connection still receiving is alive: the FIN-WAIT-2
            // bound counts from the last data, not from our FIN.
            if (state_ == TcpState::FinWait2) arm_fin_wait2_timer();
        }
    }
    if ((p.flags & tcp_flag::kFin) != 0) {
        need_ack = true;
        if (!fin_received_ && p.seq + len == rcv_nxt_) {
            fin_received_ = true;
            rcv_nxt_ += 1;
            ack_owed_ = true;  // a FIN of our own, if on_eof closes at once, carries it
            need_ack = false;
            if (state_ == TcpState::Established) state_ = TcpState::CloseWait;
            else if (state_ == TcpState::FinWait1) state_ = fin_acked() ? TcpState::Closed : TcpState::Closing;
            else if (state_ == TcpState::FinWait2) state_ = TcpState::Closed;
            trace_tcp("eof");
            if (on_eof) on_eof();
            if (state_ == TcpState::Closed) {
                if (ack_owed_) send_ack();
                host_.enter_time_wait(*this, snd_nxt_, rcv_nxt_);
                state_ = TcpState::FinWait2;  // let finish() see a live connection
                finish(CloseReason::Normal);
                return;
            }
        }
    }
    if (need_ack) ack_owed_ = true;  // a duplicate, or data past a FIN: say where we are
    pump();                          // the ACK may have opened the window
    if (ack_owed_) send_ack();       // nothing went out to carry it
}

bool TcpConnection::send(std::string_view bytes) {
    if (fin_queued_) return false;
    if (state_ != TcpState::SynSent && state_ != TcpState::SynReceived && state_ != TcpState::Established &&
        state_ != TcpState::CloseWait) {
        return false;
    }
    if (send_buf_.size() - buf_off_ + bytes.size() > host_.network().tcp_config().max_send_buffer) return false;
    send_buf_.append(bytes);
    pump();
    return true;
}

void TcpConnection::shutdown() {
    if (fin_queued_ || state_ == TcpState::Closed) return;
    fin_queued_ = true;
    pump();
}

void TcpConnection::abort() {
    if (state_ == TcpState::Closed) return;
    if (state_ != TcpState::SynSent) send_segment(tcp_flag::kRst | tcp_flag::kAck, snd_nxt_, {});
    finish(CloseReason::Aborted);
}

void TcpConnection::host_crashed() {
    if (state_ == TcpState::Closed) return;
    finish(CloseReason::HostDown);
}

namespace {
struct Callbacks {
    std::function<void()> a, b;
    std::function<void(std::string_view)> c;
    std::function<void(CloseReason)> d;
};
}  // namespace

void TcpConnection::finish(CloseReason reason) {
    if (state_ == TcpState::Closed) return;
    auto self = shared_from_this();
    const bool app_knows = !(passive_ && state_ == TcpState::SynReceived);
    state_ = TcpState::Closed;
    Scheduler& s = host_.network().scheduler();
    rto_timer_.disarm(s);
    if (fin_wait2_timer_.valid()) s.cancel(fin_wait2_timer_);
    fin_wait2_timer_ = EventId{};
    switch (reason) {
        case CloseReason::Normal:
            if (fin_wait2_expired_) trace_tcp("closed", "FIN-WAIT-2 timeout: the peer's FIN never arrived");
            else trace_tcp("closed");
            break;
        case CloseReason::Refused: trace_tcp("refused", to_string(reason)); break;
        case CloseReason::Timeout: trace_tcp("timeout", to_string(reason)); break;
        case CloseReason::Reset: trace_tcp("reset", to_string(reason)); break;
        case CloseReason::Aborted: trace_tcp("abort", to_string(reason)); break;
        case CloseReason::HostDown: trace_tcp("closed", to_string(reason)); break;
    }
    if (reason != CloseReason::HostDown) host_.forget(*this);
    // The callbacks may capture this connection (a cycle) or be running right
    // now (abort() from inside on_data): move them out and destroy them in a
    // later event, after this call stack has unwound.
    auto cbs = std::make_unique<Callbacks>(
        Callbacks{std::move(on_connected), std::move(on_eof), std::move(on_data), std::move(on_closed)});
    on_connected = nullptr;
    on_eof = nullptr;
    on_data = nullptr;
    on_closed = nullptr;
    Callbacks* raw = cbs.get();
    graveyard_ = std::move(cbs);
    if (app_knows && raw->d) raw->d(reason);
    s.schedule_in(Duration{}, [self] { self->graveyard_.reset(); });
}

}  // namespace postino::net
