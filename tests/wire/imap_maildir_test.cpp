// imap_maildir_test.cpp — the IMAP store of `postino serve` over Maildir:
// the info-suffix letters, the UID list file, and the IMAP server engine
// over ImapMaildir (UIDs stable across a restart and never reused, flags in
// file names, folders as Maildir++ directories, one user never seeing
// another's mail, mail removed by POP3 leaving the IMAP view), and the
// `mailbox` trace events it reports: the same, field for field, as the
// simulator's agents::ImapMailStore for the same calls.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "agents/imap_mailstore.hpp"
#include "core/trace.hpp"
#include "core/trace_schema.hpp"
#include "proto/imap/server_engine.hpp"
#include "store/mail_store.hpp"
#include "wire/durable_file.hpp"
#include "wire/imap_maildir.hpp"
#include "wire/maildir_flags.hpp"
#include "wire/maildir_store.hpp"

using namespace postino;
using namespace postino::wire;

namespace {

std::string temp_dir() {
    char tmpl[] = "/tmp/postino-imap-maildir-test-XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    REQUIRE(d != nullptr);
    return d;
}

bool has(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// A data directory with alice and bob, and one engine session at a time over it.
struct Dir {
    std::string path = temp_dir();
    MaildirStore store;
    std::unique_ptr<ImapMaildir> imap;
    int counter = 0;
    Dir() : store(open_store(path)) { restart(); }
    ~Dir() { std::filesystem::remove_all(path); }
    static MaildirStore open_store(const std::string& p) {
        auto s = MaildirStore::open(p, {{"alice", "secret", 0, false}, {"bob", "pw2", 0, false}});
        REQUIRE(s);
        return std::move(*s);
    }
    // A new process on the same files: nothing kept in memory.
    void restart() { imap = std::make_unique<ImapMaildir>(store, std::vector<std::string>{"a.example"}, 1'700'000'000); }
    void deliver(const std::string& account, const std::string& subject) {
        char name[64];
        std::snprintf(name, sizeof name, "1700000000.M%06dP1Q000001", ++counter);
        REQUIRE(store.insert(account, name, "Subject: " + subject + "\r\n\r\nbody\r\n"));
    }
};

class Client {
public:
    explicit Client(Dir& d) : engine_(imap::ServerConfig{}, *d.imap) {
        engine_.start(Time{});
        (void)engine_.poll_output();
    }
    std::string send(const std::string& line) {
        engine_.handle_bytes(Time{}, line + "\r\n");
        return engine_.poll_output();
    }

private:
    imap::ServerEngine engine_;
};

}  // namespace

TEST_CASE("Maildir info letters map to IMAP flags and back") {
    std::vector<std::string> kw;
    CHECK(flags_from_letters("FRS", kw) == std::vector<std::string>{"\\Answered", "\\Flagged", "\\Seen"});
    CHECK(flags_from_letters("DT", kw) == std::vector<std::string>{"\\Deleted", "\\Draft"});
    CHECK(flags_from_letters("Sz", kw) == std::vector<std::string>{"\\Seen"});  // unknown keyword letter: skipped
    auto l = letters_from_flags({"\\Seen", "\\Flagged", "$Work", "\\Recent"}, "P", kw);
    REQUIRE(l);
    CHECK(*l == "FPSa");  // ASCII order; P kept; \Recent never stored
    CHECK(kw == std::vector<std::string>{"$Work"});
    CHECK(flags_from_letters(*l, kw) == std::vector<std::string>{"$Work", "\\Flagged", "\\Seen"});
    CHECK(maildir_base("123.M1P2Q3:2,FS") == "123.M1P2Q3");
    CHECK(maildir_letters("123.M1P2Q3:2,FS") == "FS");
    CHECK(maildir_letters("123.M1P2Q3") == "");
    std::vector<std::string> full;
    for (int i = 0; i < 26; ++i) full.push_back("k" + std::to_string(i));
    CHECK_FALSE(letters_from_flags({"one-too-many"}, "", full));
    CHECK(full.size() == kMaxMaildirKeywords);
}

TEST_CASE("the UID list round-trips and damaged lists are reported with a line") {
    UidList l;
    l.validity = 42;
    l.next = 7;
    l.keywords = {"$Work", "Junk"};
    l.entries = {{1, "a"}, {5, "b"}};
    const std::string text = encode_uid_list(l);
    auto back = decode_uid_list(text, "f");
    REQUIRE(back);
    CHECK(back->validity == 42);
    CHECK(back->next == 7);
    CHECK(back->keywords == l.keywords);
    REQUIRE(back->entries.size() == 2);
    CHECK(back->entries[1].uid == 5);
    CHECK(back->entries[1].base == "b");
    CHECK(decode_uid_list("nonsense\n", "f").error().message() == "f:1: not a postino UID list (expected 'postino-uidlist 1')");
    CHECK(decode_uid_list("postino-uidlist 1\nvalidity 1\nnext 3\n2 a\n1 b\n", "f").error().where == "f:5");
    CHECK(decode_uid_list("postino-uidlist 1\nvalidity 1\nnext 3\n3 a\n", "f").error().what == "a UID is not below 'next'");
    CHECK_FALSE(decode_uid_list("postino-uidlist 1\nnext 3\n", "f"));
}

TEST_CASE("UIDs, UIDVALIDITY and flags survive a restart, and an expunged UID is never reused") {
    Dir d;
    d.deliver("alice", "one");
    d.deliver("alice", "two");
    d.deliver("alice", "three");
    std::string validity;
    {
        Client c(d);
        c.send("a LOGIN alice secret");
        const auto sel = c.send("b SELECT INBOX");
        CHECK(has(sel, "* 3 EXISTS"));
        CHECK(has(sel, "[UIDNEXT 4]"));
        const auto p = sel.find("[UIDVALIDITY ");
        REQUIRE(p != std::string::npos);
        validity = sel.substr(p, sel.find(']', p) - p);
        CHECK(has(c.send("c UID STORE 1 +FLAGS (\\Answered Work)"), "FLAGS (Work \\Answered \\Recent)"));
        CHECK(has(c.send("d UID STORE 3 +FLAGS (\\Deleted)"), "d OK"));
        CHECK(has(c.send("e EXPUNGE"), "* 3 EXPUNGE"));
    }
    d.restart();
    d.deliver("alice", "four");
    Client c(d);
    c.send("a LOGIN alice secret");
    const auto sel = c.send("b SELECT INBOX");
    CHECK(has(sel, validity));
    CHECK(has(sel, "[UIDNEXT 5]"));  // UID 3 was expunged: the new message is 4
    const auto f = c.send("c UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
    // \Recent marks live in memory: after a restart every message is recent again (docs/serve.md).
    CHECK(has(f, "UID 1 FLAGS (Work \\Answered \\Recent)"));
    CHECK(has(f, "UID 2 FLAGS (\\Recent)"));
    CHECK(has(f, "UID 4 FLAGS (\\Recent)"));
    CHECK(has(f, "Subject: four"));
    CHECK_FALSE(has(f, "UID 3 "));
}

TEST_CASE("a message POP3 removed leaves the IMAP view, and flags live in the file name") {
    Dir d;
    d.deliver("alice", "one");
    d.deliver("alice", "two");
    Client c(d);
    c.send("a LOGIN alice secret");
    c.send("b SELECT INBOX");
    c.send("c UID STORE 2 +FLAGS (\\Seen \\Flagged)");
    auto files = list_files(d.store.dir_of("alice") + "/cur");
    REQUIRE(files);
    REQUIRE(files->size() == 1);
    CHECK(files->front() == "1700000000.M000002P1Q000001:2,FS");
    const auto msgs = d.store.list("alice");
    REQUIRE(msgs.size() == 2);
    REQUIRE(d.store.remove("alice", msgs[0].uid));  // POP3 DELE + QUIT
    CHECK(has(c.send("d NOOP"), "* 1 EXPUNGE"));
    const auto fl = c.send("e UID FETCH 2 FLAGS");
    INFO(fl);
    CHECK(has(fl, "* 1 FETCH (UID 2 FLAGS (\\Flagged \\Seen \\Recent))"));
}

TEST_CASE("folders are Maildir++ directories, one user never reaches another's") {
    Dir d;
    d.deliver("alice", "for alice");
    Client bob(d);
    CHECK(has(bob.send("a LOGIN bob pw2"), "a OK"));
    CHECK(has(bob.send("b SELECT INBOX"), "* 0 EXISTS"));
    CHECK(has(bob.send("c CREATE Archive/2026"), "c OK"));
    CHECK(std::filesystem::is_directory(d.store.dir_of("bob") + "/.Archive.2026/cur"));
    CHECK(std::filesystem::is_directory(d.store.dir_of("bob") + "/.Archive/cur"));
    CHECK(has(bob.send("d CREATE x.y"), "d NO [CANNOT]"));  // "." is the hierarchy on disk
    CHECK(has(bob.send("e SELECT ../alice"), "e NO"));
    CHECK(has(bob.send("f LIST \"\" *"), "* LIST (\\HasNoChildren) \"/\" Archive/2026"));
    CHECK_FALSE(has(bob.send("g LIST \"\" *"), "alice"));
    CHECK(has(bob.send("h RENAME Archive Old"), "h OK"));
    CHECK(std::filesystem::is_directory(d.store.dir_of("bob") + "/.Old.2026/cur"));
    CHECK(has(bob.send("i APPEND Old/2026 (\\Seen) {9}"), "+ "));
    CHECK(has(bob.send("Subject:x"), "i OK"));
    CHECK(has(bob.send("j DELETE Old"), "j OK"));  // has inferiors: emptied, \Noselect
    CHECK(has(bob.send("k LIST \"\" *"), "(\\Noselect \\HasChildren) \"/\" Old"));
    CHECK(has(bob.send("l SELECT Old"), "l NO"));
    Client alice(d);
    CHECK(has(alice.send("a LOGIN alice@a.example secret"), "a OK"));
    CHECK(has(alice.send("b SELECT INBOX"), "* 1 EXISTS"));
    CHECK_FALSE(has(alice.send("c LIST \"\" *"), "Old"));
    Client stranger(d);
    CHECK(has(stranger.send("a LOGIN alice@b.example secret"), "a NO"));
}

namespace {

// The calls every IMAP command that changes a store ends in (proto/imap/policy.hpp),
// on alice's two messages "one" and "two" in INBOX.
void change_everything(imap::MailStorePolicy& p) {
    REQUIRE(p.open("alice", "INBOX", true));
    REQUIRE(p.update_flags("alice", "INBOX", 1, imap::FlagChange::Add, {"\\Flagged"}));
    REQUIRE(p.update_flags("alice", "INBOX", 1, imap::FlagChange::Add, {"\\Flagged"}));  // no change: no event
    REQUIRE(p.create("alice", "Work/2026") == imap::StoreStatus::Ok);
    REQUIRE(p.copy("alice", "INBOX", {1, 2}, "Work/2026").status == imap::StoreStatus::Ok);
    REQUIRE(p.append("alice", "Work", "Subject: three\r\n\r\nz\r\n", {"\\Seen"}, Time{}).status == imap::StoreStatus::Ok);
    REQUIRE(p.update_flags("alice", "INBOX", 2, imap::FlagChange::Add, {"\\Deleted"}));
    REQUIRE(p.expunge("alice", "INBOX", {2}) == imap::StoreStatus::Ok);
    REQUIRE(p.rename("alice", "Work", "Jobs") == imap::StoreStatus::Ok);
    REQUIRE(p.remove("alice", "Jobs") == imap::StoreStatus::Ok);  // has Jobs/2026: \Noselect
    REQUIRE(p.rename("alice", "INBOX", "Saved/Old") == imap::StoreStatus::Ok);
    REQUIRE(p.remove("alice", "Jobs/2026") == imap::StoreStatus::Ok);
}

// An event as text, every field in order; a UIDVALIDITY only as present (the
// simulator counts them, serve takes the Unix time).
std::string fields(const trace::Event& e) {
    std::string s = e.kind;
    for (const auto& f : e.fields) {
        s += " " + f.key + "=";
        if (f.key == "uid_validity") s += "*";
        else if (const auto* i = std::get_if<std::int64_t>(&f.value)) s += std::to_string(*i);
        else if (const auto* b = std::get_if<bool>(&f.value)) s += *b ? "true" : "false";
        else if (const auto* t = std::get_if<std::string>(&f.value)) s += "\"" + *t + "\"";
    }
    return s;
}

}  // namespace

TEST_CASE("the Maildir store reports the same mailbox events as the simulator's store, field for field") {
    std::vector<std::string> simulated, served;
    {
        store::MailStore st;
        st.add_account("alice", "secret");
        st.insert("alice", "Subject: one\r\n\r\nbody\r\n", seconds(1));
        st.insert("alice", "Subject: two\r\n\r\nbody\r\n", seconds(1));
        agents::ImapMailStore sim(st);
        sim.on_trace = [&](trace::Event e) { simulated.push_back(fields(e)); };
        change_everything(sim);
    }
    {
        Dir d;
        d.deliver("alice", "one");
        d.deliver("alice", "two");
        std::vector<trace::Event> events;
        d.imap->on_trace = [&](trace::Event e) { events.push_back(e); };
        change_everything(*d.imap);
        for (auto e : events) {
            served.push_back(fields(e));
            e.host = "mx.a.example";
            CHECK(trace::validate(e).empty());
        }
        // What the events say is what is on disk.
        CHECK(file_exists(d.path + "/mailboxes/alice/.Saved.Old/cur"));
        CHECK(file_exists(d.path + "/mailboxes/alice/.Jobs/postino-noselect"));  // the \Noselect name stays
        CHECK(!file_exists(d.path + "/mailboxes/alice/.Jobs.2026"));
        CHECK(!file_exists(d.path + "/mailboxes/alice/.Work"));
    }
    const std::vector<std::string> want{
        R"(mailbox ev="flags" mailbox="alice" uid=1 folder="INBOX" flags="\Flagged" by="imap")",
        R"(mailbox ev="folder-created" mailbox="alice" uid=0 folder="Work" uid_validity=* by="imap")",
        R"(mailbox ev="folder-created" mailbox="alice" uid=0 folder="Work/2026" uid_validity=* by="imap")",
        R"(mailbox ev="copied" mailbox="alice" uid=1 folder="Work/2026" from_folder="INBOX" from_uid=1 size=22 flags="\Flagged" by="imap")",
        R"(mailbox ev="copied" mailbox="alice" uid=2 folder="Work/2026" from_folder="INBOX" from_uid=2 size=22 flags="" by="imap")",
        R"(mailbox ev="appended" mailbox="alice" uid=1 folder="Work" size=21 flags="\Seen" by="imap")",
        R"(mailbox ev="flags" mailbox="alice" uid=2 folder="INBOX" flags="\Deleted" by="imap")",
        R"(mailbox ev="expunged" mailbox="alice" uid=2 folder="INBOX" size=22 by="imap")",
        R"(mailbox ev="folder-renamed" mailbox="alice" uid=0 folder="Jobs" from_folder="Work" messages=1 by="imap")",
        R"(mailbox ev="folder-renamed" mailbox="alice" uid=0 folder="Jobs/2026" from_folder="Work/2026" messages=2 by="imap")",
        R"(mailbox ev="folder-deleted" mailbox="alice" uid=0 folder="Jobs" messages=1 noselect=true by="imap")",
        R"(mailbox ev="folder-created" mailbox="alice" uid=0 folder="Saved" uid_validity=* by="imap")",
        R"(mailbox ev="folder-renamed" mailbox="alice" uid=0 folder="Saved/Old" from_folder="INBOX" messages=1 by="imap")",
        R"(mailbox ev="folder-deleted" mailbox="alice" uid=0 folder="Jobs/2026" messages=2 noselect=false by="imap")",
    };
    CHECK(simulated == want);
    CHECK(served == want);
}
