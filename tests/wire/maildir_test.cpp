// maildir_test.cpp — the Maildir store and the spool of `postino serve`:
// durable delivery into new/, exactly-once redelivery, names that cannot
// leave the data directory, quotas, the POP3 lock, spool round trip and
// recovery.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>
#include <unistd.h>

#include "wire/durable_file.hpp"
#include "wire/maildir_store.hpp"
#include "wire/spool_dir.hpp"

using namespace postino;
using namespace postino::wire;

namespace {
std::string temp_dir() {
    char tmpl[] = "/tmp/postino-wire-test-XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    return d;
}
}  // namespace

TEST_CASE("account names that could leave the data directory are refused") {
    CHECK(valid_account_name("alice"));
    CHECK(valid_account_name("bob.smith-2_x"));
    CHECK_FALSE(valid_account_name(""));
    CHECK_FALSE(valid_account_name(".."));
    CHECK_FALSE(valid_account_name(".hidden"));
    CHECK_FALSE(valid_account_name("a/b"));
    CHECK_FALSE(valid_account_name("../etc"));
    CHECK_FALSE(valid_account_name("Alice"));  // accounts are lower-case
    CHECK_FALSE(valid_account_name(std::string(65, 'a')));
    CHECK_FALSE(valid_message_name("x/y"));
    CHECK_FALSE(valid_message_name("a:2,S"));
    CHECK_FALSE(valid_message_name(std::string(71, 'a')));
    const std::string dir = temp_dir();
    auto bad = MaildirStore::open(dir, {{"../escape", "", 0, false}});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().what.find("may hold only") != std::string::npos);
    CHECK_FALSE(file_exists(dir + "/escape"));
}

TEST_CASE("a delivery lands in new/ whole, once, and is listed, read and removed") {
    const std::string dir = temp_dir();
    auto st = MaildirStore::open(dir, {{"alice", "pw", 0, false}});
    REQUIRE(st.ok());
    MaildirStore& s = *st;
    for (const char* sub : {"tmp", "new", "cur"}) CHECK(file_exists(dir + "/mailboxes/alice/" + sub));
    auto r = s.insert("alice", "0000000001.M000001P1Q000001", "Subject: x\r\n\r\nhi\r\n");
    REQUIRE(r.ok());
    CHECK(*r);
    CHECK(file_exists(dir + "/mailboxes/alice/new/0000000001.M000001P1Q000001"));
    auto files = list_files(dir + "/mailboxes/alice/tmp");
    REQUIRE(files.ok());
    CHECK(files->empty());
    auto again = s.insert("alice", "0000000001.M000001P1Q000001", "different");
    REQUIRE(again.ok());
    CHECK_FALSE(*again);  // already delivered: not written twice
    REQUIRE(s.insert("alice", "0000000002.M000001P1Q000002", "second\r\n").ok());
    const auto list = s.list("alice");
    REQUIRE(list.size() == 2);
    CHECK(list[0].uid == "0000000001.M000001P1Q000001");
    CHECK(*s.read(list[0]) == "Subject: x\r\n\r\nhi\r\n");
    CHECK(s.octets("alice") == 18 + 8);
    CHECK(s.remove("alice", list[0].uid));
    CHECK_FALSE(s.remove("alice", list[0].uid));
    CHECK(s.list("alice").size() == 1);
    CHECK_FALSE(s.insert("mallory", "0000000003.M000001P1Q000003", "x").ok());
    // A fresh delivery (once = false) skips the scan but never overwrites.
    auto fresh = s.insert("alice", "0000000004.M000001P1Q000004", "fresh\r\n", false);
    REQUIRE(fresh.ok());
    CHECK(*fresh);
    auto twice = s.insert("alice", "0000000004.M000001P1Q000004", "other\r\n", false);
    REQUIRE(twice.ok());
    CHECK_FALSE(*twice);
    CHECK(*read_file(dir + "/mailboxes/alice/new/0000000004.M000001P1Q000004") == "fresh\r\n");
}

TEST_CASE("stale files in a Maildir's tmp are removed when the store opens") {
    const std::string dir = temp_dir();
    REQUIRE(MaildirStore::open(dir, {{"alice", "", 0, false}}).ok());
    REQUIRE(write_durably(dir + "/x.tmp", dir + "/mailboxes/alice/tmp/partial", "half a mess").ok());
    auto st = MaildirStore::open(dir, {{"alice", "", 0, false}});
    REQUIRE(st.ok());
    CHECK_FALSE(file_exists(dir + "/mailboxes/alice/tmp/partial"));
    CHECK(st->list("alice").empty());
}

TEST_CASE("quotas refuse what does not fit, and a full mailbox at RCPT time") {
    const std::string dir = temp_dir();
    auto st = MaildirStore::open(dir, {{"bob", "", 10, false}});
    REQUIRE(st.ok());
    CHECK(st->can_accept("bob", 10) == store::InsertStatus::Stored);
    CHECK(st->can_accept("bob", 11) == store::InsertStatus::OverQuota);
    REQUIRE(st->insert("bob", "m1", "0123456789").ok());
    CHECK(st->can_accept("bob", 0) == store::InsertStatus::OverQuota);
    CHECK(st->can_accept("nobody", 0) == store::InsertStatus::NoSuchAccount);
}

TEST_CASE("one POP3 session at a time holds a maildrop lock") {
    const std::string dir = temp_dir();
    auto st = MaildirStore::open(dir, {{"alice", "", 0, false}});
    REQUIRE(st.ok());
    CHECK(st->lock("alice", 1));
    CHECK_FALSE(st->lock("alice", 2));
    st->unlock("alice", 2);  // not the owner: no effect
    CHECK_FALSE(st->lock("alice", 2));
    st->unlock("alice", 1);
    CHECK(st->lock("alice", 2));
}

TEST_CASE("a spool entry round-trips, is recovered after a restart and removed") {
    const std::string dir = temp_dir();
    SpoolEntry e{"0000000001.M000001P1Q000001", "alice@a.example", {"bob", "carol"}, "Subject: s\r\n\r\nbody\r\n"};
    {
        auto sp = SpoolDir::open(dir);
        REQUIRE(sp.ok());
        REQUIRE(sp->put(e).ok());
    }
    // A partial write a crash left in spool/tmp is never recovered.
    REQUIRE(write_durably(dir + "/p.tmp", dir + "/spool/tmp/partial", "postino-spool 1\nfrom").ok());
    auto sp = SpoolDir::open(dir);
    REQUIRE(sp.ok());
    CHECK_FALSE(file_exists(dir + "/spool/tmp/partial"));
    std::vector<Error> bad;
    auto got = sp->recover(bad);
    CHECK(bad.empty());
    REQUIRE(got.size() == 1);
    CHECK(got[0].id == e.id);
    CHECK(got[0].sender == e.sender);
    CHECK(got[0].recipients == e.recipients);
    CHECK(got[0].content == e.content);
    REQUIRE(sp->remove(e.id).ok());
    CHECK(sp->recover(bad).empty());
}

TEST_CASE("a damaged spool file is reported, not delivered") {
    CHECK_FALSE(decode_spool_entry("x", "garbage").ok());
    CHECK_FALSE(decode_spool_entry("x", "postino-spool 1\nfrom a\n").ok());             // header not ended
    CHECK_FALSE(decode_spool_entry("x", "postino-spool 1\nfrom a\n\nbody").ok());       // no recipient
    CHECK_FALSE(decode_spool_entry("x", "postino-spool 1\nto ../../etc\n\nbody").ok()); // a name that escapes
    auto ok = decode_spool_entry("x", "postino-spool 1\nfrom \nto bob\n\n");
    REQUIRE(ok.ok());
    CHECK(ok->sender.empty());
    CHECK(ok->content.empty());
}
