// mailbox_rows_test.cpp — the Mailboxes panel's model: IMAP flags, expunges,
// COPY/MOVE into folders and APPEND, per folder at any cursor; removed
// messages marked at that moment and gone after; flags as readable badges;
// the same rows whether the state was replayed or reached by seeking back.
#include <catch2/catch.hpp>

#include "model/mailbox_rows.hpp"
#include "model/session.hpp"
#include "source/scenario_source.hpp"
#include "viz_fixtures.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

std::uint32_t find_label(const TraceModel& m, const std::string& text) {
    for (std::uint32_t i = 0; i < m.size(); ++i)
        if (m.label(i) == text) return i;
    FAIL("no event labelled " << text);
    return kNone;
}

const FolderRows* folder(const std::vector<FolderRows>& v, const std::string& name) {
    for (const auto& f : v)
        if (f.key.folder == name) return &f;
    return nullptr;
}

const MailboxRow* row(const FolderRows* f, std::int64_t uid) {
    if (f == nullptr) return nullptr;
    for (const auto& r : f->rows)
        if (r.msg->uid == uid) return &r;
    return nullptr;
}

std::vector<FolderRows> rows_at(Session& s, std::uint32_t index) {
    s.seek(index);
    return mailbox_rows(s.state(), s.current(), s.time());
}

}  // namespace

TEST_CASE("flag badges: system flags by name, keywords as written", "[viz][mailbox]") {
    const auto b = flag_badges("\\Answered \\Deleted \\Flagged \\Seen $Junk");
    REQUIRE(b.size() == 5);
    CHECK(b[0] == FlagBadge{"\\Answered", "Answered"});
    CHECK(b[1].text == "Deleted");
    CHECK(b[2].text == "Flagged");
    CHECK(b[3].text == "Seen");
    CHECK(b[4] == FlagBadge{"$Junk", "$Junk"});
    CHECK(flag_badges("").empty());
    CHECK(flag_badges("  \\Seen  ").size() == 1);
}

TEST_CASE("IMAP folders: flags, a move, an append and an expunge at the cursor", "[viz][mailbox]") {
    Session s(vizt::load("mail-imap.jsonl"));
    const auto& m = s.model();
    // Deliveries without a folder are INBOX's.
    auto v = rows_at(s, find_label(m, "stored uid 3 in bob") + 1);
    REQUIRE(v.size() == 1);
    CHECK(v[0].key.folder == "INBOX");
    CHECK(v[0].live == 3);
    CHECK(row(&v[0], 3)->mark == MsgMark::fresh);
    CHECK(row(&v[0], 3)->state == "new");

    // FETCH BODY[] set \Seen: a badge, "read", the row tinted at that event only.
    const std::uint32_t seen = find_label(m, "flags uid 1 in bob \\Seen");
    v = rows_at(s, seen + 1);
    const MailboxRow* r1 = row(folder(v, "INBOX"), 1);
    REQUIRE(r1 != nullptr);
    CHECK(r1->mark == MsgMark::changed);
    CHECK(r1->state == "read");
    REQUIRE(r1->badges.size() == 1);
    CHECK(r1->badges[0].text == "Seen");
    v = rows_at(s, seen + 2);
    CHECK(row(folder(v, "INBOX"), 1)->mark == MsgMark::plain);
    v = rows_at(s, seen);  // one step back: not read yet
    CHECK(row(folder(v, "INBOX"), 1)->state == "new");  // still within a second of its delivery
    CHECK(row(folder(v, "INBOX"), 1)->badges.empty());

    // The MOVE: a copy in INBOX/Archive (new, flags kept, same spool entry), the source struck out.
    const std::uint32_t expunge = find_label(m, "expunged uid 2 in bob");
    v = rows_at(s, expunge + 1);
    const FolderRows* inbox = folder(v, "INBOX");
    const FolderRows* archive = folder(v, "INBOX/Archive");
    REQUIRE(archive != nullptr);
    CHECK(archive->live == 1);
    const MailboxRow* moved = row(archive, 1);
    REQUIRE(moved != nullptr);
    CHECK(moved->mark == MsgMark::fresh);
    CHECK(moved->origin == "copy of INBOX #2");
    CHECK(moved->msg->queue_id == "Q2");
    CHECK(moved->badges.size() == 2);
    const MailboxRow* src = row(inbox, 2);
    REQUIRE(src != nullptr);
    CHECK(src->mark == MsgMark::removed);
    CHECK(src->state == "moved to INBOX/Archive");
    CHECK(inbox->live == 2);
    // Folders of one account: INBOX first, then by name.
    REQUIRE(v.size() == 3);
    CHECK(v[0].key.folder == "INBOX");
    CHECK(v[1].key.folder == "INBOX/Archive");
    CHECK(v[2].key.folder == "Sent");
    CHECK(row(folder(v, "Sent"), 1)->origin == "appended");

    // Later the source is gone from INBOX; the copy is an ordinary row.
    v = rows_at(s, find_label(m, "flags uid 3 in bob \\Deleted") + 1);
    CHECK(row(folder(v, "INBOX"), 2) == nullptr);
    CHECK(row(folder(v, "INBOX/Archive"), 1)->mark == MsgMark::plain);
    CHECK(row(folder(v, "INBOX"), 3)->badges.at(0).text == "Deleted");

    // EXPUNGE of the \Deleted message: marked "expunged" at that moment, gone at the end.
    v = rows_at(s, find_label(m, "expunged uid 3 in bob") + 1);
    CHECK(row(folder(v, "INBOX"), 3)->state == "expunged");
    CHECK(folder(v, "INBOX")->live == 1);
    v = rows_at(s, static_cast<std::uint32_t>(m.size()));
    CHECK(row(folder(v, "INBOX"), 3) == nullptr);
    CHECK(folder(v, "INBOX")->rows.size() == 1);
    CHECK(row(folder(v, "INBOX"), 1)->badges.size() == 2);  // Answered, Seen
}

TEST_CASE("a POP3 deletion is marked as such, then gone", "[viz][mailbox]") {
    Session s(vizt::load("mail-mailbox.jsonl"));
    const auto& m = s.model();
    const std::uint32_t del = find_label(m, "deleted uid 1 in bob");
    auto v = rows_at(s, del + 1);
    const MailboxRow* r = row(folder(v, "INBOX"), 1);
    REQUIRE(r != nullptr);
    CHECK(r->mark == MsgMark::removed);
    CHECK(r->state == "deleted");  // the fixture's event says no `by`
    v = rows_at(s, static_cast<std::uint32_t>(m.size()));
    CHECK(row(folder(v, "INBOX"), 1) == nullptr);
    CHECK(row(folder(v, "INBOX"), 2)->badges.size() == 2);
}

TEST_CASE("scenario imap-two-clients: \\Seen, then the move to INBOX/Archive, from the simulator's own events", "[viz][mailbox][scenario]") {
    auto run = run_scenario_file(std::string(POSTINO_SOURCE_DIR) + "/scenarios/imap-two-clients.yaml");
    REQUIRE(run);
    Session s(TraceModel::from_text(run->trace, "imap-two-clients.jsonl"));
    const auto& m = s.model();
    REQUIRE_FALSE(m.error());
    auto v = rows_at(s, find_label(m, "flags uid 1 in bob \\Seen") + 1);
    CHECK(row(folder(v, "INBOX"), 1)->state == "read");
    const std::uint32_t moved = find_label(m, "expunged uid 1 in bob");
    v = rows_at(s, moved + 1);
    CHECK(row(folder(v, "INBOX"), 1)->state == "moved to INBOX/Archive");
    const MailboxRow* copy = row(folder(v, "INBOX/Archive"), 1);
    REQUIRE(copy != nullptr);
    CHECK(copy->mark == MsgMark::fresh);
    CHECK(copy->badges.at(0).text == "Seen");
    CHECK_FALSE(copy->msg->queue_id.empty());  // opens the delivered message in the inspector
    v = rows_at(s, static_cast<std::uint32_t>(m.size()));
    CHECK(folder(v, "INBOX")->live == 0);
    CHECK(folder(v, "INBOX")->rows.empty());
    CHECK(folder(v, "INBOX/Archive")->live == 1);
}

namespace {

postino::trace::Event box(const char* ev, std::int64_t uid, const char* folder) {
    postino::trace::Event e("mailbox", "mx.b.example");
    e.set("ev", ev).set("mailbox", "bob").set("uid", uid).set("folder", folder);
    return e;
}

}  // namespace

TEST_CASE("IMAP folder changes: created shows empty, renamed says from where, deleted is struck out with its messages, then gone", "[viz][mailbox]") {
    constexpr std::int64_t s1 = 1'000'000'000;
    vizt::Builder b;
    b.at(1 * s1).add(box("stored", 1, "INBOX").set("size", 100)).add(box("stored", 2, "INBOX").set("size", 200));
    b.at(5 * s1).add(box("folder-created", 0, "Work").set("uid_validity", 7).set("by", "imap"));
    b.at(6 * s1).add(box("copied", 1, "Work").set("from_folder", "INBOX").set("from_uid", 1).set("size", 100).set("flags", "").set("by", "imap"));
    b.at(10 * s1).add(box("folder-renamed", 0, "Jobs").set("from_folder", "Work").set("messages", 1).set("by", "imap"));
    b.at(20 * s1).add(box("folder-deleted", 0, "Jobs").set("messages", 1).set("noselect", false).set("by", "imap"));
    b.at(30 * s1).add(box("folder-created", 0, "A").set("uid_validity", 8).set("by", "imap"));
    b.add(box("folder-created", 0, "A/B").set("uid_validity", 9).set("by", "imap"));
    b.at(30 * s1 + s1 / 2).add(box("folder-deleted", 0, "A").set("messages", 0).set("noselect", true).set("by", "imap"));
    b.at(40 * s1).add(box("folder-renamed", 0, "Saved").set("from_folder", "INBOX").set("messages", 2).set("by", "imap"));
    b.at(50 * s1).add(box("folder-created", 0, "Later").set("uid_validity", 10).set("by", "imap"));
    Session s(b.model());
    const auto& m = s.model();

    // CREATE: an empty folder, marked new at its event; no message row with UID 0.
    const std::uint32_t created = find_label(m, "folder-created bob/Work");
    auto v = rows_at(s, created + 1);
    const FolderRows* work = folder(v, "Work");
    REQUIRE(work != nullptr);
    CHECK(work->rows.empty());
    CHECK(work->live == 0);
    CHECK(work->mark == MsgMark::fresh);
    CHECK(work->state == "created");

    // RENAME: the messages go with the folder; the old name says where, once.
    const std::uint32_t renamed = find_label(m, "folder-renamed bob/Jobs from Work");
    v = rows_at(s, renamed + 1);
    const FolderRows* jobs = folder(v, "Jobs");
    REQUIRE(jobs != nullptr);
    CHECK(jobs->mark == MsgMark::fresh);
    CHECK(jobs->state == "renamed from Work");
    REQUIRE(row(jobs, 1) != nullptr);
    CHECK(row(jobs, 1)->origin == "copy of INBOX #1");
    CHECK(jobs->live == 1);
    work = folder(v, "Work");
    REQUIRE(work != nullptr);
    CHECK(work->mark == MsgMark::removed);
    CHECK(work->state == "renamed to Jobs");
    CHECK(work->rows.empty());

    // DELETE: the folder and its message struck out at that moment ...
    const std::uint32_t deleted = find_label(m, "folder-deleted bob/Jobs");
    v = rows_at(s, deleted + 1);
    REQUIRE(folder(v, "Work") == nullptr);  // the old name is gone by now
    jobs = folder(v, "Jobs");
    REQUIRE(jobs != nullptr);
    CHECK(jobs->mark == MsgMark::removed);
    CHECK(jobs->state == "deleted");
    CHECK(jobs->live == 0);
    REQUIRE(row(jobs, 1) != nullptr);
    CHECK(row(jobs, 1)->mark == MsgMark::removed);
    CHECK(row(jobs, 1)->state == "folder deleted");
    // ... then gone; a DELETE of a folder with inferiors leaves a \Noselect name.
    v = rows_at(s, find_label(m, "folder-deleted bob/A") + 1);
    CHECK(folder(v, "Jobs") == nullptr);
    REQUIRE(folder(v, "A") != nullptr);
    CHECK(folder(v, "A")->state == "\\Noselect (deleted, has inferiors)");
    CHECK(folder(v, "A")->mark == MsgMark::removed);
    CHECK(folder(v, "A/B")->mark == MsgMark::fresh);  // made within the second

    // RENAME INBOX: its messages move, INBOX stays, empty.
    v = rows_at(s, find_label(m, "folder-renamed bob/Saved from INBOX") + 1);
    const FolderRows* inbox = folder(v, "INBOX");
    REQUIRE(inbox != nullptr);
    CHECK(inbox->rows.empty());
    CHECK(inbox->mark == MsgMark::changed);
    CHECK(inbox->state == "messages moved to Saved");
    REQUIRE(folder(v, "Saved") != nullptr);
    CHECK(folder(v, "Saved")->live == 2);

    // Later: no marks left, A still \Noselect, INBOX still listed first.
    v = rows_at(s, static_cast<std::uint32_t>(m.size()));
    CHECK(v.front().key.folder == "INBOX");
    CHECK(v.front().state.empty());
    CHECK(folder(v, "Saved")->mark == MsgMark::plain);
    CHECK(folder(v, "Saved")->state.empty());
    CHECK(folder(v, "A")->mark == MsgMark::plain);
    CHECK(folder(v, "A")->state == "\\Noselect (deleted, has inferiors)");
    CHECK(folder(v, "Later")->state == "created");

    // Seeking back reaches the same rows as replaying forward.
    Session fresh(b.model());
    const auto forward = rows_at(fresh, deleted + 1);
    const auto back = rows_at(s, deleted + 1);
    REQUIRE(forward.size() == back.size());
    for (std::size_t i = 0; i < forward.size(); ++i) {
        CHECK(forward[i].key == back[i].key);
        CHECK(forward[i].state == back[i].state);
        CHECK(forward[i].rows.size() == back[i].rows.size());
    }
}
