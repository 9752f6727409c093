// mime_golden_test.cpp — ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 §7.4.2)
// of the MIME golden messages of the message layer (tests/mail/golden/*.eml)
// against tests/imap/mime/<name>.imap, and checklist items I13, I14 and I16
// over them. IMAP_MIME_RECORD=1 prints the current outputs instead, for a
// person to check before saving.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "imap/session.hpp"
#include "proto/imap/message_view.hpp"

using namespace postino;
using namespace postino::imap;
using namespace postino::imap::testing;

namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string describe(const std::string& eml) {
    MessageView v(eml);
    return "ENVELOPE " + v.envelope() + "\nBODY " + v.body_structure(false) + "\nBODYSTRUCTURE " +
           v.body_structure(true) + "\n";
}

}  // namespace

TEST_CASE("imap: ENVELOPE and BODYSTRUCTURE of the MIME golden messages", "[imap][mime]") {
    const auto dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests" / "mail" / "golden";
    const auto want_dir = std::filesystem::path(POSTINO_SOURCE_DIR) / "tests" / "imap" / "mime";
    std::vector<std::filesystem::path> emls;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".eml") emls.push_back(e.path());
    std::sort(emls.begin(), emls.end());
    REQUIRE(emls.size() >= 5);
    for (const auto& p : emls) {
        INFO(p.filename().string());
        const std::string got = describe(slurp(p));
        const auto golden = want_dir / (p.stem().string() + ".imap");
        if (std::getenv("IMAP_MIME_RECORD") != nullptr) {
            std::ofstream(golden, std::ios::binary) << got;
            continue;
        }
        REQUIRE(std::filesystem::exists(golden));
        CHECK(got == slurp(golden));
    }
}

TEST_CASE("I13 BODYSTRUCTURE of a single part, nested multiparts and message/rfc822", "[imap][checklist]") {
    const auto eml = slurp(std::filesystem::path(POSTINO_SOURCE_DIR) / "tests/mail/golden/nested_rfc822.eml");
    MessageView v(eml);
    const auto bs = v.body_structure(true);
    // multipart/mixed of (multipart/alternative of two texts) and a message/rfc822
    // whose own body is multipart/mixed of a text and an image.
    CHECK(bs.rfind("(((\"text\" \"plain\"", 0) == 0);
    CHECK(has(bs, "\"alternative\""));
    CHECK(has(bs, "(\"message\" \"rfc822\" NIL NIL NIL \"7BIT\""));
    CHECK(has(bs, "(\"image\" \"png\" (\"name\" \"gruppo.png\") NIL NIL \"BASE64\""));
    CHECK(has(bs, "\"mixed\" (\"boundary\" \"outer-XYZ\")"));
    MessageView plain("Subject: s\r\n\r\nhello\r\n");
    CHECK(plain.body_structure(false) == "(\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7BIT\" 7 1)");
}

TEST_CASE("I14 BODY[HEADER], [TEXT], [MIME], [1.2], HEADER.FIELDS (.NOT), partials", "[imap][checklist]") {
    const auto eml = slurp(std::filesystem::path(POSTINO_SOURCE_DIR) / "tests/mail/golden/nested_rfc822.eml");
    MessageView v(eml);
    Section s;
    s.parts = {1, 2};  // the text/html alternative
    const auto html = v.section(s);
    REQUIRE(html.has_value());
    CHECK(html->rfind("<p>Ciao Mario,</p>", 0) == 0);
    s.text = Section::Text::Mime;
    CHECK(v.section(s)->rfind("Content-Type: text/html; charset=utf-8\r\n", 0) == 0);
    Section h;
    h.text = Section::Text::HeaderFields;
    h.fields = {"SUBJECT"};
    CHECK(*v.section(h) == "Subject: Fwd: Foto della gita\r\n\r\n");
    h.text = Section::Text::HeaderFieldsNot;
    CHECK_FALSE(has(*v.section(h), "Subject:"));
    Section inner;
    inner.parts = {2};
    inner.text = Section::Text::Header;
    CHECK(has(*v.section(inner), "From: Luca <luca@d.example>"));
    inner.parts = {2, 1};
    inner.text = Section::Text::All;
    CHECK(*v.section(inner) == "Ecco la foto di gruppo.");
    Section none;
    none.parts = {7};
    CHECK_FALSE(v.section(none).has_value());

    World w;
    w.add(eml);
    Session ses(w);
    ses.login();
    ses.send("a SELECT INBOX");
    CHECK(has(ses.send("b FETCH 1 BODY.PEEK[2.1]<5.3>"), "BODY[2.1]<5> {3}\r\nla "));
    CHECK(has(ses.send("c FETCH 1 BODY.PEEK[2.1]<500.3>"), "BODY[2.1]<500> \"\""));
}

TEST_CASE("I16 UID FETCH/STORE/SEARCH/COPY, n:* has the highest UID, missing UIDs ignored, UID in every response", "[imap][checklist]") {
    World w;
    for (int i = 0; i < 3; ++i) w.add(msg("m"));
    w.store.find("alice")->folders["Dest"];
    Session s(w);
    s.login();
    s.send("a SELECT INBOX");
    CHECK(has(s.send("b UID FETCH 10:* FLAGS"), "* 3 FETCH (UID 3 FLAGS"));
    CHECK(s.send("c UID FETCH 7 FLAGS") == "c OK UID FETCH completed\r\n");
    const auto out = s.send("d UID FETCH 3:1 RFC822.SIZE");
    CHECK(count(out, "FETCH (UID ") == 3);
    CHECK(has(s.send("e UID STORE 2 +FLAGS (\\Seen)"), "* 2 FETCH (UID 2 FLAGS (\\Seen"));
    CHECK(has(s.send("f UID SEARCH SEEN"), "* SEARCH 2\r\n"));
    CHECK(has(s.send("g UID COPY 2:9 Dest"), "g OK"));
    CHECK(w.store.find("alice")->folders["Dest"].messages.size() == 2);
}
