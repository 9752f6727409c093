// address_test.cpp — automatic host addresses: the RFC 5737 ranges first
// (the numbering every existing trace shows), then RFC 2544's 198.18.0.0/15,
// and a clear error past the last one.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "net/sim_fixture.hpp"

using namespace postino;
using namespace postino::net;

TEST_CASE("automatic addresses go on in 198.18.0.0/15 after the RFC 5737 ranges", "[net][address]") {
    testing::SimFixture f;
    auto add = [&](std::uint32_t i) { return f.net->add_host("h" + std::to_string(i)).ip(); };
    CHECK(add(0) == Ip4::of(192, 0, 2, 1));
    for (std::uint32_t i = 1; i < 252; ++i) add(i);
    CHECK(add(252) == Ip4::of(192, 0, 2, 253));
    CHECK(add(253) == Ip4::of(198, 51, 100, 1));
    for (std::uint32_t i = 254; i < 758; ++i) add(i);
    CHECK(add(758) == Ip4::of(203, 0, 113, 253));
    CHECK(add(759) == Ip4::of(198, 18, 0, 1));
    for (std::uint32_t i = 760; i < 759 + 253; ++i) add(i);
    CHECK(add(759 + 253) == Ip4::of(198, 18, 0, 254));
    CHECK(add(759 + 254) == Ip4::of(198, 18, 1, 1));
    for (std::uint32_t i = 759 + 255; i < kMaxAutomaticHosts - 1; ++i) add(i);
    CHECK(add(kMaxAutomaticHosts - 1) == Ip4::of(198, 19, 255, 254));
    CHECK(f.net->hosts().size() == kMaxAutomaticHosts);
    try {
        f.net->add_host("one.too.many");
        FAIL("no error past the last automatic address");
    } catch (const std::length_error& e) {
        const std::string what = e.what();
        CHECK(what.find("one.too.many") != std::string::npos);
        CHECK(what.find(std::to_string(kMaxAutomaticHosts)) != std::string::npos);
    }
}

TEST_CASE("automatic numbering skips an address a host was given explicitly", "[net][address]") {
    testing::SimFixture f;
    f.net->add_host("fixed", {}, Ip4::of(192, 0, 2, 1));
    CHECK(f.net->add_host("auto").ip() == Ip4::of(192, 0, 2, 2));
    CHECK_THROWS_AS(f.net->add_host("clash", {}, Ip4::of(192, 0, 2, 2)), std::invalid_argument);
}
