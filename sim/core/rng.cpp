// rng.cpp — xoshiro256**, splitmix64 and hand-written distributions.
#include "core/rng.hpp"

#include <cmath>
#include <numbers>

namespace postino {
namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t basis) {
    std::uint64_t h = basis;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

Rng::Rng(std::uint64_t seed) {
    std::uint64_t st = seed;
    for (auto& w : s_) w = splitmix64(st);
}

Rng Rng::stream(std::uint64_t run_seed, std::string_view name) {
    std::uint64_t st = run_seed;
    const std::uint64_t mixed = splitmix64(st) ^ fnv1a64(name);
    return Rng(mixed);
}

Rng Rng::from_state(const std::array<std::uint64_t, 4>& state) {
    Rng r(0);
    r.s_ = state;
    return r;
}

std::uint64_t Rng::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::int64_t Rng::uniform_int(std::int64_t lo, std::int64_t hi) {
    if (hi <= lo) return lo;
    const std::uint64_t range = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (range == UINT64_MAX) return static_cast<std::int64_t>(next_u64());
    const std::uint64_t n = range + 1;
    // Lemire, "Fast Random Integer Generation in an Interval" (2019).
    __extension__ using U128 = unsigned __int128;
    U128 m = static_cast<U128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
        const std::uint64_t threshold = (0 - n) % n;
        while (low < threshold) {
            m = static_cast<U128>(next_u64()) * n;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + static_cast<std::uint64_t>(m >> 64));
}

double Rng::uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Rng::uniform_real(double lo, double hi) { return lo + (hi - lo) * uniform01(); }

bool Rng::bernoulli(double p) {
    if (p <= 0.0) return false;
    if (p >= 1.0) return true;
    return uniform01() < p;
}

double Rng::exponential(double mean) { return -mean * std::log1p(-uniform01()); }

double Rng::normal(double mean, double stddev) {
    if (has_spare_) {
        has_spare_ = false;
        return mean + stddev * spare_normal_;
    }
    double u1 = uniform01();
    while (u1 <= 0.0) u1 = uniform01();
    const double u2 = uniform01();
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * std::numbers::pi * u2;
    spare_normal_ = r * std::sin(theta);
    has_spare_ = true;
    return mean + stddev * r * std::cos(theta);
}

}  // namespace postino
