// app_test.cpp — headless ImGui tests of the whole UI: real buttons are
// clicked and real keys pressed, and the model is checked after each.
#include <catch2/catch.hpp>

#include <set>

#include "headless.hpp"
#include "model/text_util.hpp"

using namespace postino;
using namespace postino::viz;
using vizui::Headless;

namespace {
WorldState replay(const TraceModel& m, std::uint32_t k) {
    WorldState w;
    for (std::uint32_t i = 0; i < k; ++i) apply(w, m, i);
    return w;
}
}  // namespace

TEST_CASE("click through play, step and back, and the model follows", "[viz-ui]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    REQUIRE(app.open(vizui::fixture("demo.jsonl")).empty());
    h.frame(app);
    h.frame(app);
    Session& s = *app.session();
    CHECK(s.index() == 0);

    h.click(app, "step_fwd");
    CHECK(s.index() == 1);
    h.click(app, "step_fwd");
    h.click(app, "step_fwd");
    CHECK(s.index() == 3);
    h.click(app, "step_back");
    CHECK(s.index() == 2);
    CHECK(s.state() == replay(s.model(), 2));

    h.click(app, "next_mark");
    CHECK(s.model().ev(s.current()).mark != Mark::none);
    const auto at_mark = s.index();
    h.click(app, "end");
    CHECK(s.at_end());
    h.click(app, "prev_mark");
    CHECK(s.index() < s.size());
    h.click(app, "start");
    CHECK(s.index() == 0);
    (void)at_mark;

    // Play at 20 events per second for half a second of frames.
    app.settings().speed = 3;
    h.frame(app);
    h.click(app, "play");
    CHECK(s.playing());
    for (int i = 0; i < 30; ++i) h.frame(app, 1.0f / 60.0f);
    CHECK(s.index() >= 8);
    CHECK(s.index() <= 14);
    h.click(app, "play");
    CHECK_FALSE(s.playing());
    CHECK(s.state() == replay(s.model(), s.index()));
    CHECK(err.str().empty());
}

TEST_CASE("the keyboard drives the player", "[viz-ui]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    REQUIRE(app.open(vizui::fixture("mail-bounce.jsonl")).empty());
    h.frame(app);
    Session& s = *app.session();
    h.key(app, vizui::kRight);
    CHECK(s.index() == 1);
    h.key(app, vizui::kRight);
    h.key(app, vizui::kLeft);
    CHECK(s.index() == 1);
    h.key(app, vizui::kRight, true);  // Shift+Right: next important event
    CHECK(s.model().ev(s.current()).mark != Mark::none);
    h.key(app, vizui::kEnd);
    CHECK(s.at_end());
    h.key(app, vizui::kHome);
    CHECK(s.index() == 0);
    h.key(app, vizui::kSpace);
    CHECK(s.playing());
    h.key(app, vizui::kSpace);
    CHECK_FALSE(s.playing());

    const float px = app.settings().font_px;
    h.type(app, '+');
    CHECK(app.settings().font_px == px + 2);
    h.frame(app);  // the atlas is rebuilt at the new size
    CHECK_FALSE(app.fonts_dirty());
    h.type(app, '-');
    CHECK(app.settings().font_px == px);
    h.type(app, 'f');
    CHECK(app.settings().fold_tcp);
    h.frame(app);
    CHECK(s.filter().fold_tcp);
    h.type(app, 'l');
    CHECK(app.settings().hide_future);
    h.type(app, 't');
    CHECK(app.settings().theme == Theme::light);
    h.type(app, '?');
    CHECK(app.help_open());
    h.key(app, vizui::kEscape);
    CHECK_FALSE(app.help_open());
    h.key(app, vizui::kF1);
    CHECK(app.help_open());
}

TEST_CASE("tabs show the spool, mailboxes and message panels", "[viz-ui]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    REQUIRE(app.open(vizui::fixture("mail-bounce.jsonl")).empty());
    app.ui().record_probes = true;
    h.frame(app);
    Session& s = *app.session();
    // Go to just after the first deferral.
    s.to_start();
    while (s.next_mark() && s.model().ev(s.current()).mark != Mark::deferral) {
    }
    h.click(app, "tab:Spool");
    bool spool_row = false;
    for (const auto& p : app.ui().probes) spool_row = spool_row || p.name == "spool:Q1";
    CHECK(spool_row);
    h.click(app, "tab:Message");
    h.frame(app);
    bool message = false;
    for (const auto& p : app.ui().probes) message = message || p.name == "message";
    CHECK(message);
    s.to_end();
    h.click(app, "tab:Mailboxes");
    bool mailbox = false;
    for (const auto& p : app.ui().probes) mailbox = mailbox || p.name.rfind("mailbox", 0) == 0;
    CHECK(mailbox);
    h.click(app, "tab:Message");
    bool dsn = false;
    for (const auto& p : app.ui().probes) dsn = dsn || p.name == "message-dsn";
    CHECK(dsn);
}

TEST_CASE("clicking an arrow in the diagram selects it for the inspector", "[viz-ui]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    REQUIRE(app.open(vizui::fixture("demo.jsonl")).empty());
    app.ui().record_probes = true;
    h.frame(app);
    app.session()->to_end();
    h.frame(app);
    h.frame(app);
    const ui::Probe* arrow = nullptr;
    for (const auto& p : app.ui().probes) {
        if (p.name.rfind("arrow:", 0) == 0) {
            arrow = &p;
            break;
        }
    }
    REQUIRE(arrow != nullptr);
    const float x = arrow->x, y = arrow->y;
    h.click_at(app, x, y);
    REQUIRE(app.session()->selected != kNone);
    CHECK(app.session()->model().ev(app.session()->selected).arrow != kNone);
}

TEST_CASE("bad input: errors are shown and printed with file:line, never a crash", "[viz-ui][errors]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    app.ui().record_probes = true;
    const std::string msg = app.open(vizui::fixture("bad/truncated.jsonl"));
    CHECK(msg.find("truncated.jsonl:5:") != std::string::npos);
    CHECK(err.str().find("truncated.jsonl:5:") != std::string::npos);
    h.frame(app);
    bool banner = false;
    for (const auto& p : app.ui().probes) banner = banner || p.name == "error-banner";
    CHECK(banner);
    REQUIRE(app.session() != nullptr);
    CHECK(app.session()->size() == 3);  // the events before the bad line
    h.click(app, "end");
    CHECK(app.session()->at_end());

    const std::string y = app.open(vizui::fixture("bad/scenario.yaml"));
    CHECK(y.find("bad/scenario.yaml:6:40: unknown key 'usr' in host; did you mean 'user'?") != std::string::npos);
    CHECK(err.str().find("bad/scenario.yaml:6:40:") != std::string::npos);
    CHECK(app.session() == nullptr);
    app.ui().record_probes = true;
    h.frame(app);
    banner = false;
    for (const auto& p : app.ui().probes) banner = banner || p.name == "error-banner";
    CHECK(banner);
    CHECK(app.open("/no/such/scenario.yaml").find("/no/such/scenario.yaml") != std::string::npos);
    h.frame(app);
    h.click(app, "play");  // disabled, harmless
    CHECK(app.open("/no/such/file.jsonl").find("/no/such/file.jsonl") != std::string::npos);
    h.frame(app);
}

TEST_CASE("every panel draws on every fixture at several moments", "[viz-ui]") {
    for (const char* f : {"demo.jsonl", "mail-bounce.jsonl", "mail-mailbox.jsonl", "mail-imap.jsonl"}) {
        INFO(f);
        Headless h;
        std::ostringstream err;
        App app(Settings{}, vizui::quiet_options(err));
        REQUIRE(app.open(vizui::fixture(f)).empty());
        h.frame(app);
        Session& s = *app.session();
        for (std::uint32_t k : {0u, s.size() / 3, s.size() / 2, s.size()}) {
            s.seek(k);
            for (int t = 0; t < static_cast<int>(ui::Tab::count); ++t) {
                app.show_tab(static_cast<ui::Tab>(t));
                h.frame(app);
                h.frame(app);
            }
        }
        for (Theme th : {Theme::light, Theme::projector}) {
            app.settings().theme = th;
            h.frame(app);
        }
    }
}

TEST_CASE("a scenario runs in process, its notes narrate in English or Italian", "[viz-ui][scenario]") {
    const std::string classic = std::string(POSTINO_SOURCE_DIR) + "/scenarios/classic.yaml";
    for (const char* lang : {"en", "it"}) {
        INFO(lang);
        Headless h;
        std::ostringstream err;
        Settings st;
        st.lang = lang;
        App app(st, vizui::quiet_options(err));
        REQUIRE(app.open(classic).empty());
        REQUIRE(app.session() != nullptr);
        REQUIRE(app.scenario().has_value());
        CHECK(app.scenario()->ok);
        CHECK(app.session()->model().header().scenario == "classic");
        CHECK(app.session()->model().header().seed == 42);
        CHECK(app.session()->size() == app.scenario()->events);
        CHECK(app.ui().notice.find("4/4 expectations passed, conservation ok") != std::string::npos);
        h.frame(app);
        // Before the first note: the scenario's title.
        CHECK(app.ui().title.find("Alice writes to Bob") == 0);
        // After the second note (t = 1 s): its text in the chosen language.
        app.session()->seek_time(1'500'000'000);
        h.frame(app);
        const std::uint32_t n = app.session()->state().last_note;
        REQUIRE(n != kNone);
        const trace::Event* e = app.session()->model().detail(n);
        REQUIRE(e != nullptr);
        CHECK(e->get_str("text") == "Alice sends a message to bob@b.example through her own server.");
        CHECK(e->get_str("it") == "Alice invia un messaggio a bob@b.example tramite il proprio server.");
        CHECK(note_text(*e, lang) == (std::string(lang) == "it" ? e->get_str("it") : e->get_str("text")));
        // Reload runs it again, same trace, cursor kept.
        const std::uint32_t k = app.session()->index();
        app.reload();
        REQUIRE(app.session() != nullptr);
        CHECK(app.session()->index() == k);
        CHECK(app.scenario()->fingerprint == "e432081e67620f93");
    }
}

TEST_CASE("the Mailboxes panel steps through IMAP flags, a move and an expunge, and back", "[viz-ui][mailbox]") {
    Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    REQUIRE(app.open(vizui::fixture("mail-imap.jsonl")).empty());
    app.ui().record_probes = true;
    h.click(app, "tab:Mailboxes");
    Session& s = *app.session();
    const auto probes_now = [&] {
        app.show_tab(ui::Tab::mailboxes);  // stepping may bring the inspector forward
        h.frame(app);
        h.frame(app);
        std::set<std::string> names;
        for (const auto& p : app.ui().probes) names.insert(p.name);
        return names;
    };
    const auto has = [](const std::set<std::string>& n, const std::string& name) { return n.count(name) != 0; };
    // Step forward with the button to the MOVE's expunge (event 9).
    while (s.index() < 10) h.click(app, "step_fwd");
    auto n = probes_now();
    CHECK(has(n, "folder:bob:INBOX/Archive"));
    CHECK(has(n, "mailbox-deleted:bob:2"));
    CHECK(has(n, "mailbox-new:bob:INBOX/Archive:1"));
    CHECK(has(n, "badge:bob:INBOX/Archive:1:Flagged"));
    CHECK(has(n, "badge:bob:Sent:1:Seen"));
    // One step back: before the expunge, the message is still in INBOX, unmarked; no folder lost.
    h.click(app, "step_back");
    n = probes_now();
    CHECK_FALSE(has(n, "mailbox-deleted:bob:2"));
    CHECK(has(n, "mailbox:bob:2"));
    CHECK(has(n, "mailbox-new:bob:INBOX/Archive:1"));
    // Two back: before the copy, no Archive folder at all.
    h.click(app, "step_back");
    n = probes_now();
    CHECK_FALSE(has(n, "folder:bob:INBOX/Archive"));
    // To the end: the moved and the expunged messages are gone.
    h.click(app, "end");
    n = probes_now();
    CHECK_FALSE(has(n, "mailbox:bob:2"));
    CHECK_FALSE(has(n, "mailbox:bob:3"));
    CHECK_FALSE(has(n, "mailbox-deleted:bob:3"));
    CHECK(has(n, "badge:bob:1:Answered"));
    // Clicking the copy in the archive opens the message it was copied from (spool entry Q2).
    float x = 0, y = 0;
    for (const auto& p : app.ui().probes) {
        if (p.name == "mailbox:bob:INBOX/Archive:1") {
            x = p.x + 30;
            y = p.y;
        }
    }
    REQUIRE(x > 0);
    h.click_at(app, x, y);
    CHECK(app.ui().message_id == "Q2");
}
