// maildrop.cpp — unique-id syntax (RFC 1939 §7).
#include "proto/pop3/maildrop.hpp"

#include <string_view>

#include "proto/pop3/limits.hpp"

namespace postino::pop3 {

bool valid_uidl(std::string_view id) {
    if (id.empty() || id.size() > kMaxUidlOctets) return false;
    for (char c : id) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x21 || u > 0x7e) return false;
    }
    return true;
}

}  // namespace postino::pop3
