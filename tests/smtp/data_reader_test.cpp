// data_reader_test.cpp — end of data, unstuffing and bare CR/LF handling
// (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8, §4.5.3.1.6), fed at every split.
#include <catch2/catch.hpp>

#include <string>

#include "core/rng.hpp"
#include "proto/smtp/data_reader.hpp"
#include "proto/smtp/data_writer.hpp"

using namespace postino;
using namespace postino::smtp;
using namespace std::string_literals;

namespace {

struct Outcome {
    std::string content;
    std::size_t consumed = 0;  // octets up to and including the end of data
    bool done = false;
    DataProblems problems;
};

// Feeds `in` in pieces of `piece` octets; stops at the end of the data.
Outcome read(std::string_view in, std::size_t piece, DataReader::Options opt = {}) {
    DataReader r;
    r.begin(opt);
    Outcome o;
    while (!in.empty() && !o.done) {
        std::string_view chunk = in.substr(0, piece);
        const auto step = r.read(chunk);
        o.consumed += step.consumed;
        o.done = step.done;
        in.remove_prefix(step.consumed);
        if (!step.done) REQUIRE(step.consumed == chunk.size());
    }
    o.problems = r.problems();
    o.content = r.take_content();
    return o;
}

// The same outcome for every piece size from 1 to the whole input.
Outcome read_every_split(std::string_view in, DataReader::Options opt = {}) {
    const Outcome whole = read(in, in.size(), opt);
    for (std::size_t piece = 1; piece < in.size(); ++piece) {
        const Outcome o = read(in, piece, opt);
        INFO("piece " << piece);
        REQUIRE(o.content == whole.content);
        REQUIRE(o.consumed == whole.consumed);
        REQUIRE(o.done == whole.done);
        REQUIRE(o.problems.rejects() == whole.problems.rejects());
    }
    return whole;
}

bool only_crlf(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) return false;
        if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) return false;
    }
    return true;
}

DataReader::Options mode(LineEndMode m) {
    DataReader::Options o;
    o.mode = m;
    return o;
}

}  // namespace

TEST_CASE("data reader: unstuffing and the end of data", "[smtp][data]") {
    const std::string in = "a\r\n..b\r\n.c\r\n..\r\nd.\r\n.\r\nNEXT";
    const Outcome o = read_every_split(in);
    CHECK(o.done);
    CHECK(o.consumed == in.size() - 4);
    CHECK(o.content == "a\r\n.b\r\nc\r\n.\r\nd.\r\n");
    CHECK_FALSE(o.problems.rejects());
    const Outcome empty = read_every_split(".\r\n");
    CHECK(empty.done);
    CHECK(empty.content.empty());
}

TEST_CASE("data reader: the smuggling variants never end the data (S14)", "[smtp][data][smuggling]") {
    const std::vector<std::string> variants{"\n.\n"s,   "\n.\r\n"s, "\r.\r\n"s, "\r\n\0.\r\n"s,
                                            "\r\n.\n"s, "\r\n.\r"s, "\r.\r"s,   "\n.\r"s};
    for (const std::string& f : variants) {
        const std::string in = "Hello" + f + "MAIL FROM:<eve@evil.example>\r\nGotcha\r\n.\r\nTAIL";
        INFO("variant of " << f.size() << " octets");
        for (LineEndMode m : {LineEndMode::Strict, LineEndMode::Normalize}) {
            const Outcome o = read_every_split(in, mode(m));
            CHECK(o.done);
            CHECK(o.consumed == in.size() - 4);  // only the real <CRLF>.<CRLF> ends it
            if (m == LineEndMode::Strict) CHECK(o.problems.rejects());
            if (m == LineEndMode::Normalize && f.find('\0') == std::string::npos) {
                CHECK_FALSE(o.problems.rejects());
                CHECK(o.content.find("MAIL FROM:<eve@evil.example>\r\n") != std::string::npos);
                CHECK(only_crlf(o.content));
            }
        }
    }
}

TEST_CASE("data reader: the UNSAFE lf-ends-line mode is fooled, as a lesson", "[smtp][data][smuggling]") {
    for (const char* fake : {"\n.\n", "\n.\r\n", "\r\n.\n"}) {
        const std::string in = std::string("Hello") + fake + "SMUGGLED\r\n.\r\n";
        const Outcome o = read_every_split(in, mode(LineEndMode::LfEndsLine));
        CHECK(o.done);
        CHECK(o.consumed == 5 + std::char_traits<char>::length(fake));
        CHECK(o.content == "Hello\r\n");
    }
}

TEST_CASE("data reader: bare CR/LF, NUL and long lines are rejections", "[smtp][data]") {
    CHECK(read_every_split("a\nb\r\n.\r\n").problems.bare_lf);
    CHECK(read_every_split("a\rb\r\n.\r\n").problems.bare_cr);
    CHECK(read_every_split("a\0b\r\n.\r\n"s).problems.nul);
    const Outcome n = read_every_split("a\nb\rc\r\n.\r\n", mode(LineEndMode::Normalize));
    CHECK(n.content == "a\r\nb\r\nc\r\n");
    CHECK_FALSE(n.problems.rejects());
    const std::string ok = std::string(998, 'x') + "\r\n.\r\n";
    CHECK_FALSE(read_every_split(ok).problems.long_line);
    const std::string stuffed = "." + std::string(998, 'x') + "\r\n.\r\n";  // the stuffing dot does not count
    CHECK_FALSE(read(stuffed, 7).problems.long_line);
    const std::string too_long = std::string(999, 'x') + "\r\n.\r\n";
    CHECK(read(too_long, 13).problems.long_line);
    DataReader::Options lenient;
    lenient.accept_long_lines = true;
    CHECK_FALSE(read(too_long, 13, lenient).problems.rejects());
}

TEST_CASE("data reader: size limit and 8-bit note", "[smtp][data]") {
    DataReader::Options small;
    small.max_octets = 10;
    const Outcome big = read_every_split("0123456789\r\n.\r\n", small);
    CHECK(big.problems.too_big);
    CHECK(big.content.empty());
    CHECK(big.done);
    CHECK_FALSE(read_every_split("01234567\r\n.\r\n", small).problems.too_big);
    CHECK(read("caf\xC3\xA8\r\n.\r\n", 3).problems.eight_bit);
    DataReader::Options eight;
    eight.seven_bit = false;
    CHECK_FALSE(read("caf\xC3\xA8\r\n.\r\n", 3, eight).problems.eight_bit);
}

TEST_CASE("data writer and reader: random messages round-trip at random splits", "[smtp][data]") {
    Rng rng(20240611);
    const char alphabet[] = "ab.\r\n \x80";
    for (int round = 0; round < 300; ++round) {
        std::string msg;
        const auto n = rng.uniform_int(0, 300);
        for (std::int64_t i = 0; i < n; ++i)
            msg.push_back(alphabet[rng.uniform_int(0, sizeof(alphabet) - 2)]);
        const PreparedData d = prepare_data(msg);
        REQUIRE(d.wire.size() >= 3);
        CHECK(d.wire.substr(d.wire.size() - 3) == ".\r\n");
        REQUIRE(only_crlf(d.wire));  // a client never sends a bare CR or LF
        DataReader::Options opt;
        opt.seven_bit = false;
        const auto piece = static_cast<std::size_t>(rng.uniform_int(1, 40));
        const Outcome o = read(d.wire, piece, opt);
        REQUIRE(o.done);
        CHECK(o.consumed == d.wire.size());
        CHECK_FALSE(o.problems.rejects());
        CHECK(o.content.size() == d.size);
        // The reader gives back the normalized message: a second pass changes nothing.
        CHECK(prepare_data(o.content).wire == d.wire);
    }
}
