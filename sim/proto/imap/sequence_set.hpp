// sequence_set.hpp — IMAP sequence sets: "1:*", "3:1", "2,4:7,*".
//
// RFC 3501 §9 (sequence-set, seq-range, seq-number; "*" is the largest
// number in use, a range may be written high to low: "3:1" is "1:3"), §6.4.8
// (for UIDs, numbers that match no message are ignored, and "n:*" always
// includes the highest UID even when n is greater).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace postino::imap {

// One range; 0 stands for "*".
struct SeqRange {
    std::uint32_t lo = 0;
    std::uint32_t hi = 0;
    friend bool operator==(const SeqRange&, const SeqRange&) = default;
};

struct SequenceSet {
    std::vector<SeqRange> ranges;
    // Does `n` belong to the set when "*" stands for `star` (the largest
    // sequence number or UID in use)?
    [[nodiscard]] bool contains(std::uint32_t n, std::uint32_t star) const;
    friend bool operator==(const SequenceSet&, const SequenceSet&) = default;
};

// "1:3,5,7:*" (each range low to high as written; "*" for 0).
std::string format_sequence_set(const SequenceSet& s);

// A sorted list of numbers as a compact set ("1:3,7") for responses.
std::string format_numbers(const std::vector<std::uint32_t>& sorted);

}  // namespace postino::imap
