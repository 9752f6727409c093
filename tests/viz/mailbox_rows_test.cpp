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
