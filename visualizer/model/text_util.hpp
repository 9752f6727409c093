// text_util.hpp — text for people: short durations and countdowns, hex dumps,
// header sections, the narration's language choice, and parsing the `--at`
// argument (a time or #event).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/trace.hpp"

namespace postino::viz {

// "0 s", "66.8 ms", "1.50 s", "4 min 12 s", "2 d 3 h".
std::string short_duration(std::int64_t ns);
// A countdown to `at` seen from `now`: "in 4 min 12 s", "due now", "overdue 3 s".
std::string countdown(std::int64_t at, std::int64_t now);
// "+0d00:00:00.066818" (the timeline stamp of `postino trace`).
std::string stamp(std::int64_t ns);

// Classic 16-octets-per-row hex dump with an ASCII column.
std::string hex_dump(std::string_view bytes, std::size_t max_rows = 4096);

// An RFC 5322 header section split into (name, unfolded value) pairs, and
// the offset where the body starts (after the empty line; size() if none).
struct HeaderSplit {
    std::vector<std::pair<std::string, std::string>> fields;
    std::size_t body_offset = 0;
};
HeaderSplit split_header(std::string_view message);

// Blocks of header-style fields separated by empty lines (the body of a
// message/delivery-status part, RFC 3464 §2.1): per-message, per-recipient...
std::vector<std::vector<std::pair<std::string, std::string>>> header_blocks(std::string_view text);

// The narration text of a note in a language: the field named by the
// language code ("it", as the scenario runner writes a note's Italian text)
// when the note carries it, else "text" (English). `translated` says which
// one was used.
std::string note_text(const trace::Event& note, std::string_view lang, bool* translated = nullptr);

// The `--at` argument: "#42" (cursor after event 42) or a duration from the
// start ("1.5s", "250ms", "2h30m").
struct AtSpec {
    bool is_event = false;
    std::uint64_t event = 0;
    std::int64_t t = 0;
};
Result<AtSpec> parse_at(std::string_view text);

// "1920x1080" -> (1920, 1080).
Result<std::pair<int, int>> parse_size(std::string_view text);

}  // namespace postino::viz
