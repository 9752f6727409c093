// address_plan.cpp — synthetic addresses and ISNs (see address_plan.hpp).
#include "export/address_plan.hpp"

#include <set>

namespace postino::exporter {
namespace {

// DNS names compare case-insensitively, without a trailing dot (RFC 4343).
std::string canonical(std::string_view name) {
    std::string out(name);
    if (!out.empty() && out.back() == '.') out.pop_back();
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

// "192.0.2.3, 192.0.2.4" (the resolver's answer text) → addresses.
std::vector<std::uint32_t> answer_addresses(std::string_view text) {
    std::vector<std::uint32_t> out;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (auto ip = parse_ipv4(item)) out.push_back(*ip);
        if (comma == std::string_view::npos) break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

bool is_a_answer(const trace::Event& e) {
    return e.kind == "dns" && e.get_str("ev") == "answer" && e.get_str("type") == "A";
}

// The pool of rule 4, in order: RFC 5737 TEST-NET-1, TEST-NET-2, TEST-NET-3.
std::uint32_t pool_address(std::size_t i) {
    static constexpr std::uint32_t kNets[3] = {0xC0000200, 0xC6336400, 0xCB007100};
    return kNets[i / 254] | static_cast<std::uint32_t>(i % 254 + 1);
}

}  // namespace

std::string HostAddress::mac_text() const {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < mac.size(); ++i) {
        if (i != 0) out += ':';
        out += kHex[mac[i] >> 4];
        out += kHex[mac[i] & 0x0F];
    }
    return out;
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t value = 0;
    int parts = 0;
    std::size_t i = 0;
    while (parts < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9') return std::nullopt;
        std::uint32_t octet = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
            octet = octet * 10 + static_cast<std::uint32_t>(text[i] - '0');
            if (++digits > 3 || octet > 255) return std::nullopt;
            ++i;
        }
        value = (value << 8) | octet;
        ++parts;
        if (parts < 4) {
            if (i >= text.size() || text[i] != '.') return std::nullopt;
            ++i;
        }
    }
    if (i != text.size()) return std::nullopt;
    return value;
}

std::uint32_t initial_sequence_number(std::uint64_t conn, std::string_view sender) {
    const std::string key = std::to_string(conn) + "/" + std::string(sender);
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a 64-bit offset basis
    for (char c : key) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 0x100000001b3ULL;  // FNV 64-bit prime
    }
    return static_cast<std::uint32_t>(h >> 32);
}

const HostAddress* AddressPlan::find(std::string_view host) const {
    auto it = index_.find(host);
    return it == index_.end() ? nullptr : &hosts_[it->second];
}

Result<AddressPlan> AddressPlan::from_trace(const std::vector<trace::Event>& events) {
    AddressPlan plan;
    std::map<std::string, std::size_t> by_canonical;  // first host with that canonical name
    auto note_host = [&](const std::string& name) {
        if (name.empty() || plan.index_.count(name) != 0) return;
        plan.index_.emplace(name, plan.hosts_.size());
        by_canonical.emplace(canonical(name), plan.hosts_.size());
        plan.hosts_.push_back(HostAddress{name, 0, {}, ""});
    };
    for (const trace::Event& e : events) {
        note_host(e.host);
        note_host(e.peer);
    }

    std::set<std::uint32_t> assigned;  // addresses given to a host
    std::set<std::uint32_t> reserved;  // addresses a DNS answer mentions
    auto bind = [&](std::size_t i, std::uint32_t ip, const char* rule) {
        if (!plan.hosts_[i].rule.empty() || assigned.count(ip) != 0) return false;
        plan.hosts_[i].ip = ip;
        plan.hosts_[i].rule = rule;
        assigned.insert(ip);
        return true;
    };

    // Rule 1: names that are addresses.
    for (std::size_t i = 0; i < plan.hosts_.size(); ++i) {
        if (auto ip = parse_ipv4(plan.hosts_[i].host)) bind(i, *ip, "name");
    }
    // Rule 2: names resolved by a DNS answer in the trace.
    for (const trace::Event& e : events) {
        if (!is_a_answer(e)) continue;
        const auto addrs = answer_addresses(e.get_str("answer"));
        reserved.insert(addrs.begin(), addrs.end());
        auto it = by_canonical.find(canonical(e.get_str("name")));
        if (it != by_canonical.end() && !addrs.empty()) bind(it->second, addrs.front(), "dns");
    }
    // Rule 3: a connection opened right after an A lookup goes to its answer.
    std::map<std::string, const trace::Event*> last_answer;  // per resolving host
    for (const trace::Event& e : events) {
        if (is_a_answer(e)) {
            last_answer[e.host] = &e;
            continue;
        }
        if (e.kind != "tcp" || e.get_str("ev") != "connect" || e.peer.empty()) continue;
        auto a = last_answer.find(e.host);
        if (a == last_answer.end() || a->second->t != e.t) continue;
        const std::size_t peer = plan.index_.at(e.peer);
        for (std::uint32_t ip : answer_addresses(a->second->get_str("answer"))) {
            if (!plan.hosts_[peer].rule.empty()) break;
            bind(peer, ip, "dns-connect");
        }
    }
    // Rule 4: the documentation pool, skipping every address already in use.
    std::size_t next = 0;
    for (std::size_t i = 0; i < plan.hosts_.size(); ++i) {
        if (!plan.hosts_[i].rule.empty()) continue;
        while (next < kAddressPoolSize &&
               (assigned.count(pool_address(next)) != 0 || reserved.count(pool_address(next)) != 0)) {
            ++next;
        }
        if (next == kAddressPoolSize) {
            return Error{"the trace names more hosts than the " + std::to_string(kAddressPoolSize) +
                             " documentation addresses of RFC 5737 can number",
                         "host " + plan.hosts_[i].host};
        }
        bind(i, pool_address(next++), "pool");
    }
    for (HostAddress& h : plan.hosts_) {
        h.mac = inet::Mac{0x02, 0x00, static_cast<std::uint8_t>(h.ip >> 24), static_cast<std::uint8_t>(h.ip >> 16),
                          static_cast<std::uint8_t>(h.ip >> 8), static_cast<std::uint8_t>(h.ip)};
    }
    return plan;
}

}  // namespace postino::exporter
