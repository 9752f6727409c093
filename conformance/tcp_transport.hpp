// tcp_transport.hpp — the runner's connections over real TCP (Boost.Asio):
// every connect, read and write bounded by a timeout, so a silent or
// stalled server gives an error, never a hang.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "conformance/transport.hpp"

namespace postino::conformance {

struct TcpEndpoint {
    std::string host;
    std::uint16_t port = 0;
};

class TcpTransport final : public Transport {
public:
    explicit TcpTransport(Duration connect_timeout);
    void set_endpoint(Protocol p, TcpEndpoint e) { endpoints_[p] = std::move(e); }
    Result<std::unique_ptr<Stream>> connect(Protocol p) override;
    [[nodiscard]] bool available(Protocol p) const override { return endpoints_.count(p) != 0; }
    [[nodiscard]] Time now() const override;

private:
    Duration connect_timeout_;
    std::map<Protocol, TcpEndpoint> endpoints_;
    std::int64_t start_ns_ = 0;
};

}  // namespace postino::conformance
