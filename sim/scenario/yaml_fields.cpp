// yaml_fields.cpp — located, typed reading of YAML nodes.
#include "scenario/yaml_fields.hpp"

#include <algorithm>
#include <cmath>

namespace postino::scenario {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::optional<std::string> nearest(std::string_view word, const std::vector<std::string_view>& candidates) {
    std::optional<std::string> best;
    std::size_t best_d = SIZE_MAX;
    for (auto c : candidates) {
        const std::size_t d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = std::string(c);
        }
    }
    // Close enough to be a typo: at most a third of the word, and at least 1 edit allowed.
    if (best && best_d <= std::max<std::size_t>(2, word.size() / 3)) return best;
    return std::nullopt;
}

std::string Fields::where(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.is_null()) return file_;
    return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

void Fields::fail(const YAML::Node& n, const std::string& what) const { throw ScenarioError(where(n), what); }

void Fields::require_map(const YAML::Node& n, const std::string& context) const {
    if (!n.IsMap()) fail(n, context + " must be a mapping (key: value)");
}

void Fields::require_seq(const YAML::Node& n, const std::string& context) const {
    if (!n.IsSequence()) fail(n, context + " must be a list");
}

void Fields::check_keys(const YAML::Node& map, const std::vector<std::string_view>& allowed,
                        const std::string& context) const {
    require_map(map, context);
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar()) fail(it->first, "keys of " + context + " must be plain words");
        const std::string key = it->first.Scalar();
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::string msg = std::string("unknown key '").append(key).append("' in ").append(context);
        if (auto s = nearest(key, allowed)) msg += "; did you mean '" + *s + "'?";
        else {
            msg += " (expected one of:";
            for (auto a : allowed) msg += " " + std::string(a);
            msg += ")";
        }
        fail(it->first, msg);
    }
}

std::string Fields::str(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) fail(n, what + " must be a single value, not a list or mapping");
    return n.Scalar();
}

std::int64_t Fields::integer(const YAML::Node& n, const std::string& what, std::int64_t lo, std::int64_t hi) const {
    const std::string s = str(n, what);
    std::size_t pos = 0;
    long long v = 0;
    try {
        v = std::stoll(s, &pos, 10);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != s.size()) fail(n, what + " must be a whole number, got '" + s + "'");
    if (v < lo || v > hi) fail(n, what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return v;
}

std::uint64_t Fields::seed(const YAML::Node& n) const {
    const std::string s = str(n, "seed");
    std::size_t pos = 0;
    unsigned long long v = 0;
    try {
        v = std::stoull(s, &pos, 10);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != s.size() || s[0] == '-') fail(n, "seed must be a non-negative whole number, got '" + s + "'");
    return v;
}

double Fields::probability(const YAML::Node& n, const std::string& what) const {
    const std::string s = str(n, what);
    std::size_t pos = 0;
    double v = -1;
    bool percent = !s.empty() && s.back() == '%';
    try {
        v = std::stod(percent ? s.substr(0, s.size() - 1) : s, &pos);
    } catch (const std::exception&) {
        pos = 0;
    }
    if (pos == 0 || pos != s.size() - (percent ? 1 : 0)) fail(n, what + " must be a number like 0.05 or 5%, got '" + s + "'");
    if (percent) v /= 100.0;
    if (!(v >= 0.0 && v <= 1.0)) fail(n, what + " must be between 0 and 1 (or 0% and 100%)");
    return v;
}

bool Fields::boolean(const YAML::Node& n, const std::string& what) const {
    const std::string s = str(n, what);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(n, what + " must be true or false, got '" + s + "'");
}

Duration Fields::duration(const YAML::Node& n, const std::string& what) const {
    const std::string s = str(n, what);
    auto d = parse_duration(s);
    if (!d) fail(n, what + ": " + d.error().what);
    return *d;
}

namespace {
// Parses "<number><unit>" with the given units; returns false if malformed.
bool scaled(const std::string& s, const std::vector<std::pair<std::string_view, std::uint64_t>>& units, std::uint64_t& out) {
    std::size_t i = 0;
    std::uint64_t v = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        if (v > UINT64_MAX / 10 - 9) return false;
        v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
        ++i;
    }
    if (i == 0) return false;
    const std::string_view unit = std::string_view(s).substr(i);
    for (const auto& [name, mult] : units) {
        if (unit == name) {
            if (mult != 0 && v > UINT64_MAX / mult) return false;
            out = v * mult;
            return true;
        }
    }
    return false;
}
}  // namespace

std::uint64_t Fields::octets(const YAML::Node& n, const std::string& what) const {
    const std::string s = str(n, what);
    std::uint64_t v = 0;
    if (!scaled(s, {{"", 1}, {"B", 1}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000ULL * 1000 * 1000},
                    {"KiB", 1024}, {"MiB", 1024 * 1024}},
                v)) {
        fail(n, what + " must be a size like 10MB, 512KB, 64KiB or a number of octets, got '" + s + "'");
    }
    return v;
}

std::uint64_t Fields::rate_bps(const YAML::Node& n, const std::string& what) const {
    const std::string s = str(n, what);
    std::uint64_t v = 0;
    if (!scaled(s, {{"bps", 1}, {"kbps", 1000}, {"Kbps", 1000}, {"Mbps", 1000 * 1000}, {"Gbps", 1000ULL * 1000 * 1000}}, v)) {
        fail(n, what + " must be a rate like 10Mbps, 512kbps or 1Gbps, got '" + s + "'");
    }
    return v;
}

std::vector<std::string> Fields::str_list(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.IsScalar()) {
        out.push_back(n.Scalar());
        return out;
    }
    if (!n.IsSequence()) fail(n, what + " must be a value or a list of values");
    for (const auto& item : n) out.push_back(str(item, what + " entry"));
    return out;
}

}  // namespace postino::scenario
