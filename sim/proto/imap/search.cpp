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
        case K::Bcc: return contains_icase(m.view()->header_value("Bcc"), k.text);
        case K::Cc: return contains_icase(m.view()->header_value("Cc"), k.text);
        case K::From: return contains_icase(m.view()->header_value("From"), k.text);
        case K::To: return contains_icase(m.view()->header_value("To"), k.text);
        case K::Subject: return contains_icase(m.view()->header_value("Subject"), k.text);
        case K::Header: {
            const auto* v = m.view();
            for (const auto* f : v->mime().root.fields.find_all(k.field))
                if (contains_icase(f->value(), k.text)) return true;
            return false;
        }
        case K::Body: return contains_icase(m.view()->body_octets(), k.text);
        case K::Text: return contains_icase(m.view()->bytes(), k.text);
        case K::Before: return m.internal_day < k.day;
        case K::On: return m.internal_day == k.day;
        case K::Since: return m.internal_day >= k.day;
        case K::SentBefore: { auto d = sent_day(*m.view()); return d && *d < k.day; }
        case K::SentOn: { auto d = sent_day(*m.view()); return d && *d == k.day; }
        case K::SentSince: { auto d = sent_day(*m.view()); return d && *d >= k.day; }
        case K::Larger: return m.size > k.number;
        case K::Smaller: return m.size < k.number;
        case K::Uid: return k.set.contains(m.uid, m.max_uid);
        case K::Sequence: return k.set.contains(m.seq, m.max_seq);
        case K::Not: return !search_matches(k.children.front(), m);
        case K::Or: return search_matches(k.children[0], m) || search_matches(k.children[1], m);
        case K::And:
            return std::all_of(k.children.begin(), k.children.end(),
                               [&](const SearchKey& c) { return search_matches(c, m); });
    }
    return false;
}

}  // namespace postino::imap
