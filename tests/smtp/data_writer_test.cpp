// data_writer_test.cpp — the client's side of DATA (RFC 5321 §4.5.2,
// §2.3.8; RFC 1870 §4; RFC 6152 §3).
#include <catch2/catch.hpp>

#include "proto/smtp/data_writer.hpp"

using namespace postino::smtp;

TEST_CASE("data writer: dot-stuffing and end of data", "[smtp][data]") {
    const PreparedData d = prepare_data("a\r\n.b\r\n..\r\n.\r\n");
    CHECK(d.wire == "a\r\n..b\r\n...\r\n..\r\n.\r\n");
    CHECK(d.size == 14);  // RFC 1870 §4: the message, not the stuffing
    CHECK_FALSE(d.normalized);
    CHECK(prepare_data("").wire == ".\r\n");
    CHECK(prepare_data("").size == 0);
}

TEST_CASE("data writer: bare line ends and a missing final CRLF are normalized", "[smtp][data]") {
    const PreparedData d = prepare_data("a\nb\rc\r\r\nd");
    CHECK(d.wire == "a\r\nb\r\nc\r\n\r\nd\r\n.\r\n");
    CHECK(d.normalized);
    CHECK(d.size == 14);
}

TEST_CASE("data writer: what cannot be sent as it is is flagged", "[smtp][data]") {
    CHECK(prepare_data("caf\xC3\xA8\r\n").eight_bit);
    CHECK_FALSE(prepare_data("cafe\r\n").eight_bit);
    CHECK(prepare_data(std::string("a\0b\r\n", 5)).nul);
    CHECK_FALSE(prepare_data(std::string(998, 'x') + "\r\n").long_line);
    CHECK(prepare_data(std::string(999, 'x') + "\r\n").long_line);
    // 998 octets after a leading dot: 1001 on the wire once stuffed, and still
    // within §4.5.3.1.6, which does not count the dot added for transparency.
    CHECK_FALSE(prepare_data("." + std::string(997, 'x') + "\r\n").long_line);
}
