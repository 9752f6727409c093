// aliases.hpp — virtual mailboxes that redistribute mail (DESIGN.md §3):
// many-to-one (several addresses, one mailbox) and one-to-many (one address,
// a group), expanded recursively, with loops detected and reported so the
// MTA can bounce with 5.4.6 (RFC 3463: routing loop detected) instead of
// expanding forever. RFC 5321 §3.9.1 describes alias expansion by a server.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace postino::agents {

// How deep nested aliases may go before expansion stops as a loop: a bound
// of ours (RFC 5321 does not set one), generous for any real alias file.
inline constexpr int kMaxAliasDepth = 20;

struct Expansion {
    std::vector<std::string> recipients;  // final addresses, deduplicated, in first-seen order
    bool loop = false;                     // a cycle or the depth limit was hit
    std::vector<std::string> loop_path;    // e.g. {"a@x", "b@x", "a@x"}
};

class AliasTable {
public:
    // Keys and targets are full addresses "local@domain"; keys compare with
    // the domain lower-cased and the local part lower-cased too (aliases are
    // a table of the local host, which decides how to compare, RFC 5321 §2.4).
    void add(const std::string& alias, std::vector<std::string> targets);
    [[nodiscard]] bool is_alias(const std::string& address) const;
    [[nodiscard]] Expansion expand(const std::string& address) const;
    [[nodiscard]] const std::map<std::string, std::vector<std::string>>& entries() const { return table_; }

private:
    void walk(const std::string& address, std::vector<std::string>& path, Expansion& out) const;
    std::map<std::string, std::vector<std::string>> table_;
};

std::string alias_key(const std::string& address);

}  // namespace postino::agents
