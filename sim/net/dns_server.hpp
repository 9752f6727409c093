// dns_server.hpp — a simulated authoritative-and-recursive DNS server agent
// answering A and MX queries over simulated UDP port 53 (RFC 1035 §4.2.1).
//
// Faults per name (or "*" for every name): answer NXDOMAIN, answer SERVFAIL,
// or stay silent so the resolver times out.
#pragma once

#include <map>
#include <string>

#include "net/dns_message.hpp"
#include "net/dns_zone.hpp"
#include "net/host.hpp"

namespace postino::net::dns {

inline constexpr std::uint16_t kDnsPort = 53;  // RFC 1035 §4.2.1

enum class Fault : std::uint8_t { None, NxDomain, ServFail, Timeout };
const char* to_string(Fault f);

class Server {
public:
    Server(Host& host, Zone zone);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    Zone& zone() { return zone_; }
    Host& host() { return host_; }
    void set_fault(const std::string& name, Fault f);  // Fault::None clears it

private:
    void on_query(Ip4 from, std::uint16_t from_port, std::string_view wire);
    [[nodiscard]] Fault fault_for(const std::string& name) const;

    Host& host_;
    Zone zone_;
    std::map<std::string, Fault> faults_;
};

}  // namespace postino::net::dns
