// transcript_test.cpp — the golden transcript format itself
// (docs/transcript-format.md).
#include <catch2/catch.hpp>

#include "proto/smtp/transcript.hpp"

using namespace postino::smtp;
using Kind = TranscriptStep::Kind;

TEST_CASE("transcript: lines, raw lines, directives", "[smtp][transcript]") {
    const char* text =
        "# comment\n"
        "@set max-errors 3\n"
        "@policy users a@b\n"
        "\n"
        "S: 220 hi\n"
        "C: EHLO x\r\n"
        "C| A\\r\\nB\\x00\\\\\n"
        "C:\n"
        "@wait 2m\n"
        "@timeout\n"
        "@eof\n"
        "@close\n"
        "@message from=<a@b> to=<c\\x41@d>\n"
        "M: body\n"
        "M| raw\\n\n"
        "@expect session done\n";
    auto t = parse_transcript(text, "t.txt");
    REQUIRE(t.ok());
    CHECK(t->role == "server");
    REQUIRE(t->settings.size() == 1);
    CHECK(t->settings[0] == std::pair<std::string, std::string>{"max-errors", "3"});
    CHECK(t->policy[0].second == "a@b");
    REQUIRE(t->steps.size() == 8);
    CHECK(t->steps[0].kind == Kind::Server);
    CHECK(t->steps[0].bytes == "220 hi\r\n");
    CHECK(t->steps[1].bytes == "EHLO x\r\n");  // a CR before the file's LF is not content
    CHECK(t->steps[2].bytes == std::string("A\r\nB\0\\", 6));
    CHECK(t->steps[3].bytes == "\r\n");
    CHECK(t->steps[4].kind == Kind::Wait);
    CHECK(t->steps[4].wait == postino::minutes(2));
    CHECK(t->steps[5].kind == Kind::Timeout);
    CHECK(t->steps[6].kind == Kind::Eof);
    CHECK(t->steps[7].kind == Kind::Close);
    REQUIRE(t->messages.size() == 1);
    CHECK(t->messages[0].envelope == "from=<a@b> to=<cA@d>");
    CHECK(t->messages[0].content == "body\r\nraw\n");
    CHECK(t->expects == std::vector<std::string>{"session done"});
}

TEST_CASE("transcript: errors name the line", "[smtp][transcript]") {
    auto bad = parse_transcript("S: ok\nX: what\n", "f.txt");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().where == "f.txt:2");
    CHECK_FALSE(parse_transcript("C| \\q\n").ok());
    CHECK_FALSE(parse_transcript("C| \\x4\n").ok());
    CHECK_FALSE(parse_transcript("@frobnicate\n").ok());
    CHECK_FALSE(parse_transcript("M: no message yet\n").ok());
    CHECK_FALSE(parse_transcript("C:x\n").ok());
    CHECK_FALSE(parse_transcript("@role both\n").ok());
}

TEST_CASE("transcript: writing lines picks the readable form when it can", "[smtp][transcript]") {
    CHECK(format_transcript_line('S', "250 ok\r\n") == "S: 250 ok");
    CHECK(format_transcript_line('C', "\r\n") == "C:");
    CHECK(format_transcript_line('C', "NOOP\n") == "C| NOOP\\n");
    CHECK(format_transcript_line('C', "a \r\n") == "C| a \\r\\n");  // trailing space kept visible
    CHECK(format_transcript_line('S', "caf\xC3\xA8\r\n") == "S| caf\\xC3\\xA8\\r\\n");
    const std::string all = [] {
        std::string s;
        for (int c = 0; c < 256; ++c)
            s.push_back(static_cast<char>(c));
        return s;
    }();
    auto back = unescape(escape(all));
    REQUIRE(back.ok());
    CHECK(*back == all);
    auto t = parse_transcript(format_transcript_line('C', all) + "\n");
    REQUIRE(t.ok());
    CHECK(t->steps[0].bytes == all);
}
