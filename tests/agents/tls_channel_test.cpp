// tls_channel_test.cpp — the simulated TLS 1.3 handshake and records
// (sim/agents/tls_channel.hpp; RFC 8446 §4, §5.1–5.2): both ends of one
// connection, fed whole and one octet at a time.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "agents/tls_channel.hpp"
#include "core/trace_schema.hpp"

using namespace postino;
using namespace postino::agents;

namespace {

class Collect : public trace::Sink {
public:
    void on_event(const trace::Event& e) override { events.push_back(e); }
    std::vector<trace::Event> events;
};

struct Pair {
    Collect sink;
    trace::Recorder rec{[] { return Time{}; }};
    TlsChannel client{rec, "c", "s", 7};
    TlsChannel server{rec, "s", "c", 7};
    Pair() { rec.add_sink(&sink); }

    // Delivers `bytes` to `to`, whole or octet by octet.
    TlsChannel::Input deliver(TlsChannel& to, const std::string& bytes, bool by_octet) {
        if (!by_octet) return to.receive(bytes);
        TlsChannel::Input all;
        for (char c : bytes) {
            TlsChannel::Input one = to.receive(std::string_view(&c, 1));
            all.plaintext += one.plaintext;
            all.to_send += one.to_send;
            all.established = all.established || one.established;
            if (!one.error.empty()) all.error = one.error;
        }
        return all;
    }
};

}  // namespace

TEST_CASE("tls channel: handshake sizes, then records 22 octets longer than what they carry", "[agents][tls]") {
    for (const bool by_octet : {false, true}) {
        Pair p;
        CHECK(p.server.start(true, "smtp").empty());
        const std::string hello = p.client.start(false, "smtp");
        CHECK(hello.size() == kTlsRecordHeaderOctets + kTlsClientHelloOctets);  // 517
        CHECK(static_cast<unsigned char>(hello[0]) == 22);
        const auto flight = p.deliver(p.server, hello, by_octet);
        REQUIRE(flight.error.empty());
        CHECK_FALSE(flight.established);
        CHECK(flight.to_send.size() == 127 + 6 + kTlsServerFlightOctets + kTlsRecordOverheadOctets);
        const auto fin = p.deliver(p.client, flight.to_send, by_octet);
        REQUIRE(fin.error.empty());
        CHECK(fin.established);
        CHECK(p.client.established());
        CHECK(fin.to_send.size() == 6 + kTlsFinishedOctets + kTlsRecordOverheadOctets);
        // The client's Finished and its first application record in one segment.
        const std::string ehlo = p.client.seal("EHLO client.example\r\n");
        CHECK(ehlo.size() == 21 + kTlsRecordOverheadOctets);
        CHECK(ehlo.find("EHLO") == std::string::npos);  // opaque on the wire
        const auto in = p.deliver(p.server, fin.to_send + ehlo, by_octet);
        REQUIRE(in.error.empty());
        CHECK(in.established);
        CHECK(in.plaintext == "EHLO client.example\r\n");
        const auto back = p.deliver(p.client, p.server.seal("250 ok\r\n"), by_octet);
        CHECK(back.plaintext == "250 ok\r\n");
        for (const auto& e : p.sink.events) CHECK(trace::validate(e).empty());
    }
}

TEST_CASE("tls channel: a large write is split into records of at most 2^14 octets", "[agents][tls]") {
    Pair p;
    p.server.start(true, "smtp");
    const auto flight = p.server.receive(p.client.start(false, "smtp"));
    const auto fin = p.client.receive(flight.to_send);
    p.server.receive(fin.to_send);
    const std::string big(40000, 'x');
    const std::string wire = p.client.seal(big);
    CHECK(wire.size() == big.size() + 3 * kTlsRecordOverheadOctets);
    CHECK(p.server.receive(wire).plaintext == big);
}

TEST_CASE("tls channel: plaintext where a ClientHello belongs, or a tampered record, is an error", "[agents][tls]") {
    Pair p;
    p.server.start(true, "smtp");
    CHECK_FALSE(p.server.receive(std::string("\x17\x03\x03\x00\x20", 5) + std::string(32, 'a')).error.empty());
    Pair q;
    q.server.start(true, "smtp");
    const auto flight = q.server.receive(q.client.start(false, "smtp"));
    std::string bad = flight.to_send;
    bad.back() = static_cast<char>(bad.back() ^ 1);  // the AEAD tag of the protected flight
    CHECK(q.client.receive(bad).error.find("bad_record_mac") != std::string::npos);
}
