// status_code.cpp — RFC 3463 parsing and the table of meanings (§3.1–§3.8).
#include "mail/status_code.hpp"

#include <array>

#include "mail/chars.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

struct Entry {
    int subject;
    int detail;
    std::string_view text;
};

constexpr std::array<Entry, 54> kTable{{
    {0, 0, "Other undefined Status"},
    {1, 0, "Other address status"},
    {1, 1, "Bad destination mailbox address"},
    {1, 2, "Bad destination system address"},
    {1, 3, "Bad destination mailbox address syntax"},
    {1, 4, "Destination mailbox address ambiguous"},
    {1, 5, "Destination address valid"},
    {1, 6, "Destination mailbox has moved, No forwarding address"},
    {1, 7, "Bad sender's mailbox address syntax"},
    {1, 8, "Bad sender's system address"},
    {2, 0, "Other or undefined mailbox status"},
    {2, 1, "Mailbox disabled, not accepting messages"},
    {2, 2, "Mailbox full"},
    {2, 3, "Message length exceeds administrative limit"},
    {2, 4, "Mailing list expansion problem"},
    {3, 0, "Other or undefined mail system status"},
    {3, 1, "Mail system full"},
    {3, 2, "System not accepting network messages"},
    {3, 3, "System not capable of selected features"},
    {3, 4, "Message too big for system"},
    {3, 5, "System incorrectly configured"},
    {4, 0, "Other or undefined network or routing status"},
    {4, 1, "No answer from host"},
    {4, 2, "Bad connection"},
    {4, 3, "Directory server failure"},
    {4, 4, "Unable to route"},
    {4, 5, "Mail system congestion"},
    {4, 6, "Routing loop detected"},
    {4, 7, "Delivery time expired"},
    {5, 0, "Other or undefined protocol status"},
    {5, 1, "Invalid command"},
    {5, 2, "Syntax error"},
    {5, 3, "Too many recipients"},
    {5, 4, "Invalid command arguments"},
    {5, 5, "Wrong protocol version"},
    {5, 6, "Authentication Exchange line is too long"},
    {6, 0, "Other or undefined media error"},
    {6, 1, "Media not supported"},
    {6, 2, "Conversion required and prohibited"},
    {6, 3, "Conversion required but not supported"},
    {6, 4, "Conversion with loss performed"},
    {6, 5, "Conversion Failed"},
    {7, 0, "Other or undefined security status"},
    {7, 1, "Delivery not authorized, message refused"},
    {7, 2, "Mailing list expansion prohibited"},
    {7, 3, "Security conversion required but not possible"},
    {7, 4, "Security features not supported"},
    {7, 5, "Cryptographic failure"},
    {7, 6, "Cryptographic algorithm not supported"},
    {7, 7, "Message integrity failure"},
    {7, 8, "Authentication credentials invalid"},
    {7, 9, "Authentication mechanism is too weak"},
    {7, 10, "Encryption Needed"},
    {7, 11, "Encryption required for requested authentication mechanism"},
}};

constexpr std::array<std::string_view, 8> kSubjects{
    "Other or Undefined Status", "Addressing Status",      "Mailbox Status", "Mail System Status",
    "Network and Routing Status", "Mail Delivery Protocol Status", "Message Content or Media Status",
    "Security or Policy Status"};

const Entry* lookup(int subject, int detail) {
    for (const Entry& e : kTable)
        if (!e.text.empty() && e.subject == subject && e.detail == detail) return &e;
    return nullptr;
}

bool read_number(std::string_view s, std::size_t& i, int& v) {
    const std::size_t start = i;
    v = 0;
    while (i < s.size() && chars::is_digit(s[i]) && i - start < 3) v = v * 10 + (s[i++] - '0');
    if (i == start || (i < s.size() && chars::is_digit(s[i]))) return false;
    return !(i - start > 1 && s[start] == '0');
}

}  // namespace

Result<EnhancedStatus> EnhancedStatus::parse(std::string_view s) {
    EnhancedStatus st;
    std::size_t i = 0;
    auto bad = [&](std::string_view what) -> Result<EnhancedStatus> {
        return make_error(Errc::status_syntax, i, std::string(what) + " (RFC 3463 §2)");
    };
    if (s.empty() || (s[0] != '2' && s[0] != '4' && s[0] != '5')) return bad("the class is 2, 4 or 5");
    st.klass = s[0] - '0';
    i = 1;
    if (i >= s.size() || s[i] != '.') return bad("expected '.' after the class");
    ++i;
    if (!read_number(s, i, st.subject)) return bad("the subject is 1 to 3 digits");
    if (i >= s.size() || s[i] != '.') return bad("expected '.' after the subject");
    ++i;
    if (!read_number(s, i, st.detail)) return bad("the detail is 1 to 3 digits");
    if (i != s.size()) return bad("unexpected text after the code");
    return st;
}

std::string EnhancedStatus::str() const {
    return std::to_string(klass) + "." + std::to_string(subject) + "." + std::to_string(detail);
}

bool EnhancedStatus::known() const { return lookup(subject, detail) != nullptr; }

std::string_view EnhancedStatus::meaning() const {
    if (const Entry* e = lookup(subject, detail)) return e->text;
    if (const Entry* e = lookup(subject, 0)) return e->text;
    return "Other undefined Status";
}

std::string_view EnhancedStatus::class_meaning() const {
    switch (klass) {
        case 2: return "Success";
        case 4: return "Persistent Transient Failure";
        default: return "Permanent Failure";
    }
}

std::string_view EnhancedStatus::subject_meaning() const {
    if (subject >= 0 && subject < static_cast<int>(kSubjects.size())) return kSubjects[static_cast<std::size_t>(subject)];
    return "Undefined";
}

}  // namespace postino::mail
