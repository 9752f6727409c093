// dns_zone.cpp — storing and finding A/MX records by canonical name.
#include "net/dns_zone.hpp"

#include "net/dns_message.hpp"

namespace postino::net::dns {

void Zone::add_a(const std::string& name, Ip4 ip) { names_[canonical_name(name)].a.push_back(ip); }

void Zone::add_mx(const std::string& name, std::uint16_t preference, const std::string& host) {
    names_[canonical_name(name)].mx.push_back(MxEntry{preference, canonical_name(host)});
}

const NameRecords* Zone::find(const std::string& name) const {
    auto it = names_.find(canonical_name(name));
    return it == names_.end() ? nullptr : &it->second;
}

}  // namespace postino::net::dns
