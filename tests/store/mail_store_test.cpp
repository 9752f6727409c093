// mail_store_test.cpp — accounts, UIDs, quotas, injected faults, locks.
#include <catch2/catch.hpp>

#include "store/mail_store.hpp"

using namespace postino;
using namespace postino::store;

TEST_CASE("messages get ascending UIDs that are never reused", "[store]") {
    MailStore s;
    s.add_account("bob", "secret");
    auto a = s.insert("bob", "Subject: 1\r\n\r\nx\r\n", seconds(1));
    auto b = s.insert("bob", "Subject: 2\r\n\r\ny\r\n", seconds(2));
    REQUIRE(a.status == InsertStatus::Stored);
    CHECK(a.uid == 1);
    CHECK(b.uid == 2);
    auto& inbox = s.find("bob")->folders.at(kInbox);
    inbox.messages.erase(inbox.messages.begin() + 1);  // expunged
    CHECK(s.insert("bob", "z", seconds(3)).uid == 3);
    CHECK(inbox.messages.back().internal_date == seconds(3));
}

TEST_CASE("unknown accounts, quotas and injected faults give typed outcomes", "[store]") {
    MailStore s;
    s.add_account("carol", "", 100);
    CHECK(s.insert("nobody", "x", Time{}).status == InsertStatus::NoSuchAccount);
    CHECK(s.can_accept("carol", 100) == InsertStatus::Stored);
    CHECK(s.insert("carol", std::string(60, 'a'), Time{}).status == InsertStatus::Stored);
    CHECK(s.can_accept("carol", 41) == InsertStatus::OverQuota);
    CHECK(s.insert("carol", std::string(41, 'a'), Time{}).status == InsertStatus::OverQuota);
    CHECK(s.insert("carol", std::string(40, 'a'), Time{}).status == InsertStatus::Stored);
    s.add_account("dave");
    s.set_insert_fault("dave", true);
    CHECK(s.insert("dave", "x", Time{}).status == InsertStatus::Failed);
    s.set_insert_fault("dave", false);
    s.set_full_fault("dave", true);
    CHECK(s.can_accept("dave", 1) == InsertStatus::OverQuota);
    s.set_full_fault("dave", false);
    CHECK(s.insert("dave", "x", Time{}).status == InsertStatus::Stored);
    CHECK(std::string(to_string(InsertStatus::OverQuota)) == "mailbox full");
}

TEST_CASE("a maildrop is locked by one session at a time", "[store]") {
    MailStore s;
    s.add_account("bob");
    CHECK(s.lock("bob", 7));
    CHECK(s.lock("bob", 7));
    CHECK_FALSE(s.lock("bob", 8));
    s.unlock("bob", 8);  // not the holder: no effect
    CHECK_FALSE(s.lock("bob", 8));
    s.unlock("bob", 7);
    CHECK(s.lock("bob", 8));
    CHECK_FALSE(s.lock("nobody", 1));
}
