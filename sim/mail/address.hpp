// address.hpp — RFC 5322 address syntax producing Mailbox values.
//
// RFC 5322 §3.4 (mailbox, name-addr, angle-addr, group, mailbox-list,
// address-list), §3.4.1 (addr-spec, dot-atom and quoted local parts, domain
// literals), §3.2.2 (comments and folding whitespace), RFC 5321 §4.1.2 (a
// domain is LDH labels or an address literal) and §4.5.3.1 (64/255/256
// octet limits, in mailbox.hpp), RFC 1035 §2.3.4 (63-octet labels), RFC 2047
// §5 (3) (encoded words in display names). The domain compares
// case-insensitively, the local part is kept exactly as written
// (Mailbox::operator==). RFC 5321 paths (<@route:a@b>, <>) belong to the SMTP
// engine. Offsets in errors count from the start of the text parsed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.hpp"
#include "mail/leniency.hpp"
#include "mail/mailbox.hpp"

namespace postino::mail {

// RFC 1035 §2.3.4: labels are 63 octets or less.
inline constexpr std::size_t kMaxLabelOctets = 63;
// RFC 5321 §4.5.3.1.3 less the two angle brackets: the longest addr-spec.
inline constexpr std::size_t kMaxAddrSpecOctets = kMaxPathOctets - 2;
// Postino bound: comments nest at most this deep (RFC 5322 sets no limit).
inline constexpr std::size_t kMaxCommentDepth = 32;

// A mailbox with its display name (decoded to UTF-8; empty if none).
struct NamedMailbox {
    std::string display_name;
    Mailbox address;
    friend bool operator==(const NamedMailbox&, const NamedMailbox&) = default;
};

// RFC 5322 §3.4 group: "Friends: a@b, c@d;" (members may be empty).
struct Group {
    std::string display_name;
    std::vector<NamedMailbox> members;
    friend bool operator==(const Group&, const Group&) = default;
};

using Address = std::variant<NamedMailbox, Group>;

// `local@domain` alone (RFC 5322 addr-spec, CFWS allowed around it).
Result<Mailbox> parse_addr_spec(std::string_view text, Leniencies allow = {});
// One mailbox: name-addr or addr-spec (Sender, a single From).
Result<NamedMailbox> parse_mailbox(std::string_view text, Leniencies allow = {});
// From: mailbox-list (at least one).
Result<std::vector<NamedMailbox>> parse_mailbox_list(std::string_view text, Leniencies allow = {});
// To, Cc, Bcc, Reply-To: address-list (at least one address; groups allowed).
Result<std::vector<Address>> parse_address_list(std::string_view text, Leniencies allow = {});

// Checks a Mailbox built by hand: the RFC 5321 §4.1.2 syntax and the
// §4.5.3.1 limits, as the parser would.
Status validate_mailbox(const Mailbox& m, Leniencies allow = {});

// Formatting for header fields: `Name <local@domain>`, the name as atoms, a
// quoted string or encoded words (encode_phrase); a group as `Name: a, b;`.
std::string format_mailbox(const NamedMailbox& m);
std::string format_address(const Address& a);
std::string format_address_list(const std::vector<Address>& list);

// The local part without its quotes and backslash escapes.
std::string unquote_local_part(std::string_view local);

}  // namespace postino::mail
