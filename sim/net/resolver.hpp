// resolver.hpp — a host's stub resolver: sends a query to its DNS server over
// simulated UDP, retries on silence, and reports one Answer per query.
//
// Query ids and source ports come from the host's "dns:<host>" RNG stream
// (RFC 5452 §9 recommends both be unpredictable). A query that gets no reply
// within `timeout` is sent again, up to `attempts` times in all (RFC 1035
// §4.2.1 leaves the policy to the resolver).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "core/scheduler.hpp"
#include "net/dns_message.hpp"
#include "net/host.hpp"

namespace postino::net::dns {

struct ResolverConfig {
    Duration timeout = seconds(2);
    int attempts = 3;
};

struct Answer {
    enum class Status : std::uint8_t { Ok, NoData, NxDomain, ServFail, Timeout };
    Status status = Status::Ok;
    std::vector<Record> records;
    [[nodiscard]] bool ok() const { return status == Status::Ok; }
};
const char* to_string(Answer::Status s);

class Resolver {
public:
    using Callback = std::function<void(const Answer&)>;

    Resolver(Host& host, Ip4 server, ResolverConfig config = {});
    ~Resolver();
    Resolver(const Resolver&) = delete;
    Resolver& operator=(const Resolver&) = delete;

    void query(const std::string& name, RrType type, Callback cb);
    [[nodiscard]] std::size_t pending() const { return pending_.size(); }

private:
    struct Pending {
        std::string name;
        RrType type;
        std::uint16_t port;
        int attempt;
        EventId timer;
        Callback cb;
    };
    void send(std::uint16_t id);
    void on_reply(std::uint16_t port, std::string_view wire);
    void on_timeout(std::uint16_t id);
    void complete(std::uint16_t id, const Answer& a);
    void trace(const char* ev, const Pending& p, std::uint16_t id, const std::string& answer = {});

    Host& host_;
    Ip4 server_;
    ResolverConfig config_;
    Rng rng_;
    std::map<std::uint16_t, Pending> pending_;  // by query id
    std::uint64_t down_watch_ = 0;
};

}  // namespace postino::net::dns
