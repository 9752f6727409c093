// extensions.hpp — the service extensions a server lists in its EHLO reply,
// as a client reads them.
//
// RFC 5321 §4.1.1.1 (`ehlo-ok-rsp`: the first line is the server's domain,
// each further line `ehlo-keyword *( SP ehlo-param )`, keywords
// case-insensitive), RFC 2920 (PIPELINING), RFC 1870 §4 (SIZE [limit]),
// RFC 6152 (8BITMIME), RFC 2034 (ENHANCEDSTATUSCODES), RFC 6531 (SMTPUTF8).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proto/smtp/reply.hpp"

namespace postino::smtp {

struct Extension {
    std::string keyword;              // upper-cased
    std::vector<std::string> params;  // as written
};

struct Extensions {
    std::string server_domain;    // first word of the first line
    std::vector<Extension> list;  // in the server's order
    std::size_t malformed = 0;    // lines that are not `keyword *(SP param)`
    bool pipelining = false;
    bool eightbitmime = false;
    bool enhanced_status_codes = false;
    bool smtputf8 = false;
    bool size = false;
    std::uint64_t size_limit = 0;  // 0: SIZE absent or no fixed limit

    [[nodiscard]] const Extension* find(std::string_view keyword) const;
    [[nodiscard]] bool has(std::string_view keyword) const { return find(keyword) != nullptr; }
};

// Reads a positive EHLO reply.
Extensions parse_ehlo_reply(const Reply& r);

}  // namespace postino::smtp
