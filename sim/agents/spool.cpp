// spool.cpp — spool entries and queue ids.
#include "agents/spool.hpp"

#include <algorithm>

namespace postino::agents {

const char* to_string(RcptState s) {
    switch (s) {
        case RcptState::Pending: return "pending";
        case RcptState::Sent: return "sent";
        case RcptState::Delivered: return "delivered";
        case RcptState::Bounced: return "bounced";
    }
    return "?";
}

bool SpoolEntry::done() const {
    return std::none_of(rcpts.begin(), rcpts.end(), [](const Recipient& r) { return r.state == RcptState::Pending; });
}

bool SpoolEntry::has_pending_remote() const {
    return std::any_of(rcpts.begin(), rcpts.end(),
                       [](const Recipient& r) { return r.state == RcptState::Pending && !r.local; });
}

bool SpoolEntry::has_pending_local() const {
    return std::any_of(rcpts.begin(), rcpts.end(),
                       [](const Recipient& r) { return r.state == RcptState::Pending && r.local; });
}

std::string SpoolEntry::recipients_text(bool pending_only) const {
    std::string out;
    for (const auto& r : rcpts) {
        if (pending_only && r.state != RcptState::Pending) continue;
        if (!out.empty()) out += ",";
        out += r.address;
    }
    return out;
}

std::string Spool::new_queue_id(Rng& rng) const {
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (;;) {
        std::string id(10, '0');
        std::uint64_t v = rng.next_u64();
        for (char& c : id) {
            c = kHex[v & 0xF];
            v >>= 4;
        }
        if (entries_.count(id) == 0) return id;
    }
}

SpoolEntry& Spool::add(SpoolEntry e) {
    const std::string id = e.queue_id;
    return entries_[id] = std::move(e);
}

SpoolEntry* Spool::find(const std::string& queue_id) {
    auto it = entries_.find(queue_id);
    return it == entries_.end() ? nullptr : &it->second;
}

void Spool::remove(const std::string& queue_id) { entries_.erase(queue_id); }

}  // namespace postino::agents
