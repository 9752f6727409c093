// rng_test.cpp — the portable generator gives fixed sequences on every
// compiler and library; the distributions behave as documented.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/rng.hpp"

using namespace postino;

TEST_CASE("splitmix64 matches its published reference output", "[rng]") {
    std::uint64_t state = 0;
    CHECK(splitmix64(state) == 0xe220a8397b1dcdafULL);
    CHECK(splitmix64(state) == 0x6e789e6aa1b965f4ULL);
    CHECK(splitmix64(state) == 0x06c45d188009454fULL);
}

TEST_CASE("xoshiro256** matches the reference implementation", "[rng]") {
    auto r = Rng::from_state({1, 2, 3, 4});
    CHECK(r.next_u64() == 11520ULL);
    CHECK(r.next_u64() == 0ULL);
    CHECK(r.next_u64() == 1509978240ULL);
    CHECK(r.next_u64() == 1215971899390074240ULL);
}

// The values below were recorded from this implementation (whose core is
// pinned to the published reference outputs above); they catch any change
// in seeding, stream derivation or the integer distribution.
TEST_CASE("seeded streams give fixed sequences (a change of compiler or library is caught)", "[rng]") {
    Rng r(42);
    CHECK(r.next_u64() == 0x15780b2e0c2ec716ULL);
    CHECK(r.uniform_int(1, 6) == 3);
    CHECK(r.uniform_int(0, 1'000'000) == 680044);
    auto s = Rng::stream(42, "link:mx.b.example");
    CHECK(s.next_u64() == 0x3e7b0f8a93eeadbbULL);
    // Distinct names give distinct streams; the same name the same stream.
    auto s2 = Rng::stream(42, "link:mx.b.example");
    auto s3 = Rng::stream(42, "link:mx.a.example");
    s2.next_u64();
    CHECK(s2.next_u64() == s.next_u64());
    CHECK(s3.next_u64() != Rng::stream(42, "link:mx.b.example").next_u64());
    CHECK(fnv1a64("") == 0xcbf29ce484222325ULL);
    CHECK(fnv1a64("a") == 0xaf63dc4c8601ec8cULL);
}

TEST_CASE("uniform_int stays in range and hits every value", "[rng]") {
    Rng r(7);
    int seen[6] = {};
    for (int i = 0; i < 6000; ++i) {
        const auto v = r.uniform_int(1, 6);
        REQUIRE(v >= 1);
        REQUIRE(v <= 6);
        ++seen[v - 1];
    }
    for (int c : seen) CHECK(c > 800);
    CHECK(r.uniform_int(5, 5) == 5);
    CHECK(r.uniform_int(INT64_MIN, INT64_MAX) != r.uniform_int(INT64_MIN, INT64_MAX));
}

TEST_CASE("real-valued distributions have the right moments", "[rng]") {
    Rng r(11);
    constexpr int n = 200'000;
    double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0;
    int hits = 0;
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform01();
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        sum_u += u;
        sum_e += r.exponential(3.0);
        const double x = r.normal(10.0, 2.0);
        sum_n += x;
        sum_n2 += x * x;
        hits += r.bernoulli(0.25) ? 1 : 0;
    }
    CHECK(sum_u / n == Approx(0.5).epsilon(0.01));
    CHECK(sum_e / n == Approx(3.0).epsilon(0.02));
    const double mean = sum_n / n;
    CHECK(mean == Approx(10.0).epsilon(0.01));
    CHECK(std::sqrt(sum_n2 / n - mean * mean) == Approx(2.0).epsilon(0.02));
    CHECK(static_cast<double>(hits) / n == Approx(0.25).epsilon(0.02));
    CHECK_FALSE(r.bernoulli(0.0));
    CHECK(r.bernoulli(1.0));
    const double ur = r.uniform_real(-2.0, -1.0);
    CHECK(ur >= -2.0);
    CHECK(ur < -1.0);
}
