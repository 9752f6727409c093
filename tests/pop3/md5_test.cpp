// md5_test.cpp — MD5 (sim/core/md5.hpp) against the test suite of RFC 1321
// Appendix A.5 and the APOP example of RFC 1939 §7.
#include <catch2/catch.hpp>

#include "core/md5.hpp"

using postino::Md5;

TEST_CASE("md5: RFC 1321 appendix A.5 test suite", "[pop3][md5]") {
    CHECK(Md5::hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(Md5::hex("a") == "0cc175b9c0f1b6a831c399e269772661");
    CHECK(Md5::hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(Md5::hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
    CHECK(Md5::hex("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
    CHECK(Md5::hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
          "d174ab98d277d9f5a5611c2c9f419d9f");
    CHECK(Md5::hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
}

TEST_CASE("md5: the digest does not depend on how the input is split", "[pop3][md5]") {
    std::string data;
    for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7 + 3));
    const std::string whole = Md5::hex(data);
    for (std::size_t piece : {1U, 3U, 55U, 56U, 63U, 64U, 65U, 200U}) {
        Md5 m;
        for (std::size_t i = 0; i < data.size(); i += piece) m.update(std::string_view(data).substr(i, piece));
        CHECK(Md5::to_hex(m.finish()) == whole);
    }
    // Lengths around the padding boundary (56 mod 64) differ from each other.
    CHECK(Md5::hex(std::string(55, 'x')) != Md5::hex(std::string(56, 'x')));
}

TEST_CASE("md5: the APOP example of RFC 1939 section 7", "[pop3][md5]") {
    CHECK(Md5::hex("<1896.697170952@dbc.mtview.ca.us>tanstaaf") == "c4c9334bac560ecc979e58001b3e22fb");
}
