// yaml_fields.hpp — reading YAML scenario nodes with errors for people.
//
// Every problem becomes a ScenarioError located at `file:line:col` (1-based,
// from yaml-cpp's marks) with what was expected and, for a misspelt key, the
// nearest valid key ("unknown key 'dommains' in host; did you mean
// 'domains'?"). Getters never throw past this layer.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/time.hpp"

namespace postino::scenario {

// Thrown inside the loader, caught at its boundary and turned into Error.
struct ScenarioError : std::runtime_error {
    ScenarioError(const std::string& where, const std::string& what)
        : std::runtime_error(where + ": " + what), where_(where), what_(what) {}
    std::string where_, what_;
};

class Fields {
public:
    explicit Fields(std::string file) : file_(std::move(file)) {}

    [[nodiscard]] std::string where(const YAML::Node& n) const;
    [[noreturn]] void fail(const YAML::Node& n, const std::string& what) const;

    // Every key of the map must be in `allowed`; `context` names the map
    // ("host", "send action") in the message.
    void check_keys(const YAML::Node& map, const std::vector<std::string_view>& allowed, const std::string& context) const;
    void require_map(const YAML::Node& n, const std::string& context) const;
    void require_seq(const YAML::Node& n, const std::string& context) const;

    [[nodiscard]] std::string str(const YAML::Node& n, const std::string& what) const;
    [[nodiscard]] std::int64_t integer(const YAML::Node& n, const std::string& what, std::int64_t lo, std::int64_t hi) const;
    [[nodiscard]] std::uint64_t seed(const YAML::Node& n) const;
    [[nodiscard]] double probability(const YAML::Node& n, const std::string& what) const;
    [[nodiscard]] bool boolean(const YAML::Node& n, const std::string& what) const;
    [[nodiscard]] Duration duration(const YAML::Node& n, const std::string& what) const;
    // "10MB", "512KB", "1000" (octets), "10Mbps" for rates via `rate`.
    [[nodiscard]] std::uint64_t octets(const YAML::Node& n, const std::string& what) const;
    [[nodiscard]] std::uint64_t rate_bps(const YAML::Node& n, const std::string& what) const;
    [[nodiscard]] std::vector<std::string> str_list(const YAML::Node& n, const std::string& what) const;

    [[nodiscard]] const std::string& file() const { return file_; }

private:
    std::string file_;
};

// Levenshtein distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `word` if it is close enough to be a likely typo.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace postino::scenario
