// tcp_config.hpp — the knobs of the simulated TCP (docs/network-model.md).
//
// Defaults follow common practice: MSS 1460 for Ethernet (RFC 9293 §3.7.1),
// initial RTO 1 s and minimum RTO 200 ms as Linux uses (RFC 6298 §2 allows
// a lower minimum than its recommended 1 s), SYN retries as a small number so
// a "host down" lesson does not take two minutes of simulated time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/time.hpp"

namespace postino::net {

struct TcpConfig {
    std::size_t mss = 1460;                    // payload octets per segment
    std::size_t window = 65535;                // octets in flight (receiver window, no scaling)
    Duration initial_rto = seconds(1);         // RFC 6298 §2.1
    Duration min_rto = milliseconds(200);
    Duration max_rto = seconds(60);            // RFC 6298 §2.5 allows an upper bound >= 60 s
    int syn_retries = 5;                       // 1+2+4+8+16+32 s: connect fails after 63 s
    int data_retries = 8;                      // retransmissions before the connection times out
    Duration time_wait = seconds(60);          // 2*MSL; Linux uses 60 s (RFC 9293 §3.4.2 suggests MSL = 2 min)
    // RFC 9293 §3.6 lets FIN-WAIT-2 last until the peer's FIN arrives; real
    // stacks bound it for a connection the application has closed (Linux:
    // tcp_fin_timeout, 60 s), so a peer whose FINs are all lost cannot hold
    // the connection — and the session's result — forever.
    Duration fin_wait2_timeout = seconds(60);
    std::size_t max_send_buffer = std::size_t{16} * 1024 * 1024;  // octets an application may queue
};

}  // namespace postino::net
