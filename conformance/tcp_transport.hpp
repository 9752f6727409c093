// tcp_transport.hpp — the runner's connections over real TCP (Boost.Asio):
// every connect, read and write bounded by a timeout, so a silent or
// stalled server gives an error, never a hang. After STARTTLS/STLS a
// connection switches to TLS (Boost.Asio SSL over Debian's OpenSSL, TLS 1.2
// or newer, RFC 8996), verifying the server's certificate by default:
// against the system CA store or --cafile, and its name against the host
// of the URL (RFC 6125 §6: DNS-ID, no partial wildcards; an IP address
// literal is matched against the certificate's IP addresses).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "conformance/transport.hpp"

namespace postino::conformance {

struct TcpEndpoint {
    std::string host;
    std::uint16_t port = 0;
};

// How the client side of TLS treats the server's certificate.
struct TlsClientOptions {
    bool verify = true;  // false (--insecure): any certificate, self-signed or for another name, is accepted
    std::string cafile;  // PEM file of trusted CAs (--cafile); "" : the system store (/etc/ssl/certs)
};

struct TlsContext;

class TcpTransport final : public Transport {
public:
    explicit TcpTransport(Duration connect_timeout);
    ~TcpTransport() override;
    void set_endpoint(Protocol p, TcpEndpoint e) { endpoints_[p] = std::move(e); }
    // Prepares TLS for every connection; an Error when the CA file cannot be read.
    Status set_tls(const TlsClientOptions& o);
    Result<std::unique_ptr<Stream>> connect(Protocol p) override;
    [[nodiscard]] bool available(Protocol p) const override { return endpoints_.count(p) != 0; }
    [[nodiscard]] Time now() const override;

private:
    Duration connect_timeout_;
    std::map<Protocol, TcpEndpoint> endpoints_;
    std::int64_t start_ns_ = 0;
    std::shared_ptr<TlsContext> tls_;
};

}  // namespace postino::conformance
