// conservation_test.cpp — the "mail is never lost" check over spool events.
#include <catch2/catch.hpp>

#include "agents/conservation.hpp"

using namespace postino;
using namespace postino::agents;
using trace::Event;

namespace {
Event spool(const std::string& host, const std::string& ev, const std::string& qid, const std::string& to = {}) {
    Event e("spool", host);
    e.set("ev", ev).set("queue_id", qid);
    if (!to.empty()) e.set("to", to);
    return e;
}
}  // namespace

TEST_CASE("delivered, relayed and queued mail is conserved", "[conservation]") {
    std::vector<Event> ev{
        spool("mx.a", "enqueued", "Q1", "bob@b.example,carol@a.example"),
        spool("mx.a", "delivered", "Q1", "carol@a.example"),
        spool("mx.a", "sent", "Q1", "bob@b.example"),
        spool("mx.a", "removed", "Q1"),
        spool("mx.a", "enqueued", "Q2", "dave@c.example"),
        spool("mx.a", "deferred", "Q2", "dave@c.example"),
    };
    auto r = check_conservation(ev);
    CHECK(r.ok());
    CHECK(r.accepted == 2);
    CHECK(r.delivered == 1);
    CHECK(r.sent == 1);
    CHECK(r.still_queued == 1);
    CHECK(r.summary() == "2 accepted, 1 delivered, 1 relayed, 0 bounced, 1 still queued: no mail lost");
}

TEST_CASE("losing a message or a bounce is a named violation", "[conservation]") {
    SECTION("removed while pending") {
        auto r = check_conservation({spool("mx.a", "enqueued", "Q1", "bob@b"), spool("mx.a", "removed", "Q1")});
        REQUIRE(r.violations.size() == 1);
        CHECK(r.violations[0].queue_id == "Q1");
        CHECK(r.violations[0].reason.find("removed from the spool") != std::string::npos);
    }
    SECTION("bounced without a DSN") {
        auto r = check_conservation({spool("mx.a", "enqueued", "Q1", "bob@b"), spool("mx.a", "bounced", "Q1", "bob@b"),
                                     spool("mx.a", "removed", "Q1")});
        REQUIRE(r.violations.size() == 1);
        CHECK(r.violations[0].reason.find("no DSN") != std::string::npos);
    }
    SECTION("bounced with a DSN is fine") {
        Event dsn = spool("mx.a", "enqueued", "Q2", "alice@a");
        dsn.set("dsn_for", "Q1").set("bounce", true);
        auto r = check_conservation({spool("mx.a", "enqueued", "Q1", "bob@b"), spool("mx.a", "bounced", "Q1", "bob@b"),
                                     dsn, spool("mx.a", "removed", "Q1"), spool("mx.a", "delivered", "Q2", "alice@a"),
                                     spool("mx.a", "removed", "Q2")});
        CHECK(r.ok());
    }
    SECTION("a failed bounce must reach the postmaster") {
        Event dsn = spool("mx.a", "enqueued", "Q2", "alice@x");
        dsn.set("bounce", true);
        auto bad = check_conservation({dsn, spool("mx.a", "bounced", "Q2", "alice@x"), spool("mx.a", "removed", "Q2")});
        CHECK_FALSE(bad.ok());
        auto good = check_conservation({dsn, spool("mx.a", "bounced", "Q2", "alice@x"),
                                        spool("mx.a", "double-bounce", "Q2"), spool("mx.a", "removed", "Q2")});
        CHECK(good.ok());
    }
    SECTION("finished but never removed") {
        auto r = check_conservation({spool("mx.a", "enqueued", "Q1", "bob@b"), spool("mx.a", "sent", "Q1", "bob@b")});
        CHECK_FALSE(r.ok());
    }
}

TEST_CASE("IMAP appends, copies and moves are not deliveries", "[conservation]") {
    auto mailbox = [](const std::string& ev, int uid, const std::string& folder) {
        Event e("mailbox", "mx.b");
        e.set("ev", ev).set("mailbox", "bob").set("uid", uid);
        if (!folder.empty()) e.set("folder", folder);
        e.set("address", "bob@b").set("message_id", "<1@a>");
        return e;
    };
    std::vector<Event> ev{
        spool("mx.b", "enqueued", "Q1", "bob@b"),
        mailbox("stored", 1, ""),
        spool("mx.b", "delivered", "Q1", "bob@b"),
        spool("mx.b", "removed", "Q1"),
        mailbox("copied", 1, "Archive"),
        mailbox("expunged", 1, "INBOX"),
        mailbox("appended", 1, "Sent"),
        mailbox("copied", 2, "Archive"),
    };
    auto r = check_conservation(ev);
    CHECK(r.ok());
    CHECK(r.delivered == 1);
    CHECK(r.duplicates.empty());  // the same Message-ID in three folders is not a duplicate delivery
    // The same trace with a second `stored` of that Message-ID is one.
    ev.push_back(mailbox("stored", 2, ""));
    CHECK(check_conservation(ev).duplicates.size() == 1);
}
