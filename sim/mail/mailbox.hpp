// mailbox.hpp — the `local-part@domain` value shared by every mail layer.
//
// RFC 5321 §2.3.11 and §4.1.2: the domain selects the destination server (and
// compares case-insensitively, §2.4), the local part selects the mailbox and is
// preserved exactly as written (only the destination host may interpret it).
// Size limits are RFC 5321 §4.5.3.1.1–§4.5.3.1.3.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

namespace postino::mail {

// RFC 5321 §4.5.3.1.1: maximum total length of a user name or other local-part.
inline constexpr std::size_t kMaxLocalPartOctets = 64;
// RFC 5321 §4.5.3.1.2: maximum total length of a domain name or number.
inline constexpr std::size_t kMaxDomainOctets = 255;
// RFC 5321 §4.5.3.1.3: maximum total length of a reverse-path or forward-path
// (including the angle brackets).
inline constexpr std::size_t kMaxPathOctets = 256;

inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

struct Mailbox {
    std::string local;   // as written (quoted form kept if it was quoted)
    std::string domain;  // as written; compare with same_domain()

    [[nodiscard]] bool empty() const { return local.empty() && domain.empty(); }
    [[nodiscard]] std::string str() const { return domain.empty() ? local : local + "@" + domain; }
    // Equality as a mail system sees it: local part exact, domain case-insensitive.
    friend bool operator==(const Mailbox& a, const Mailbox& b) {
        return a.local == b.local && ascii_lower(a.domain) == ascii_lower(b.domain);
    }
    // Deterministic ordering for maps: by lower-cased domain, then local part.
    friend bool operator<(const Mailbox& a, const Mailbox& b) {
        const std::string da = ascii_lower(a.domain), db = ascii_lower(b.domain);
        return da != db ? da < db : a.local < b.local;
    }
};

}  // namespace postino::mail
