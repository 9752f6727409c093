// state_test.cpp — the reconstructed world: spool entries appear, change and
// disappear; mailboxes get messages, deletions and flags; hosts and links go
// down and up; connections open and close; packets are in flight.
#include <catch2/catch.hpp>

#include "model/session.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

// The index of the first event whose label starts with `prefix`, after `from`.
std::uint32_t find_label(const TraceModel& m, std::string_view prefix, std::uint32_t from = 0) {
    for (std::uint32_t i = from; i < m.size(); ++i) {
        if (m.label(i).substr(0, prefix.size()) == prefix) return i;
    }
    FAIL("no event labelled " << prefix);
    return kNone;
}

}  // namespace

TEST_CASE("spool entries appear, are retried, bounce and disappear", "[viz][state]") {
    Session s(vizt::load("mail-bounce.jsonl"));
    const auto& m = s.model();
    const auto mxa = *m.host_id("mx.a.example");
    const auto key = std::make_pair(mxa, std::string("Q1"));

    const std::uint32_t enq = find_label(m, "enqueued Q1");
    s.seek(enq);
    CHECK(s.state().spool.count(key) == 0);
    s.seek(enq + 1);
    REQUIRE(s.state().spool.count(key) == 1);
    const SpoolEntry& e = s.state().spool.at(key);
    CHECK(e.from == "alice@a.example");
    REQUIRE(e.rcpts.size() == 1);
    CHECK(e.rcpts[0].addr == "bob@b.example");
    CHECK(e.rcpts[0].state == "queued");
    CHECK(e.dest == "b.example");
    CHECK(e.deposit == m.ev(enq).t);
    CHECK(e.attempts == 0);

    const std::uint32_t def1 = find_label(m, "deferred Q1");
    s.seek(def1 + 1);
    const SpoolEntry d = s.state().spool.at(key);  // a copy: seeking replaces the state
    CHECK(d.attempts == 1);
    CHECK(d.state == "deferred");
    CHECK(d.status == "4.4.1");
    CHECK(d.last_error.find("connection timed out") != std::string::npos);
    CHECK(d.next > m.ev(def1).t);

    const std::uint32_t bounced = find_label(m, "bounced Q1");
    s.seek(bounced + 1);
    CHECK(s.state().spool.at(key).rcpts[0].state == "bounced");
    CHECK(s.state().bounced == 1);
    CHECK(s.state().deferred == 2);

    const std::uint32_t dsn = find_label(m, "enqueued Q2");
    s.seek(dsn + 1);
    const SpoolEntry& b = s.state().spool.at(std::make_pair(mxa, std::string("Q2")));
    CHECK(b.dsn_for == "Q1");
    CHECK(b.from.empty());

    s.to_end();
    CHECK(s.state().spool.empty());
    const MailboxKey inbox{mxa, "alice", "INBOX"};
    REQUIRE(s.state().mailboxes.count(inbox) == 1);
    CHECK(s.state().mailboxes.at(inbox).at(1).queue_id == "Q2");
    // Back again: the entry is there once more, exactly as before.
    s.seek(def1 + 1);
    CHECK(s.state().spool.at(key) == d);
}

TEST_CASE("mailboxes: stored, POP3 deletion, IMAP flags", "[viz][state]") {
    Session s(vizt::load("mail-mailbox.jsonl"));
    const auto& m = s.model();
    const auto mx = *m.host_id("mx.b.example");
    const MailboxKey inbox{mx, "bob", "INBOX"};
    s.seek(find_label(m, "stored uid 2") + 1);
    REQUIRE(s.state().mailboxes.at(inbox).size() == 2);
    CHECK_FALSE(s.state().mailboxes.at(inbox).at(1).deleted);
    s.seek(find_label(m, "deleted uid 1") + 1);
    CHECK(s.state().mailboxes.at(inbox).at(1).deleted);
    CHECK(s.state().mailboxes.at(inbox).at(2).flags.empty());
    s.seek(find_label(m, "flags uid 2") + 1);
    CHECK(s.state().mailboxes.at(inbox).at(2).flags == "\\Seen \\Flagged");
    // Two recipients: one delivered, one deferred.
    const auto& q7 = s.state().spool.at(std::make_pair(mx, std::string("Q7")));
    REQUIRE(q7.rcpts.size() == 2);
    CHECK(q7.rcpts[0].state == "delivered");
    CHECK(q7.rcpts[1].state == "queued");
    CHECK(q7.state == "deferred");
}

TEST_CASE("hosts, links, faults, connections and packets in flight (demo)", "[viz][state]") {
    Session s(vizt::load("demo.jsonl"));
    const auto& m = s.model();
    const auto server = *m.host_id("server.example");
    const std::uint32_t down = find_label(m, "link-down server.example begins");
    s.seek(down);
    CHECK(s.state().hosts[server].link_down == 0);
    CHECK(s.state().conns.count(1) == 1);
    CHECK(s.state().conns.at(1).client_state == "established");
    s.seek(down + 1);
    CHECK(s.state().hosts[server].link_down == 1);
    CHECK(s.state().faults.size() == 1);
    s.seek(find_label(m, "link-down server.example ends") + 1);
    CHECK(s.state().hosts[server].link_down == 0);
    CHECK(s.state().faults.empty());

    // Right after the SYN is sent, it is in flight.
    s.seek(find_label(m, "SYN seq=0") + 1);
    REQUIRE(s.state().in_flight.size() == 1);
    CHECK(m.arrow(*s.state().in_flight.begin()).kind == Kind::segment);
    s.to_end();
    CHECK(s.state().in_flight.empty());
    CHECK(s.state().conns.empty());  // closed, then refused
    CHECK(s.state().lost == 6);
    CHECK(m.label(s.state().last_note) == "port 13: connection refused");
}
