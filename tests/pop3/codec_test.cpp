// codec_test.cpp — the POP3 command reader, command splitting, response
// parser, byte-stuffing and TOP, each fixture fed whole, one octet at a
// time and at seeded random split points (DESIGN.md §4).
#include <catch2/catch.hpp>

#include "core/rng.hpp"
#include "proto/pop3/command.hpp"
#include "proto/pop3/command_reader.hpp"
#include "proto/pop3/limits.hpp"
#include "proto/pop3/response.hpp"
#include "proto/pop3/response_parser.hpp"

using namespace postino;
using namespace postino::pop3;

namespace {

// Splits `in` into pieces: 0 whole, 1 byte by byte, else seeded random sizes.
std::vector<std::string> pieces(const std::string& in, std::uint64_t mode) {
    std::vector<std::string> out;
    if (mode == 0) return {in};
    if (mode == 1) {
        for (char c : in) out.emplace_back(1, c);
        return out;
    }
    Rng rng = Rng::stream(mode, "pop3-codec");
    std::size_t pos = 0;
    while (pos < in.size()) {
        const auto n = static_cast<std::size_t>(rng.uniform_int(1, 9));
        out.push_back(in.substr(pos, n));
        pos += n;
    }
    return out;
}

struct ReadLine {
    CommandReader::Kind kind;
    std::string line;
    std::size_t octets;
};

std::vector<ReadLine> read_all(const std::string& in, std::uint64_t mode) {
    CommandReader r;
    std::vector<ReadLine> out;
    for (const auto& p : pieces(in, mode)) {
        std::string_view rest = p;
        while (!rest.empty()) {
            const auto s = r.read(rest);
            REQUIRE(s.consumed > 0);
            rest.remove_prefix(s.consumed);
            if (s.kind != CommandReader::Kind::NeedMore) out.push_back({s.kind, std::string(s.line), s.octets});
            CHECK(r.buffered() <= kMaxCommandOctets);
        }
    }
    return out;
}

}  // namespace

TEST_CASE("pop3 command reader: CRLF lines, bare line ends, 255-octet limit, any split", "[pop3][codec]") {
    const std::string long_line = std::string(300, 'x') + "\r\n";
    const std::string at_limit = std::string(253, 'y') + "\r\n";
    const std::string in = "USER alice\r\nbare\nPASS a\rb\r\n" + long_line + at_limit + "QUIT\r\n";
    for (std::uint64_t mode = 0; mode < 14; ++mode) {
        INFO("mode " << mode);
        const auto lines = read_all(in, mode);
        REQUIRE(lines.size() == 6);
        CHECK((lines[0].kind == CommandReader::Kind::Line && lines[0].line == "USER alice"));
        CHECK(lines[1].kind == CommandReader::Kind::BareLineEnd);
        CHECK(lines[2].kind == CommandReader::Kind::BareLineEnd);
        CHECK((lines[3].kind == CommandReader::Kind::TooLong && lines[3].octets == 302));
        CHECK((lines[4].kind == CommandReader::Kind::Line && lines[4].octets == kMaxCommandOctets));
        CHECK((lines[5].kind == CommandReader::Kind::Line && lines[5].line == "QUIT"));
    }
}

TEST_CASE("pop3 commands: keywords, arguments, message numbers", "[pop3][codec]") {
    CHECK(lookup_verb("uidl") == Verb::Uidl);
    CHECK(lookup_verb("CaPa") == Verb::Capa);
    CHECK(lookup_verb("TOPS") == Verb::Unknown);
    CHECK(lookup_verb("TO") == Verb::Unknown);
    CommandLine c = split_command("TOP 1 10");
    CHECK(c.verb == Verb::Top);
    CHECK(c.args == std::vector<std::string>{"1", "10"});
    c = split_command("PASS with spaces  inside ");
    CHECK(c.args == std::vector<std::string>{"with spaces  inside "});
    CHECK(!c.empty_argument);
    CHECK(split_command("LIST  1").empty_argument);
    CHECK(split_command("LIST 1 ").empty_argument);
    CHECK(parse_message_number("1") == 1U);
    CHECK(parse_message_number("007") == 7U);
    CHECK(!parse_message_number("0"));
    CHECK(!parse_message_number("+1"));
    CHECK(!parse_message_number("4294967296"));
    CHECK(parse_message_number("4294967295") == 4294967295U);
    CHECK(!parse_message_number(""));
    CHECK(parse_count("0") == 0U);
}

TEST_CASE("pop3 responses: status lines, codes, stuffing, normalization, TOP", "[pop3][codec]") {
    CHECK(ok().line() == "+OK\r\n");
    CHECK(err("x", "IN-USE").line() == "-ERR [IN-USE] x\r\n");
    CHECK(err("", "AUTH").line() == "-ERR [AUTH]\r\n");
    CHECK(stuff_body("") == ".\r\n");
    CHECK(stuff_body(".\r\n.a\r\nb.\r\n") == "..\r\n..a\r\nb.\r\n.\r\n");
    CHECK(normalize_message("a\nb\r\nc\rd") == "a\r\nb\r\nc\r\nd\r\n");
    CHECK(normalize_message("") == "");
    CHECK(normalize_message("x\r") == "x\r\n");
    const std::string m = "H: 1\r\nH: 2\r\n\r\nb1\r\nb2\r\n";
    CHECK(top_of(m, 0) == "H: 1\r\nH: 2\r\n\r\n");
    CHECK(top_of(m, 1) == "H: 1\r\nH: 2\r\n\r\nb1\r\n");
    CHECK(top_of(m, 5) == m);
    CHECK(top_of("H: only\r\n", 0) == "H: only\r\n");
    std::string code, text;
    split_response_code("[SYS/TEMP] busy", code, text);
    CHECK((code == "SYS/TEMP" && text == "busy"));
    split_response_code("[] x", code, text);
    CHECK((code.empty() && text == "[] x"));
    split_response_code("[open", code, text);
    CHECK((code.empty() && text == "[open"));
}

TEST_CASE("pop3 response parser: single and multi-line, unstuffing, any split", "[pop3][codec]") {
    const std::string in = "+OK 2 octets\r\n..\r\n..x\r\ny\r\n.\r\n-ERR [IN-USE] locked\r\n+OK\r\n";
    for (std::uint64_t mode = 0; mode < 14; ++mode) {
        INFO("mode " << mode);
        ResponseParser p;
        std::vector<std::string> got;
        int n = 0;
        p.expect_multiline(true);
        for (const auto& piece : pieces(in, mode)) {
            std::string_view rest = piece;
            while (!rest.empty()) {
                const auto s = p.parse(rest);
                REQUIRE(s.status != ResponseParser::Status::Error);
                rest.remove_prefix(s.consumed);
                if (s.status == ResponseParser::Status::Complete) {
                    got.push_back(std::string(p.response().ok ? "+" : "-") + p.response().code + "|" +
                                  p.response().text + "|" + p.body());
                    p.next();
                    p.expect_multiline(++n == 0);
                }
            }
        }
        CHECK(got == std::vector<std::string>{"+|2 octets|.\r\n.x\r\ny\r\n", "-IN-USE|locked|", "+||"});
    }
}

TEST_CASE("pop3 response parser: typed errors", "[pop3][codec]") {
    auto error_of = [](const std::string& in, bool multi) {
        ResponseParser p;
        p.expect_multiline(multi);
        const auto s = p.parse(in);
        return s.status == ResponseParser::Status::Error ? p.error() : ResponseError::None;
    };
    CHECK(error_of("+ok\r\n", false) == ResponseError::BadStatus);
    CHECK(error_of("+OKAY\r\n", false) == ResponseError::BadStatus);
    CHECK(error_of("-ERROR\r\n", false) == ResponseError::BadStatus);
    CHECK(error_of("OK\r\n", false) == ResponseError::BadStatus);
    CHECK(error_of("+OK\n", false) == ResponseError::BareLineEnd);
    CHECK(error_of("+OK a\rb\r\n", false) == ResponseError::BareLineEnd);
    CHECK(error_of("+OK " + std::string(600, 'x') + "\r\n", false) == ResponseError::LineTooLong);
    CHECK(error_of("+OK\r\nline\n", true) == ResponseError::BareLineEnd);
    CHECK(error_of("+OK\r\n" + std::string(kMaxBodyLineOctets + 10, 'x'), true) == ResponseError::LineTooLong);
    CHECK(error_of("+OK " + std::string(kMaxResponseLineOctets - 6, 'x') + "\r\n", false) == ResponseError::None);
}
