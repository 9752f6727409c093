// command_reader_test.cpp — bounded CRLF command lines (RFC 5321 §2.3.8,
// §4.5.3.1.4).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "proto/smtp/command.hpp"
#include "proto/smtp/command_reader.hpp"
#include "proto/smtp/limits.hpp"

using namespace postino::smtp;
using Kind = CommandReader::Kind;

namespace {

struct Line {
    Kind kind;
    std::string line;
    std::size_t octets;
    bool operator==(const Line&) const = default;
};

std::vector<Line> read_all(std::string_view in, std::size_t piece, bool lf = false) {
    CommandReader r(lf);
    std::vector<Line> out;
    while (!in.empty()) {
        std::string_view chunk = in.substr(0, piece);
        in.remove_prefix(chunk.size());
        while (!chunk.empty()) {
            auto s = r.read(chunk);
            chunk.remove_prefix(s.consumed);
            REQUIRE(r.buffered() <= kMaxCommandLineOctets);
            if (s.kind != Kind::NeedMore) out.push_back({s.kind, std::string(s.line), s.octets});
        }
    }
    return out;
}

}  // namespace

TEST_CASE("command reader: CRLF lines, split anywhere", "[smtp][command]") {
    const std::string in = "EHLO a\r\nNOOP\r\n\r\nQUIT\r\n";
    const std::vector<Line> want{
        {Kind::Line, "EHLO a", 8}, {Kind::Line, "NOOP", 6}, {Kind::Line, "", 2}, {Kind::Line, "QUIT", 6}};
    for (std::size_t piece = 1; piece <= in.size(); ++piece)
        CHECK(read_all(in, piece) == want);
}

TEST_CASE("command reader: bare LF and bare CR make a bad line, never two commands", "[smtp][command]") {
    const std::string in = "NOOP\nRSET\r\nA\rB\r\nQUIT\r\n";
    const std::vector<Line> want{{Kind::BareLineEnd, "NOOP", 5},
                                 {Kind::Line, "RSET", 6},
                                 {Kind::BareLineEnd, "A\rB", 5},
                                 {Kind::Line, "QUIT", 6}};
    for (std::size_t piece = 1; piece <= in.size(); ++piece)
        CHECK(read_all(in, piece) == want);
    // Leniency: an LF alone ends the line.
    const auto lenient = read_all("NOOP\nRSET\r\n", 3, true);
    REQUIRE(lenient.size() == 2);
    CHECK(lenient[0].kind == Kind::Line);
}

TEST_CASE("command reader: the 512-octet limit counts the CRLF", "[smtp][command]") {
    const std::string ok(kMaxCommandLineOctets - 2, 'a');
    const std::string too_long(kMaxCommandLineOctets - 1, 'b');
    const std::string huge(10000, 'c');
    const std::string in = ok + "\r\n" + too_long + "\r\n" + huge + "\r\nNOOP\r\n";
    for (std::size_t piece : {std::size_t{1}, std::size_t{100}, std::size_t{511}, std::size_t{512}, in.size()}) {
        INFO(piece);
        const auto got = read_all(in, piece);
        REQUIRE(got.size() == 4);
        CHECK(got[0].kind == Kind::Line);
        CHECK(got[1].kind == Kind::TooLong);
        CHECK(got[1].octets == too_long.size() + 2);
        CHECK(got[2].kind == Kind::TooLong);
        CHECK(got[2].octets == huge.size() + 2);
        CHECK(got[2].line.size() == kMaxCommandLineOctets);  // the head kept for the trace
        CHECK(got[3] == Line{Kind::Line, "NOOP", 6});
    }
}

TEST_CASE("command: verbs are case-insensitive, arguments follow the first SP", "[smtp][command]") {
    auto c = split_command("mAiL FROM:<a@b> SIZE=1");
    CHECK(c.verb == Verb::Mail);
    CHECK(c.token == "MAIL");
    CHECK(c.args == "FROM:<a@b> SIZE=1");
    CHECK(split_command("QUIT").verb == Verb::Quit);
    CHECK_FALSE(split_command("QUIT").has_space);
    CHECK(split_command("QUIT ").has_space);
    CHECK(split_command("XYZZY now").verb == Verb::Unknown);
    CHECK(split_command("XYZZY now").token == "XYZZY");
    CHECK(split_command("MAILX").verb == Verb::Unknown);
    CHECK(split_command("starttls").verb == Verb::Starttls);
    CHECK_FALSE(implemented(Verb::Starttls));
    CHECK(implemented(Verb::Vrfy));
    CHECK(verb_name(Verb::Rcpt) == "RCPT");
}
