// dns_zone.hpp — the records a simulated DNS server knows: A and MX per name
// (RFC 1035 §3.3.9, §3.4.1; RFC 5321 §5.1 explains how mail uses them).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "net/ip.hpp"

namespace postino::net::dns {

struct MxEntry {
    std::uint16_t preference = 10;
    std::string host;
};

struct NameRecords {
    std::vector<Ip4> a;
    std::vector<MxEntry> mx;
};

class Zone {
public:
    void add_a(const std::string& name, Ip4 ip);
    void add_mx(const std::string& name, std::uint16_t preference, const std::string& host);
    // Records for a name (canonical comparison), or nullptr if the name does not exist.
    [[nodiscard]] const NameRecords* find(const std::string& name) const;
    [[nodiscard]] const std::map<std::string, NameRecords>& names() const { return names_; }

private:
    std::map<std::string, NameRecords> names_;  // keyed by canonical name
};

}  // namespace postino::net::dns
