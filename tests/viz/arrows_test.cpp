// arrows_test.cpp — the sequence diagram's arrows: packets paired by id, lines
// paired by their byte offsets in the stream, losses, one-sided traces, data
// segments covered by the line they carry, and the handshake mark.
#include <catch2/catch.hpp>

#include "model/trace_model.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;
using vizt::line;
using vizt::seg;

TEST_CASE("segments pair by id, and a lost one ends where it was lost", "[viz][arrows]") {
    vizt::Builder b;
    b.at(0).add(seg("send", "a", "b", 1, 1, "SYN", 0, 0, 0));
    b.at(20).add(seg("recv", "b", "a", 1, 1, "SYN", 0, 0, 0));
    b.at(20).add(seg("send", "b", "a", 1, 2, "SYN,ACK", 0, 1, 0));
    b.at(31).add(seg("lost", "b", "a", 1, 2, "SYN,ACK", 0, 1, 0));
    const auto m = b.model();
    REQUIRE(m.arrows().size() == 2);
    const Arrow& syn = m.arrow(0);
    CHECK(syn.from_ev == 0);
    CHECK(syn.to_ev == 1);
    CHECK(syn.t0 == 0);
    CHECK(syn.t1 == 20);
    CHECK(m.host_name(syn.src) == "a");
    CHECK(m.host_name(syn.dst) == "b");
    CHECK_FALSE(syn.flags & flag::lost);
    const Arrow& lost = m.arrow(1);
    CHECK(lost.to_ev == 3);
    CHECK(lost.t1 == 31);
    CHECK(lost.flags & flag::lost);
    CHECK(lost.flags & flag::failure);
    CHECK(m.ev(1).arrow == 0);
    CHECK(m.ev(3).arrow == 1);
    CHECK(m.open_arrows().empty());
    CHECK(m.label(0) == "SYN seq=0");
    CHECK(m.label(2) == "SYN,ACK seq=0 ack=1");
}

TEST_CASE("lines pair by stream offset even when the receiver reads them in pieces", "[viz][arrows]") {
    vizt::Builder b;
    b.at(0).add(line("send", "c", "s", 4, "EHLO c\r\n"));             // 8 octets
    b.at(0).add(line("send", "c", "s", 4, "MAIL FROM:<a@b>\r\n"));    // 17 octets
    b.at(50).add(line("recv", "s", "c", 4, "EHLO c\r\nMAIL"));         // all of the first, part of the second
    b.at(70).add(line("recv", "s", "c", 4, " FROM:<a@b>\r\n"));
    const auto m = b.model();
    REQUIRE(m.arrows().size() == 2);
    CHECK(m.arrow(0).to_ev == 2);
    CHECK(m.arrow(0).t1 == 50);
    CHECK(m.arrow(1).to_ev == 3);
    CHECK(m.arrow(1).t1 == 70);
    CHECK(m.label(1) == "MAIL FROM:<a@b>");
    CHECK(m.ev(1).aux == 8);  // its first octet is octet 8 of the client's stream
    CHECK(m.open_arrows().empty());
}

TEST_CASE("replies from an untraced peer are flat arrows, sends to it are flat too", "[viz][arrows]") {
    // A `postino check` style trace: only the client reports.
    vizt::Builder b;
    b.at(10).add(line("recv", "checker", "mx.real", 1, "220 mx.real ESMTP\r\n"));
    b.at(12).add(line("send", "checker", "mx.real", 1, "EHLO checker\r\n"));
    const auto m = b.model();
    REQUIRE(m.arrows().size() == 2);
    CHECK(m.arrow(0).flags & flag::one_sided);
    CHECK(m.host_name(m.arrow(0).src) == "mx.real");
    CHECK(m.arrow(0).t0 == 10);
    CHECK(m.arrow(0).t1 == 10);
    CHECK(m.arrow(1).flags & flag::one_sided);
    CHECK_FALSE(m.host_emits(*m.host_id("mx.real")));
    CHECK(m.open_arrows().empty());
}

TEST_CASE("the first transmission of a line's bytes is covered by the line's arrow", "[viz][arrows]") {
    vizt::Builder b;
    b.at(0).add(line("send", "c", "s", 1, "HELO x\r\n"));                  // octets 0..7 -> seq 1..8
    b.at(0).add(seg("send", "c", "s", 1, 5, "PSH,ACK", 1, 1, 8));
    b.at(9).add(seg("lost", "c", "s", 1, 5, "PSH,ACK", 1, 1, 8));
    b.at(200).add(seg("send", "c", "s", 1, 6, "PSH,ACK", 1, 1, 8, true));
    b.at(220).add(seg("recv", "s", "c", 1, 6, "PSH,ACK", 1, 1, 8, true));
    b.at(220).add(line("recv", "s", "c", 1, "HELO x\r\n"));
    const auto m = b.model();
    REQUIRE(m.arrows().size() == 3);
    const Arrow& l = m.arrow(0);
    CHECK(l.kind == Kind::line);
    CHECK(l.t1 == 220);
    CHECK(m.arrow(1).covered_by == 0);  // the first transmission (lost) carried the line's bytes
    CHECK(m.arrow(1).flags & flag::lost);
    CHECK(m.arrow(2).covered_by == kNone);  // a retransmission is never covered
    CHECK(m.arrow(2).flags & flag::retry);
}

TEST_CASE("the demo trace: handshake marked on the connecting side, faults marked", "[viz][arrows]") {
    const auto m = vizt::load("demo.jsonl");
    REQUIRE(m.marked(Mark::handshake).size() == 1);
    const auto hs = m.marked(Mark::handshake)[0];
    CHECK(m.ev(hs).kind == Kind::tcp);
    CHECK(m.host_name(m.ev(hs).host) == "pc.alice.example");
    // link-down begin/end and the refused connection
    CHECK(m.marked(Mark::fault).size() == 3);
    CHECK(m.open_arrows().empty());
    // Every segment sent is received or lost.
    for (const auto& a : m.arrows()) CHECK(a.done());
    // DNS datagrams are labelled from their wire format.
    bool found = false;
    for (std::size_t i = 0; i < m.size(); ++i) {
        if (m.label(i) == "DNS query A server.example") found = true;
    }
    CHECK(found);
    CHECK(m.has_cat(Cat::dns));
    CHECK(m.has_cat(Cat::tcp));
    CHECK_FALSE(m.has_cat(Cat::smtp));
}

TEST_CASE("SMTP mail fixture: labels, failures and bounces", "[viz][arrows]") {
    const auto m = vizt::load("mail-bounce.jsonl");
    std::vector<std::string> labels;
    for (const auto& a : m.arrows()) labels.emplace_back(m.label(a.from_ev));
    CHECK(std::find(labels.begin(), labels.end(), "MAIL FROM:<alice@a.example>") != labels.end());
    CHECK(std::find(labels.begin(), labels.end(), "250 2.1.0 Ok") != labels.end());
    CHECK(std::find(labels.begin(), labels.end(), "250-mx.a.example  (+2 lines)") != labels.end());
    CHECK(m.marked(Mark::deferral).size() == 2);
    CHECK(m.marked(Mark::bounce).size() == 2);  // expired + bounced
    CHECK(m.marked(Mark::delivery).size() == 1);
    CHECK(m.messages().size() == 3);
}
