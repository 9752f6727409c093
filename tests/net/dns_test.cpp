// dns_test.cpp — DNS over simulated UDP: answers, NXDOMAIN, SERVFAIL, NODATA,
// no-answer timeout with retry; the RFC 1035 codec and its bounds.
#include <catch2/catch.hpp>

#include "net/dns_server.hpp"
#include "net/faults.hpp"
#include "net/resolver.hpp"
#include "sim_fixture.hpp"

using namespace postino;
using namespace postino::net;
using postino::testing::SimFixture;

namespace {
struct DnsWorld : SimFixture {
    Host& client = net->add_host("pc.a.example", latency_only(milliseconds(5)));
    Host& ns = net->add_host("ns.example", latency_only(milliseconds(5)));
    std::unique_ptr<dns::Server> server;
    std::unique_ptr<dns::Resolver> resolver;
    DnsWorld() {
        dns::Zone z;
        z.add_mx("b.example", 10, "mx1.b.example");
        z.add_mx("b.example", 20, "mx2.b.example");
        z.add_a("mx1.b.example", Ip4::of(198, 51, 100, 1));
        z.add_a("only-a.example", Ip4::of(198, 51, 100, 7));
        server = std::make_unique<dns::Server>(ns, z);
        resolver = std::make_unique<dns::Resolver>(client, ns.ip());
    }
    dns::Answer ask(const std::string& name, dns::RrType type, Time* when = nullptr) {
        std::optional<dns::Answer> got;
        resolver->query(name, type, [&](const dns::Answer& a) {
            got = a;
            if (when != nullptr) *when = sched.now();
        });
        sched.run_until_idle();
        REQUIRE(got.has_value());
        return *got;
    }
};
}  // namespace

TEST_CASE("MX and A queries are answered over UDP in one round trip", "[dns]") {
    DnsWorld w;
    Time at{};
    auto mx = w.ask("B.Example.", dns::RrType::MX, &at);
    CHECK(at == milliseconds(20));
    REQUIRE(mx.status == dns::Answer::Status::Ok);
    REQUIRE(mx.records.size() == 2);
    CHECK(mx.records[0].preference == 10);
    CHECK(mx.records[0].exchange == "mx1.b.example");
    CHECK(mx.records[1].rdata_text() == "20 mx2.b.example");
    auto a = w.ask("mx1.b.example", dns::RrType::A);
    REQUIRE(a.ok());
    CHECK(a.records[0].a == Ip4::of(198, 51, 100, 1));
    CHECK(w.count("datagram", "send") == 4);
    const auto* answer = w.first("dns", "answer");
    REQUIRE(answer != nullptr);
    CHECK(answer->get_str("answer") == "10 mx1.b.example, 20 mx2.b.example");
}

TEST_CASE("unknown names get NXDOMAIN and names without the type get NODATA", "[dns]") {
    DnsWorld w;
    CHECK(w.ask("nowhere.example", dns::RrType::MX).status == dns::Answer::Status::NxDomain);
    CHECK(w.ask("only-a.example", dns::RrType::MX).status == dns::Answer::Status::NoData);
    CHECK(w.count("dns", "nxdomain") == 1);
    CHECK(w.count("dns", "nodata") == 1);
}

TEST_CASE("each DNS fault shows up as the resolver would see it", "[dns]") {
    DnsWorld w;
    FaultInjector faults(*w.net, w.server.get());
    SECTION("nxdomain") {
        faults.begin(DnsFault{"b.example", dns::Fault::NxDomain});
        CHECK(w.ask("b.example", dns::RrType::MX).status == dns::Answer::Status::NxDomain);
        CHECK(w.ask("mx1.b.example", dns::RrType::A).ok());  // other names unaffected
    }
    SECTION("servfail") {
        faults.begin(DnsFault{"b.example", dns::Fault::ServFail});
        CHECK(w.ask("b.example", dns::RrType::MX).status == dns::Answer::Status::ServFail);
    }
    SECTION("timeout: three attempts two seconds apart, then give up") {
        faults.begin(DnsFault{"b.example", dns::Fault::Timeout});
        Time at{};
        CHECK(w.ask("b.example", dns::RrType::MX, &at).status == dns::Answer::Status::Timeout);
        CHECK(at == seconds(6));
        CHECK(w.count("dns", "query") == 1);
        CHECK(w.count("dns", "retry") == 2);
        CHECK(w.count("dns", "ignored") == 3);
        CHECK(w.resolver->pending() == 0);
    }
    SECTION("a fault that ends lets the retry succeed") {
        faults.schedule(DnsFault{"b.example", dns::Fault::Timeout}, Time{}, seconds(3));
        Time at{};
        auto a = w.ask("b.example", dns::RrType::MX, &at);
        CHECK(a.ok());
        CHECK(at == seconds(4) + milliseconds(20));  // third attempt at 4 s
        CHECK(w.count("fault", "begin") == 1);
        CHECK(w.count("fault", "end") == 1);
    }
}

TEST_CASE("the DNS server being down looks like a timeout", "[dns]") {
    DnsWorld w;
    w.net->set_host_up("ns.example", false);
    CHECK(w.ask("b.example", dns::RrType::MX).status == dns::Answer::Status::Timeout);
}

TEST_CASE("DNS messages round-trip through RFC 1035 wire format", "[dns]") {
    dns::Message m;
    m.id = 0xBEEF;
    m.response = true;
    m.qname = "b.example";
    m.qtype = dns::RrType::MX;
    dns::Record r;
    r.name = "b.example";
    r.type = dns::RrType::MX;
    r.preference = 10;
    r.exchange = "mx1.b.example";
    m.answers.push_back(r);
    const std::string wire = dns::encode(m);
    CHECK(wire.size() == 12 + (11 + 4) + (11 + 10 + 2 + 15));
    CHECK(static_cast<unsigned char>(wire[0]) == 0xBE);
    auto back = dns::decode(wire);
    REQUIRE(back.ok());
    CHECK(back->id == 0xBEEF);
    CHECK(back->qname == "b.example");
    REQUIRE(back->answers.size() == 1);
    CHECK(back->answers[0].exchange == "mx1.b.example");
}

TEST_CASE("malformed DNS messages are rejected with where and what", "[dns]") {
    CHECK_FALSE(dns::decode("short").ok());
    // Header claiming one question whose name is a pointer to itself.
    std::string loop("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\xC0\x0C\x00\x0F\x00\x01", 18);
    auto r = dns::decode(loop);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().what.find("backwards") != std::string::npos);
    CHECK(r.error().where == "DNS message offset 12");
    // A label running past the end.
    std::string trunc("\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x09" "abc", 16);
    CHECK_FALSE(dns::decode(trunc).ok());
    // Trailing garbage.
    dns::Message m;
    m.qname = "x.example";
    CHECK_FALSE(dns::decode(dns::encode(m) + "junk").ok());
    CHECK(dns::check_name("a..b") != "");
    CHECK(dns::check_name(std::string(64, 'a') + ".example") != "");
    CHECK(dns::check_name("mx.b.example").empty());
}

TEST_CASE("UDP datagrams reach bound ports and carry their bytes in the trace", "[udp]") {
    SimFixture f;
    Host& a = f.net->add_host("a", SimFixture::latency_only(milliseconds(3)));
    Host& b = f.net->add_host("b", SimFixture::latency_only(milliseconds(4)));
    std::string got;
    std::uint16_t from_port = 0;
    b.udp_bind(9999, [&](Ip4 from, std::uint16_t port, std::string_view d) {
        CHECK(from == a.ip());
        from_port = port;
        got = d;
    });
    a.udp_send(5555, b.ip(), 9999, std::string("\x01\x02hello", 7));
    a.udp_send(5555, b.ip(), 1234, "nobody listens");
    f.sched.run_until_idle();
    CHECK(got == std::string("\x01\x02hello", 7));
    CHECK(from_port == 5555);
    const auto* recv = f.first("datagram", "recv");
    REQUIRE(recv != nullptr);
    CHECK(recv->t == milliseconds(7));
    CHECK(recv->get_bytes("bytes") == std::string("\x01\x02hello", 7));
}
