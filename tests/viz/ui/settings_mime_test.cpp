// settings_mime_test.cpp — settings survive a round trip through the JSON
// file (and a broken file gives the defaults); the message inspector's MIME
// view of the fixtures: IMAP part numbers, base64 and quoted-printable
// decoded, the DSN's fields.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/settings_file.hpp"
#include "mime/mime_info.hpp"
#include "model/trace_model.hpp"

using namespace postino;
using namespace postino::viz;

TEST_CASE("settings are remembered between runs", "[viz-ui][settings]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / "postino-viz-settings-test";
    fs::remove_all(dir);
    const std::string path = (dir / "postino" / "viz.json").string();
    Settings s;
    s.font_px = 26;
    s.theme = Theme::projector;
    s.fold_tcp = true;
    s.hide_future = true;
    s.speed = 4;
    s.max_gap_ns = 1'000'000'000;
    s.tab = 2;
    s.split = 0.5f;
    s.last_dir = "/tmp/traces";
    s.lang = "it";
    REQUIRE(save_settings(path, s));
    CHECK(load_settings(path) == s);
    {
        std::ofstream(path) << "{not json";
    }
    std::string problem;
    CHECK(load_settings(path, &problem) == Settings{});
    CHECK(problem.find("not valid JSON") != std::string::npos);
    CHECK(load_settings((dir / "missing.json").string()) == Settings{});
    {
        std::ofstream(path) << R"({"font_px": 500, "theme": "neon", "future_key": 1})";
    }
    const Settings clamped = load_settings(path);
    CHECK(clamped.font_px == Settings::kMaxFont);
    CHECK(clamped.theme == Theme::dark);
    ::setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
    CHECK(settings_path() == path);
    fs::remove_all(dir);
}

namespace {
std::string message_bytes(const std::string& fixture, const std::string& id) {
    const auto m = TraceModel::load_file(std::string(POSTINO_SOURCE_DIR) + "/tests/viz/fixtures/" + fixture);
    REQUIRE_FALSE(m.error());
    for (auto i : m.messages()) {
        if (m.detail(i)->get_str("id") == id) return m.detail(i)->get_bytes("bytes");
    }
    FAIL("no message " << id);
    return {};
}
}  // namespace

TEST_CASE("MIME view: parts numbered as IMAP does, encodings undone", "[viz-ui][mime]") {
    const MimeInfo info = analyze_message(message_bytes("mail-mailbox.jsonl", "Q7"));
    if (!info.available) {
        WARN("built without sim/mail: " << info.error);
        return;
    }
    REQUIRE(info.error.empty());
    REQUIRE(info.parts.size() == 3);
    CHECK(info.parts[0].type == "multipart/mixed");
    CHECK(info.parts[1].path == "1");
    CHECK(info.parts[1].encoding == "quoted-printable");
    CHECK(info.parts[1].body.find("Perch=C3=A9") != std::string::npos);
    CHECK(info.parts[1].decoded.find("Perch\xC3\xA9") != std::string::npos);
    CHECK(info.parts[2].path == "2");
    CHECK(info.parts[2].encoding == "base64");
    CHECK(info.parts[2].filename == "minutes.txt");
    CHECK(info.parts[2].decoded.find("the minutes are attached") != std::string::npos);
}

TEST_CASE("MIME view: a bounce's delivery-status fields", "[viz-ui][mime]") {
    const MimeInfo info = analyze_message(message_bytes("mail-bounce.jsonl", "Q2"));
    if (!info.available) {
        WARN("built without sim/mail: " << info.error);
        return;
    }
    REQUIRE(info.dsn_blocks.size() == 2);
    CHECK(info.dsn_blocks[0][0].first == "Reporting-MTA");
    bool status = false;
    for (const auto& [k, v] : info.dsn_blocks[1]) status = status || (k == "Status" && v == "4.4.7");
    CHECK(status);
}
