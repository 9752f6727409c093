// demo.cpp — the built-in network demo (see demo.hpp).
#include "app/demo.hpp"

#include <memory>

#include "core/scheduler.hpp"
#include "net/dns_server.hpp"
#include "net/faults.hpp"
#include "net/network.hpp"
#include "net/resolver.hpp"

namespace postino::app {
namespace {

constexpr std::uint16_t kEchoPort = 7;     // RFC 862
constexpr std::uint16_t kDaytimePort = 13; // RFC 867: nothing listens there in the demo

struct Demo {
    Scheduler sched;
    trace::Recorder rec{[this] { return sched.now(); }};
    std::unique_ptr<net::Network> net;
    std::unique_ptr<net::dns::Server> dns;
    std::unique_ptr<net::dns::Resolver> resolver;
    std::unique_ptr<net::FaultInjector> faults;
    std::shared_ptr<net::TcpConnection> echo;
    int echoes = 0;

    void note(const std::string& host, const std::string& text) {
        rec.emit(trace::Event("note", host).set("text", text));
    }
    void line(net::TcpConnection& c, const char* dir, std::string_view bytes) {
        rec.emit(trace::Event("line", c.host().name(), c.peer_name(), c.id())
                     .set("proto", "echo")
                     .set("dir", dir)
                     .set_bytes("bytes", bytes));
    }
    void say(net::TcpConnection& c, std::string_view text) {
        line(c, "send", text);
        c.send(text);
    }

    explicit Demo(std::uint64_t seed) {
        net = std::make_unique<net::Network>(sched, rec, seed);
        net::LinkParams home;  // a home line: slower, more jitter
        home.latency = milliseconds(8);
        home.bandwidth_bps = 20'000'000;
        home.jitter = milliseconds(3);
        net::LinkParams dc;    // a data centre
        dc.latency = milliseconds(12);
        dc.jitter = milliseconds(1);
        net::LinkParams ns_link;
        ns_link.latency = milliseconds(3);
        net::Host& pc = net->add_host("pc.alice.example", home);
        net::Host& server = net->add_host("server.example", dc);
        net::Host& ns = net->add_host("ns.example", ns_link);
        net::dns::Zone zone;
        zone.add_a("server.example", server.ip());
        dns = std::make_unique<net::dns::Server>(ns, zone);
        resolver = std::make_unique<net::dns::Resolver>(pc, ns.ip());
        faults = std::make_unique<net::FaultInjector>(*net, dns.get());

        // The echo service (RFC 862) on server.example.
        server.listen(kEchoPort, [this](const std::shared_ptr<net::TcpConnection>& c) {
            net::TcpConnection* raw = c.get();
            c->on_data = [this, raw](std::string_view d) {
                line(*raw, "recv", d);
                say(*raw, d);
            };
            c->on_eof = [raw] { raw->close(); };
        });
    }

    void start() {
        note("pc.alice.example", "Alice's computer wants to talk to server.example: first it asks DNS for the address");
        resolver->query("server.example", net::dns::RrType::A, [this](const net::dns::Answer& a) {
            if (!a.ok()) {
                note("pc.alice.example", std::string("DNS failed: ") + net::dns::to_string(a.status));
                return;
            }
            note("pc.alice.example", "server.example is " + a.records[0].a.str() + "; open a TCP connection to the echo port 7");
            connect_echo(a.records[0].a);
        });
    }

    void connect_echo(net::Ip4 ip) {
        net::Host& pc = net->host("pc.alice.example");
        echo = pc.connect(ip, kEchoPort);
        net::TcpConnection* raw = echo.get();
        echo->on_connected = [this, raw] {
            note("pc.alice.example", "three-way handshake done: send a line, the server echoes it");
            say(*raw, "HELLO server.example\r\n");
        };
        echo->on_data = [this, raw, ip](std::string_view d) {
            line(*raw, "recv", d);
            ++echoes;
            if (echoes == 1) {
                note("", "the access link of server.example goes down for 1.5 s: the next segment is lost");
                faults->schedule(net::LinkDown{"server.example"}, sched.now(), milliseconds(1500));
                sched.schedule_in(Duration{}, [this, raw] {
                    say(*raw, "this line is sent while the link is down\r\n");
                });
            } else if (echoes == 2) {
                note("pc.alice.example", "the retransmitted segment got through: close the connection (FIN)");
                raw->close();
                sched.schedule_in(milliseconds(500), [this, ip] { connect_daytime(ip); });
            }
        };
        echo->on_closed = [this](net::CloseReason r) {
            note("pc.alice.example", std::string("echo connection ended: ") + net::to_string(r));
        };
    }

    void connect_daytime(net::Ip4 ip) {
        note("pc.alice.example", "now try port 13, where nothing listens: the server answers the SYN with RST");
        auto c = net->host("pc.alice.example").connect(ip, kDaytimePort);
        c->on_closed = [this](net::CloseReason r) {
            note("pc.alice.example", std::string("port 13: ") + net::to_string(r));
        };
    }
};

}  // namespace

RunSummary run_demo(std::uint64_t seed, const std::vector<trace::Sink*>& sinks) {
    Demo d(seed);
    for (trace::Sink* s : sinks) d.rec.add_sink(s);
    d.start();
    // Bounded: the demo ends in seconds of simulated time; TIME-WAIT expiry
    // and timers are drained by running to idle, guarded against a runaway.
    d.sched.run_until_idle(1'000'000);
    return RunSummary{seed, d.rec.count(), d.rec.fingerprint_hex(), d.sched.now()};
}

}  // namespace postino::app
