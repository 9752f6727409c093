// address_plan_test.cpp — synthetic addresses (RFC 5737 ranges, DNS answers
// honoured) and per-direction initial sequence numbers.
#include <catch2/catch.hpp>

#include "export/address_plan.hpp"

using namespace postino;
using namespace postino::exporter;

namespace {

trace::Event ev(const char* kind, const std::string& host, const std::string& peer = {}, std::int64_t t = 0) {
    trace::Event e(kind, host, peer);
    e.t = nanoseconds(t);
    return e;
}

trace::Event a_answer(const std::string& host, const std::string& name, const std::string& answer, std::int64_t t) {
    trace::Event e = ev("dns", host, "ns", t);
    e.set("ev", "answer").set("name", name).set("type", "A").set("answer", answer);
    return e;
}

std::string ip_of(const AddressPlan& p, const std::string& host) {
    const HostAddress* h = p.find(host);
    return h == nullptr ? "(none)" : h->ip_text();
}

}  // namespace

TEST_CASE("hosts get RFC 5737 addresses in order of first appearance", "[export][addresses]") {
    std::vector<trace::Event> events{ev("note", ""), ev("host", "b"), ev("segment", "a", "c"), ev("note", "b"),
                                     ev("ua", "d")};
    auto plan = AddressPlan::from_trace(events);
    REQUIRE(plan);
    REQUIRE(plan->hosts().size() == 4);  // the world ("") is not a host
    CHECK(plan->hosts()[0].host == "b");
    CHECK(ip_of(*plan, "b") == "192.0.2.1");
    CHECK(ip_of(*plan, "a") == "192.0.2.2");
    CHECK(ip_of(*plan, "c") == "192.0.2.3");
    CHECK(ip_of(*plan, "d") == "192.0.2.4");
    CHECK(plan->find("") == nullptr);
    CHECK(plan->find("zz") == nullptr);
    CHECK(plan->hosts()[0].rule == "pool");
    CHECK(plan->hosts()[0].mac_text() == "02:00:c0:00:02:01");
}

TEST_CASE("a DNS answer in the trace decides its host's address", "[export][addresses]") {
    // mx.b.example appears first but DNS says it is 192.0.2.3: the capture
    // must agree with the DNS replies inside it, and the pool skips .3.
    std::vector<trace::Event> events{ev("host", "mx.b.example"), ev("ua", "pc.alice"), ev("tcp", "mx.a.example", "ns"),
                                     a_answer("mx.a.example", "MX.B.Example.", "192.0.2.3", 5),
                                     ev("note", "e1"), ev("note", "e2")};
    auto plan = AddressPlan::from_trace(events);
    REQUIRE(plan);
    CHECK(ip_of(*plan, "mx.b.example") == "192.0.2.3");
    CHECK(plan->find("mx.b.example")->rule == "dns");
    CHECK(ip_of(*plan, "pc.alice") == "192.0.2.1");
    CHECK(ip_of(*plan, "mx.a.example") == "192.0.2.2");
    CHECK(ip_of(*plan, "ns") == "192.0.2.4");
    CHECK(ip_of(*plan, "e1") == "192.0.2.5");
    CHECK(ip_of(*plan, "e2") == "192.0.2.6");
}

TEST_CASE("a connection opened right after an A lookup goes to the answer's address", "[export][addresses]") {
    // RFC 5321 §5.1 implicit MX: c.example's A record is server.c.example's address.
    trace::Event connect = ev("tcp", "mx.a.example", "server.c.example", 100);
    connect.set("ev", "connect");
    trace::Event later = ev("tcp", "mx.a.example", "other.example", 200);
    later.set("ev", "connect");
    std::vector<trace::Event> events{ev("ua", "pc.alice"), ev("note", "server.c.example"),
                                     a_answer("mx.a.example", "c.example", "192.0.2.9, 192.0.2.10", 100), connect,
                                     later};
    auto plan = AddressPlan::from_trace(events);
    REQUIRE(plan);
    CHECK(ip_of(*plan, "server.c.example") == "192.0.2.9");
    CHECK(plan->find("server.c.example")->rule == "dns-connect");
    // A connect at another instant does not take the answer.
    CHECK(plan->find("other.example")->rule == "pool");
    CHECK(ip_of(*plan, "pc.alice") == "192.0.2.1");
    CHECK(ip_of(*plan, "mx.a.example") == "192.0.2.2");
    CHECK(ip_of(*plan, "ns") == "192.0.2.3");  // the resolver's peer, in order of appearance
    CHECK(ip_of(*plan, "other.example") == "192.0.2.4");
    // 192.0.2.10 is in an answer: reserved, never handed out by the pool.
    for (const auto& h : plan->hosts()) CHECK(h.ip_text() != "192.0.2.10");
}

TEST_CASE("a host named by its address keeps it, and two DNS names cannot share one", "[export][addresses]") {
    std::vector<trace::Event> events{ev("segment", "a", "192.0.2.1"), a_answer("a", "x", "198.51.100.7", 0),
                                     a_answer("a", "y", "198.51.100.7", 0), ev("ua", "x"), ev("ua", "y")};
    auto plan = AddressPlan::from_trace(events);
    REQUIRE(plan);
    CHECK(ip_of(*plan, "192.0.2.1") == "192.0.2.1");
    CHECK(plan->find("192.0.2.1")->rule == "name");
    CHECK(ip_of(*plan, "a") == "192.0.2.2");
    CHECK(ip_of(*plan, "x") == "198.51.100.7");
    CHECK(ip_of(*plan, "ns") == "192.0.2.3");  // the resolver of the answers, third host to appear
    CHECK(plan->find("y")->rule == "pool");
    CHECK(ip_of(*plan, "y") == "192.0.2.4");
}

TEST_CASE("the pool runs through the three RFC 5737 networks, then fails clearly", "[export][addresses]") {
    std::vector<trace::Event> events;
    for (std::size_t i = 0; i < kAddressPoolSize; ++i) events.push_back(ev("ua", "h" + std::to_string(i)));
    auto plan = AddressPlan::from_trace(events);
    REQUIRE(plan);
    CHECK(ip_of(*plan, "h0") == "192.0.2.1");
    CHECK(ip_of(*plan, "h253") == "192.0.2.254");
    CHECK(ip_of(*plan, "h254") == "198.51.100.1");
    CHECK(ip_of(*plan, "h508") == "203.0.113.1");
    CHECK(ip_of(*plan, "h761") == "203.0.113.254");
    events.push_back(ev("ua", "one-too-many"));
    auto full = AddressPlan::from_trace(events);
    REQUIRE_FALSE(full);
    CHECK(full.error().where == "host one-too-many");
    CHECK(full.error().what.find("RFC 5737") != std::string::npos);
}

TEST_CASE("IPv4 text parsing is strict", "[export][addresses]") {
    CHECK(parse_ipv4("192.0.2.1") == 0xC0000201u);
    CHECK(parse_ipv4("0.0.0.0") == 0u);
    CHECK(parse_ipv4("255.255.255.255") == 0xFFFFFFFFu);
    CHECK_FALSE(parse_ipv4("256.0.0.1"));
    CHECK_FALSE(parse_ipv4("1.2.3"));
    CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
    CHECK_FALSE(parse_ipv4("1.2.3.4 "));
    CHECK_FALSE(parse_ipv4("1..3.4"));
    CHECK_FALSE(parse_ipv4("mx.b.example"));
    CHECK_FALSE(parse_ipv4("1.2.3.0004"));
}

TEST_CASE("initial sequence numbers: fixed per connection and direction", "[export][addresses]") {
    const std::uint32_t a = initial_sequence_number(1, "pc.alice");
    CHECK(a == initial_sequence_number(1, "pc.alice"));  // deterministic
    CHECK(a != initial_sequence_number(1, "mx.a.example"));
    CHECK(a != initial_sequence_number(2, "pc.alice"));
    // The upper half of FNV-1a 64 of "1/pc.alice", computed separately and
    // pinned: captures made by different versions must keep matching.
    CHECK(a == 0x83cddd13u);
}
