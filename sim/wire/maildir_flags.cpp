// maildir_flags.cpp — Maildir info letters ↔ IMAP flags, and the UID list
// file (RFC 3501 §2.3.1.1, §2.3.2). See maildir_flags.hpp.
#include "wire/maildir_flags.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>

namespace postino::wire {
namespace {

struct SystemFlag {
    char letter;
    const char* flag;
};
// The Maildir letters that have an IMAP system flag (RFC 3501 §2.3.2).
constexpr SystemFlag kSystemFlags[] = {
    {'D', "\\Draft"}, {'F', "\\Flagged"}, {'R', "\\Answered"}, {'S', "\\Seen"}, {'T', "\\Deleted"}};

const char* flag_of(char letter) {
    for (const auto& s : kSystemFlags) {
        if (s.letter == letter) return s.flag;
    }
    return nullptr;
}

std::optional<char> letter_of(const std::string& flag) {
    for (const auto& s : kSystemFlags) {
        // System flags are case-insensitive (RFC 3501 §9); the engine sends them capitalized.
        if (flag.size() == std::char_traits<char>::length(s.flag) &&
            std::equal(flag.begin(), flag.end(), s.flag, [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            })) {
            return s.letter;
        }
    }
    return std::nullopt;
}

bool parse_u32(std::string_view s, std::uint32_t& out) {
    if (s.empty() || s.size() > 10) return false;
    std::uint64_t v = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc() || r.ptr != s.data() + s.size() || v > 0xffffffffULL) return false;
    out = static_cast<std::uint32_t>(v);
    return true;
}

}  // namespace

std::string maildir_base(const std::string& file) {
    const auto colon = file.find(':');
    return colon == std::string::npos ? file : file.substr(0, colon);
}

std::string maildir_letters(const std::string& file) {
    const auto info = file.find(":2,");
    return info == std::string::npos ? std::string{} : file.substr(info + 3);
}

std::vector<std::string> flags_from_letters(const std::string& letters, const std::vector<std::string>& keywords) {
    std::set<std::string> out;
    for (char c : letters) {
        if (const char* f = flag_of(c)) {
            out.insert(f);
        } else if (c >= 'a' && c <= 'z') {
            const auto i = static_cast<std::size_t>(c - 'a');
            if (i < keywords.size()) out.insert(keywords[i]);
        }
    }
    return {out.begin(), out.end()};
}

std::optional<std::string> letters_from_flags(const std::vector<std::string>& flags, const std::string& old,
                                              std::vector<std::string>& keywords) {
    std::set<char> letters;
    for (char c : old) {
        if (c >= 'A' && c <= 'Z' && flag_of(c) == nullptr) letters.insert(c);  // P and the like: kept
    }
    for (const auto& f : flags) {
        if (f.empty()) continue;
        if (f[0] == '\\') {
            if (auto l = letter_of(f)) letters.insert(*l);
            continue;  // \Recent is never stored (RFC 3501 §2.3.2)
        }
        auto it = std::find(keywords.begin(), keywords.end(), f);
        if (it == keywords.end()) {
            if (keywords.size() >= kMaxMaildirKeywords) return std::nullopt;
            keywords.push_back(f);
            it = keywords.end() - 1;
        }
        letters.insert(static_cast<char>('a' + (it - keywords.begin())));
    }
    return std::string(letters.begin(), letters.end());  // std::set<char>: ASCII order
}

std::string encode_uid_list(const UidList& l) {
    std::string out = "postino-uidlist 1\nvalidity " + std::to_string(l.validity) + "\nnext " + std::to_string(l.next) + "\n";
    for (std::size_t i = 0; i < l.keywords.size(); ++i) {
        out += "keyword ";
        out += static_cast<char>('a' + i);
        out += ' ';
        out += l.keywords[i];
        out += '\n';
    }
    for (const auto& e : l.entries) {
        out += std::to_string(e.uid);
        out += ' ';
        out += e.base;
        out += '\n';
    }
    return out;
}

Result<UidList> decode_uid_list(const std::string& bytes, const std::string& where) {
    UidList l;
    std::istringstream in(bytes);
    std::string line;
    int n = 0;
    auto bad = [&](const std::string& what) { return Error{what, where + ":" + std::to_string(n)}; };
    bool have_validity = false, have_next = false;
    while (std::getline(in, line)) {
        ++n;
        if (n == 1) {
            if (line != "postino-uidlist 1") return bad("not a postino UID list (expected 'postino-uidlist 1')");
            continue;
        }
        const auto sp = line.find(' ');
        if (sp == std::string::npos) return bad("expected '<key> <value>'");
        const std::string key = line.substr(0, sp), value = line.substr(sp + 1);
        if (key == "validity") {
            if (!parse_u32(value, l.validity) || l.validity == 0) return bad("validity must be a number 1..4294967295");
            have_validity = true;
        } else if (key == "next") {
            if (!parse_u32(value, l.next) || l.next == 0) return bad("next must be a number 1..4294967295");
            have_next = true;
        } else if (key == "keyword") {
            if (value.size() < 3 || value[1] != ' ' || value[0] != static_cast<char>('a' + l.keywords.size()))
                return bad("expected 'keyword <next letter> <keyword>'");
            l.keywords.push_back(value.substr(2));
        } else {
            UidEntry e;
            if (!parse_u32(key, e.uid) || e.uid == 0) return bad("expected '<uid> <name>'");
            if (!l.entries.empty() && e.uid <= l.entries.back().uid) return bad("UIDs must ascend");
            if (e.uid >= l.next) return bad("a UID is not below 'next'");
            e.base = value;
            l.entries.push_back(std::move(e));
        }
    }
    if (n == 0) return bad("empty UID list");
    if (!have_validity || !have_next) return bad("'validity' and 'next' are required");
    return l;
}

}  // namespace postino::wire
