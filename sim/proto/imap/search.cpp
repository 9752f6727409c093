// search.cpp — SEARCH key evaluation (RFC 3501 §6.4.4). See search.hpp.
#include "proto/imap/search.hpp"

#include <algorithm>
#include <cctype>

#include "mail/date.hpp"

namespace postino::imap {

bool contains_icase(std::string_view hay, std::string_view needle) {
    if (needle.empty()) return true;
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != hay.end();
}

namespace {

const ServerFaults kNoFaults{};

const ServerFaults& faults_of(const SearchSubject& m) { return m.faults ? *m.faults : kNoFaults; }

// A string key's match: case-insensitive (§6.4.4), but for the fault search_case_sensitive.
bool matches_text(const SearchSubject& m, std::string_view hay, std::string_view needle) {
    if (faults_of(m).search_case_sensitive) return hay.find(needle) != std::string_view::npos;
    return contains_icase(hay, needle);
}

bool is_flag_key(SearchKey::Kind k) {
    using K = SearchKey::Kind;
    switch (k) {
        case K::Answered: case K::Deleted: case K::Draft: case K::Flagged: case K::Seen:
        case K::Unanswered: case K::Undeleted: case K::Undraft: case K::Unflagged: case K::Unseen:
        case K::Keyword: case K::Unkeyword: return true;
        default: return false;
    }
}

bool has(const SearchSubject& m, std::string_view f) {
    return std::find(m.flags->begin(), m.flags->end(), f) != m.flags->end();
}

std::optional<Day> sent_day(const MessageView& v) {
    const auto d = v.header_value("Date");
    if (d.empty()) return std::nullopt;
    auto dt = mail::parse_date_time(d);
    if (!dt.ok()) return std::nullopt;
    return day_of(dt->unix_seconds, dt->zone_minutes);
}

}  // namespace

bool search_matches(const SearchKey& k, const SearchSubject& m) {
    using K = SearchKey::Kind;
    const ServerFaults& f = faults_of(m);
    if (f.search_flags_match_all && is_flag_key(k.kind)) return true;
    // The fault search_date_with_time: the instant against the day's midnight.
    const std::int64_t midnight = static_cast<std::int64_t>(k.day) * 86400;
    switch (k.kind) {
        case K::All: return true;
        case K::Answered: return has(m, "\\Answered");
        case K::Deleted: return has(m, "\\Deleted");
        case K::Draft: return has(m, "\\Draft");
        case K::Flagged: return has(m, "\\Flagged");
        case K::Seen: return has(m, "\\Seen");
        case K::Recent: return m.recent;
        case K::New: return m.recent && !has(m, "\\Seen");
        case K::Old: return !m.recent;
        case K::Unanswered: return !has(m, "\\Answered");
        case K::Undeleted: return !has(m, "\\Deleted");
        case K::Undraft: return !has(m, "\\Draft");
        case K::Unflagged: return !has(m, "\\Flagged");
        case K::Unseen: return !has(m, "\\Seen");
        case K::Keyword: return has(m, k.text);
        case K::Unkeyword: return !has(m, k.text);
        case K::Bcc: return matches_text(m, m.view()->header_value("Bcc"), k.text);
        case K::Cc: return matches_text(m, m.view()->header_value("Cc"), k.text);
        case K::From: return matches_text(m, m.view()->header_value("From"), k.text);
        case K::To: return matches_text(m, m.view()->header_value("To"), k.text);
        case K::Subject: return matches_text(m, m.view()->header_value("Subject"), k.text);
        case K::Header: {
            const auto* v = m.view();
            for (const auto* hf : v->mime().root.fields.find_all(k.field))
                if (matches_text(m, hf->value(), k.text)) return true;
            return false;
        }
        case K::Body: return matches_text(m, m.view()->body_octets(), k.text);
        case K::Text: return matches_text(m, m.view()->bytes(), k.text);
        case K::Before: return f.search_date_with_time ? m.internal_local < midnight : m.internal_day < k.day;
        case K::On: return f.search_date_with_time ? m.internal_local == midnight : m.internal_day == k.day;
        case K::Since: return f.search_date_with_time ? m.internal_local >= midnight : m.internal_day >= k.day;
        case K::SentBefore: { auto d = sent_day(*m.view()); return d && *d < k.day; }
        case K::SentOn: { auto d = sent_day(*m.view()); return d && *d == k.day; }
        case K::SentSince: { auto d = sent_day(*m.view()); return d && *d >= k.day; }
        case K::Larger: return f.search_size_swapped ? m.size < k.number : m.size > k.number;
        case K::Smaller: return f.search_size_swapped ? m.size > k.number : m.size < k.number;
        case K::Uid: return k.set.contains(m.uid, m.max_uid);
        case K::Sequence: return k.set.contains(m.seq, m.max_seq);
        case K::Not: return !search_matches(k.children.front(), m);
        case K::Or:
            if (f.search_or_as_and) return search_matches(k.children[0], m) && search_matches(k.children[1], m);
            return search_matches(k.children[0], m) || search_matches(k.children[1], m);
        case K::And:
            return std::all_of(k.children.begin(), k.children.end(),
                               [&](const SearchKey& c) { return search_matches(c, m); });
    }
    return false;
}

}  // namespace postino::imap
