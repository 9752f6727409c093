// follow_drop_test.cpp — the App (no window) following a trace file that
// another program is still writing (`postino-viz --follow`), and files
// dropped on the window: the same loading path as the command line, errors
// shown in the banner with file:line.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "headless.hpp"

using namespace postino;
using namespace postino::viz;

namespace {

namespace fs = std::filesystem;

const char* const kHeader = R"({"postino_trace":1,"seed":1,"scenario":"live","generator":"t"})";

std::string note_line(int seq, int t, const std::string& text) {
    return R"({"seq":)" + std::to_string(seq) + R"(,"t":)" + std::to_string(t) + R"(,"kind":"note","host":"a","text":")" + text +
           "\"}";
}

void append(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::app);
    out << text;
}

bool has_probe(App& app, const std::string& name) {
    for (const auto& pr : app.ui().probes) {
        if (pr.name == name) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("follow: the app re-reads a growing trace, keeps the cursor at the live end, reports a bad line with file:line",
          "[viz-ui][follow]") {
    const fs::path p = fs::temp_directory_path() / ("postino-viz-follow-app-" + std::to_string(::getpid()) + ".jsonl");
    fs::remove(p);
    vizui::Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    app.ui().record_probes = true;
    h.fonts(app);

    // The file does not exist yet: the app waits for it.
    CHECK(app.open(p.string(), true).empty());
    REQUIRE(app.session() != nullptr);
    CHECK(app.session()->size() == 0);
    h.frame(app, 0.3f);

    const std::string second = note_line(1, 2000, "second");
    append(p, std::string(kHeader) + "\n" + note_line(0, 1000, "first") + "\n" + second.substr(0, second.size() - 5));
    h.frame(app, 0.3f);  // a re-read: one whole event, the second line still half-written
    REQUIRE(app.session() != nullptr);
    CHECK(app.session()->size() == 1);
    CHECK(app.session()->at_end());

    append(p, second.substr(second.size() - 5) + "\n" + note_line(2, 3000, "third") + "\n");
    h.frame(app, 0.1f);  // not yet: four re-reads a second
    CHECK(app.session()->size() == 1);
    h.frame(app, 0.2f);
    CHECK(app.error() == "");
    REQUIRE(app.session()->size() == 3);
    CHECK(app.session()->at_end());  // the cursor follows the live end
    CHECK(app.session()->model().label(1) == "second");

    // A cursor moved back stays where the user put it.
    app.session()->seek(1);
    append(p, note_line(3, 4000, "fourth") + "\n");
    h.frame(app, 0.3f);
    CHECK(app.session()->size() == 4);
    CHECK(app.session()->index() == 1);

    // A broken line: shown in the banner and printed, with the file's line number (line 1 is the header).
    append(p, "{\"seq\":4,\"t\":5000,\"kind\":\n");
    app.ui().probes.clear();
    h.frame(app, 0.3f);
    const std::string where = p.string() + ":6:";
    CHECK(app.error().find(where) != std::string::npos);
    CHECK(err.str().find(where) != std::string::npos);
    h.frame(app);
    CHECK(has_probe(app, "error-banner"));
    CHECK(app.session()->size() == 4);  // the events before it are still shown

    // The file is rewritten from the start (a new run): read again.
    {
        std::ofstream out(p, std::ios::binary | std::ios::trunc);
        out << kHeader << "\n" << note_line(0, 1000, "again") << "\n";
    }
    h.frame(app, 0.3f);
    h.frame(app, 0.3f);
    REQUIRE(app.session() != nullptr);
    CHECK(app.session()->size() == 1);
    CHECK(app.session()->model().label(0) == "again");
    fs::remove(p);
}

TEST_CASE("drop: a dropped file opens as on the command line, errors in the banner with file:line, a folder opens File > Open",
          "[viz-ui][drop]") {
    vizui::Headless h;
    std::ostringstream err;
    App app(Settings{}, vizui::quiet_options(err));
    app.ui().record_probes = true;
    h.fonts(app);

    // The same events as `postino-viz demo.jsonl`.
    App cli(Settings{}, vizui::quiet_options(err));
    REQUIRE(cli.open(vizui::fixture("demo.jsonl")).empty());
    app.drop({vizui::fixture("demo.jsonl")});
    REQUIRE(app.session() != nullptr);
    CHECK(app.path() == vizui::fixture("demo.jsonl"));
    CHECK(app.session()->size() == cli.session()->size());
    CHECK(app.session()->model().arrows().size() == cli.session()->model().arrows().size());
    CHECK(app.error().empty());
    h.frame(app);

    // A broken trace: banner, stderr, file:line; the events before the problem stay.
    app.drop({vizui::fixture("bad/truncated.jsonl")});
    CHECK(app.error().find("truncated.jsonl:5:") != std::string::npos);
    CHECK(err.str().find("truncated.jsonl:5:") != std::string::npos);
    app.ui().probes.clear();
    h.frame(app);
    CHECK(has_probe(app, "error-banner"));
    REQUIRE(app.session() != nullptr);
    CHECK(app.session()->size() == 3);

    // A scenario with a mistake: file:line:col from the loader.
    app.drop({vizui::fixture("bad/scenario.yaml")});
    CHECK(app.error().find("bad/scenario.yaml:6:40:") != std::string::npos);
    h.frame(app);

    // Several files: the first is opened, the status line says so; the error is gone.
    app.drop({vizui::fixture("mail-bounce.jsonl"), vizui::fixture("demo.jsonl")});
    CHECK(app.error().empty());
    CHECK(app.path() == vizui::fixture("mail-bounce.jsonl"));
    CHECK(app.ui().notice.find("2 files dropped") != std::string::npos);
    h.frame(app);

    // A folder: the Open dialog, in that folder; the open trace stays.
    const std::string dir = std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures";
    app.drop({dir});
    CHECK(app.open_dialog().open);
    CHECK(app.open_dialog().dir == dir);
    CHECK(app.path() == vizui::fixture("mail-bounce.jsonl"));
    h.frame(app);

    // A file that is not there.
    app.drop({"/no/such/dropped.jsonl"});
    CHECK(app.error().find("/no/such/dropped.jsonl") != std::string::npos);
    h.frame(app);
    app.drop({});  // nothing: harmless
}
