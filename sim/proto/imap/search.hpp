// search.hpp — evaluating SEARCH keys against one message.
//
// RFC 3501 §6.4.4: flag keys, sequence and UID sets, header substrings
// (FROM, TO, CC, BCC, SUBJECT, HEADER), BODY and TEXT substrings
// (case-insensitive ASCII), BEFORE/ON/SINCE on the internal date and
// SENTBEFORE/SENTON/SENTSINCE on the Date field (dates only, the time and
// zone disregarded), LARGER/SMALLER, NOT, OR, and lists (AND).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "proto/imap/command.hpp"
#include "proto/imap/faults.hpp"
#include "proto/imap/message_view.hpp"

namespace postino::imap {

struct SearchSubject {
    std::uint32_t seq = 0;
    std::uint32_t uid = 0;
    std::uint32_t max_seq = 0;  // "*" for sequence sets
    std::uint32_t max_uid = 0;  // "*" for UID sets
    const std::vector<std::string>* flags = nullptr;
    bool recent = false;
    std::uint64_t size = 0;
    Day internal_day = 0;
    // The internal date in local seconds since 1970 (for the fault search_date_with_time).
    std::int64_t internal_local = 0;
    // The SEARCH defects of faults.hpp (search_*), or none.
    const ServerFaults* faults = nullptr;
    // The message, parsed only when a key needs its contents.
    std::function<const MessageView*()> view;
};

bool search_matches(const SearchKey& k, const SearchSubject& m);

// Case-insensitive (ASCII) substring search.
bool contains_icase(std::string_view hay, std::string_view needle);

}  // namespace postino::imap
