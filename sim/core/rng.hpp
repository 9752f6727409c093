// rng.hpp — the one portable random generator of Postino (DESIGN.md §2.2).
//
// xoshiro256** (Blackman & Vigna, 2018) seeded through splitmix64. Every
// component draws from its own named stream derived from (run seed, stream
// name), so adding a component or a draw in one place does not shift the
// numbers another component sees. Distributions are written here by hand:
// std::*_distribution output differs between standard libraries.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace postino {

// splitmix64: a 64-bit mixer, used to expand seeds.
std::uint64_t splitmix64(std::uint64_t& state);

// FNV-1a 64-bit hash of bytes: stable, portable, used for stream names.
std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t basis = 0xcbf29ce484222325ULL);

class Rng {
public:
    explicit Rng(std::uint64_t seed);
    // The stream for a named component of a run with the given seed.
    static Rng stream(std::uint64_t run_seed, std::string_view name);

    // A generator with the given raw xoshiro256** state (for reference tests).
    static Rng from_state(const std::array<std::uint64_t, 4>& state);

    std::uint64_t next_u64();

    // Uniform integer in [lo, hi] (inclusive), unbiased (Lemire's method).
    std::int64_t uniform_int(std::int64_t lo, std::int64_t hi);
    // Uniform double in [0, 1) with 53 random bits.
    double uniform01();
    // Uniform double in [lo, hi).
    double uniform_real(double lo, double hi);
    // True with probability p (p <= 0: never, p >= 1: always).
    bool bernoulli(double p);
    // Exponential with the given mean (inverse transform).
    double exponential(double mean);
    // Normal with the given mean and standard deviation (Box–Muller; the
    // second value of each pair is kept for the next call).
    double normal(double mean, double stddev);

private:
    std::array<std::uint64_t, 4> s_{};
    double spare_normal_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace postino
