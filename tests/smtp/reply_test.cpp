// reply_test.cpp — reply wire form (RFC 5321 §4.2, §4.5.3.1.5), enhanced
// status codes (RFC 3463 §2, RFC 2034 §3) and the strict reply parser.
#include <catch2/catch.hpp>

#include <string>

#include "core/rng.hpp"
#include "proto/smtp/limits.hpp"
#include "proto/smtp/reply_parser.hpp"

using namespace postino;
using namespace postino::smtp;

TEST_CASE("reply: wire form of single and multiline replies", "[smtp][reply]") {
    CHECK(format_reply(make_reply(250, "2.1.0", "Ok")) == "250 2.1.0 Ok\r\n");
    CHECK(format_reply(make_reply(354, "", "Go on")) == "354 Go on\r\n");
    CHECK(format_reply(make_reply(250, "", "")) == "250\r\n");
    Reply m;
    m.code = 250;
    m.lines = {"mx.example", "PIPELINING", "SIZE 10"};
    CHECK(format_reply(m) == "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 10\r\n");
    m.enhanced = "2.0.0";
    CHECK(format_reply(m) == "250-2.0.0 mx.example\r\n250-2.0.0 PIPELINING\r\n250 2.0.0 SIZE 10\r\n");
}

TEST_CASE("reply: text cannot inject a line end and lines stay within 512 octets", "[smtp][reply]") {
    CHECK(format_reply(make_reply(550, "5.1.1", "bad\r\n250 ok")) == "550 5.1.1 bad??250 ok\r\n");
    const std::string out = format_reply(make_reply(550, "5.0.0", std::string(2000, 'x')));
    CHECK(out.size() == kMaxReplyLineOctets);
    CHECK(out.substr(out.size() - 2) == "\r\n");
}

TEST_CASE("reply: enhanced status code grammar", "[smtp][reply]") {
    for (const char* ok : {"2.0.0", "4.4.7", "5.1.1", "5.123.456", "2.10.0"})
        CHECK(valid_enhanced_code(ok));
    for (const char* bad : {"", "2.0", "3.0.0", "6.0.0", "2.0.0.0", "2..0", "2.01.0", "2.0.1234", "x.0.0", "2.0.0 "}) {
        INFO(bad);
        CHECK_FALSE(valid_enhanced_code(bad));
    }
    CHECK(enhanced_matches(250, "2.1.5"));
    CHECK_FALSE(enhanced_matches(550, "4.1.1"));
    CHECK(valid_reply_code(250));
    CHECK_FALSE(valid_reply_code(199));
    CHECK_FALSE(valid_reply_code(260));  // second digit 0–5
    CHECK_FALSE(valid_reply_code(600));
}

namespace {

struct Parsed {
    std::vector<Reply> replies;
    ReplyError error = ReplyError::None;
};

Parsed parse_all(std::string_view in, std::size_t piece) {
    Parsed out;
    ReplyParser p;
    while (!in.empty()) {
        std::string_view chunk = in.substr(0, piece);
        in.remove_prefix(chunk.size());
        while (!chunk.empty()) {
            auto step = p.parse(chunk);
            chunk.remove_prefix(step.consumed);
            if (step.status == ReplyParser::Status::Error) {
                out.error = p.error();
                return out;
            }
            if (step.status == ReplyParser::Status::NeedMore) break;
            out.replies.push_back(p.reply());
            p.next();
        }
    }
    return out;
}

}  // namespace

TEST_CASE("reply parser: multiline, bare codes, enhanced codes, any split", "[smtp][reply]") {
    const std::string in =
        "250-mx.example Hello\r\n250-PIPELINING\r\n250 SIZE 100\r\n250\r\n"
        "550 5.1.1 No such user\r\n421-4.4.2 first\r\n421 4.4.2 second\r\n250 2.0.0\r\n";
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{7}, in.size()}) {
        INFO(piece);
        const Parsed p = parse_all(in, piece);
        REQUIRE(p.error == ReplyError::None);
        REQUIRE(p.replies.size() == 5);
        CHECK(p.replies[0].lines == std::vector<std::string>{"mx.example Hello", "PIPELINING", "SIZE 100"});
        CHECK(p.replies[0].enhanced.empty());
        CHECK(p.replies[1].code == 250);
        CHECK(p.replies[1].lines == std::vector<std::string>{""});
        CHECK(p.replies[2].enhanced == "5.1.1");
        CHECK(p.replies[2].lines[0] == "No such user");
        CHECK(p.replies[3].lines == std::vector<std::string>{"first", "second"});
        CHECK(p.replies[4].enhanced == "2.0.0");
    }
    // An enhanced code of the wrong class is just text.
    const Parsed wrong = parse_all("250 5.1.1 text\r\n", 100);
    CHECK(wrong.replies[0].enhanced.empty());
    CHECK(wrong.replies[0].lines[0] == "5.1.1 text");
}

TEST_CASE("reply parser: typed errors", "[smtp][reply]") {
    CHECK(parse_all("250 ok\n", 100).error == ReplyError::BareLineEnd);
    CHECK(parse_all("250 o\rk\r\n", 100).error == ReplyError::BareLineEnd);
    CHECK(parse_all("25 ok\r\n", 100).error == ReplyError::BadSyntax);
    CHECK(parse_all("250_ok\r\n", 100).error == ReplyError::BadSyntax);
    CHECK(parse_all("199 ok\r\n", 100).error == ReplyError::BadSyntax);
    CHECK(parse_all("250 a\x01"
                    "b\r\n",
                    100)
              .error == ReplyError::BadSyntax);
    CHECK(parse_all("250-a\r\n251 b\r\n", 100).error == ReplyError::CodeMismatch);
    CHECK(parse_all("250 " + std::string(kMaxReplyLineOctets, 'x') + "\r\n", 100).error == ReplyError::LineTooLong);
    std::string many;
    for (std::size_t i = 0; i <= kMaxReplyLines; ++i)
        many += "250-x\r\n";
    CHECK(parse_all(many, 100).error == ReplyError::TooManyLines);
}

TEST_CASE("reply parser: random bytes never crash and stay bounded", "[smtp][reply]") {
    Rng rng(7);
    for (int round = 0; round < 200; ++round) {
        std::string in;
        const auto n = rng.uniform_int(0, 2000);
        for (std::int64_t i = 0; i < n; ++i) {
            const char alphabet[] = "0123456789 -\r\n25a";
            in.push_back(alphabet[rng.uniform_int(0, sizeof(alphabet) - 2)]);
        }
        ReplyParser p;
        std::string_view rest = in;
        while (!rest.empty()) {
            auto step = p.parse(rest);
            rest.remove_prefix(step.consumed);
            CHECK(p.buffered() <= kMaxReplyLineOctets);
            if (step.status != ReplyParser::Status::Complete) break;
            p.next();
        }
    }
}
