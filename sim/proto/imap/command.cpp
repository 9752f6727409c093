// command.cpp — the strict IMAP command parser (RFC 3501 §6, §9; RFC 7888
// §3; RFC 2177; RFC 6851; RFC 3691; RFC 2342; RFC 4959). See command.hpp.
#include "proto/imap/command.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "proto/imap/faults.hpp"
#include "proto/imap/limits.hpp"

namespace postino::imap {

namespace {

// Thrown inside this file only; parse_command() turns it into a ParseError.
struct Failure {
    std::size_t offset;
    std::string what;
};

std::string upper(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return r;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
           });
}

constexpr std::array<const char*, 12> kMonths = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

class Cursor {
public:
    Cursor(std::string_view s, const ServerFaults& faults) : s_(s), faults_(&faults) {}
    [[nodiscard]] const ServerFaults& faults() const { return *faults_; }

    [[noreturn]] void fail(std::string what) const { throw Failure{p_, std::move(what)}; }
    [[nodiscard]] bool at_end() const { return p_ >= s_.size(); }
    [[nodiscard]] char peek() const { return at_end() ? '\0' : s_[p_]; }
    [[nodiscard]] std::size_t pos() const { return p_; }

    void expect(char c, const char* what) {
        if (peek() != c || at_end()) fail(std::string("expected ") + what);
        ++p_;
    }
    void sp() { expect(' ', "a space"); }
    bool accept(char c) {
        if (!at_end() && s_[p_] == c) {
            ++p_;
            return true;
        }
        return false;
    }
    void end() {
        if (!at_end()) fail("unexpected text after the command's arguments");
    }

    // 1*ATOM-CHAR, with `extra` characters also allowed.
    std::string_view atom_run(std::string_view extra = {}) {
        const std::size_t b = p_;
        while (!at_end() && (is_atom_char(s_[p_]) || extra.find(s_[p_]) != std::string_view::npos)) ++p_;
        return s_.substr(b, p_ - b);
    }
    std::string atom(const char* what = "an atom") {
        auto a = atom_run();
        if (a.empty()) fail(std::string("expected ") + what);
        return std::string(a);
    }
    // A keyword (letters, digits, '.'), upper-cased: stops at '[' and '<',
    // which are atom characters but end FETCH item names.
    std::string word() {
        const std::size_t b = p_;
        while (!at_end() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '.')) ++p_;
        return upper(s_.substr(b, p_ - b));
    }

    std::uint32_t number(bool nonzero = false) {
        const std::size_t b = p_;
        std::uint64_t v = 0;
        while (!at_end() && std::isdigit(static_cast<unsigned char>(s_[p_]))) {
            v = v * 10 + static_cast<std::uint64_t>(s_[p_] - '0');
            ++p_;
            if (p_ - b > kMaxNumberDigits || v > 0xFFFFFFFFull) {
                p_ = b;
                fail("number larger than 4294967295 (RFC 3501 §9)");
            }
        }
        if (p_ == b) fail(nonzero ? "expected a non-zero number" : "expected a number");
        if (nonzero && v == 0) {
            p_ = b;
            fail("expected a non-zero number");
        }
        return static_cast<std::uint32_t>(v);
    }

    std::string quoted() {
        expect('"', "a quoted string");
        std::string out;
        for (;;) {
            if (at_end()) fail("unterminated quoted string");
            const char c = s_[p_];
            if (c == '"') {
                ++p_;
                return out;
            }
            if (c == '\\') {
                ++p_;
                if (peek() != '"' && peek() != '\\') fail("only \\\" and \\\\ may be escaped in a quoted string (RFC 3501 §9)");
                if (faults_->quoted_escapes_kept) out += '\\';
                out += s_[p_++];
                continue;
            }
            if (c == '\r' || c == '\n' || c == '\0' || static_cast<unsigned char>(c) > 0x7F)
                fail("a quoted string holds only 7-bit characters other than CR, LF and NUL (RFC 3501 §9)");
            out += c;
            ++p_;
        }
    }

    std::string literal() {
        expect('{', "a literal");
        const std::uint32_t n = number();
        if (accept('+') && faults_->literal_plus_refused) fail("non-synchronizing literals are not supported");
        expect('}', "'}' ending the literal length");
        expect('\r', "CRLF after the literal length");
        expect('\n', "CRLF after the literal length");
        if (s_.size() - p_ < n) fail("literal shorter than announced");
        std::string out(s_.substr(p_, n));
        if (out.find('\0') != std::string::npos) fail("a literal may not hold NUL (RFC 3501 §9 CHAR8)");
        p_ += n;
        return out;
    }

    std::string string() {
        if (peek() == '"') return quoted();
        if (peek() == '{') {
            if (faults_->astring_literal_refused) fail("a literal is accepted only as the message of APPEND");
            return literal();
        }
        fail("expected a quoted string or a literal");
    }

    // astring = 1*ASTRING-CHAR / string; ASTRING-CHAR adds ']'.
    std::string astring(const char* what = "a string") {
        if (peek() == '"' || peek() == '{') return string();
        auto a = atom_run("]");
        if (a.empty()) fail(std::string("expected ") + what);
        return std::string(a);
    }

    // list-mailbox = 1*list-char / string; list-char adds '%', '*' and ']'.
    std::string list_mailbox() {
        if (peek() == '"' || peek() == '{') return string();
        auto a = atom_run("%*]");
        if (a.empty()) fail("expected a mailbox pattern");
        return std::string(a);
    }

    // mailbox = "INBOX" / astring; INBOX is case-insensitive (§5.1).
    std::string mailbox() {
        std::string m;
        if (faults_->atom_specials_allowed && peek() != '"' && peek() != '{') {  // the fault: ')' read as part of the atom
            m = atom_run("])");
            if (m.empty()) fail("expected a mailbox name");
        } else {
            m = astring("a mailbox name");
        }
        if (iequals(m, "INBOX")) return "INBOX";
        if (m.size() > kMaxMailboxNameOctets) fail("mailbox name too long");
        return m;
    }

    std::uint32_t seq_number() {
        if (accept('*')) return 0;
        return number(true);
    }
    SequenceSet sequence_set() {
        SequenceSet s;
        do {
            if (s.ranges.size() >= kMaxSequenceRanges) fail("too many ranges in a sequence set");
            SeqRange r;
            r.lo = seq_number();
            r.hi = accept(':') ? seq_number() : r.lo;
            s.ranges.push_back(r);
        } while (accept(','));
        return s;
    }

    // flag = "\" atom / atom (RFC 3501 §9 flag, flag-keyword, flag-extension).
    std::string flag() {
        if (accept('\\')) {
            auto a = atom_run();
            if (a.empty()) fail("expected a flag name after '\\'");
            // The system flags are written in their canonical case.
            static constexpr std::array<const char*, 6> kSystem = {"Answered", "Flagged", "Deleted",
                                                                   "Seen", "Draft", "Recent"};
            for (const char* f : kSystem)
                if (iequals(a, f)) return std::string("\\") + f;
            return "\\" + std::string(a);
        }
        return atom("a flag");
    }
    std::vector<std::string> flag_list() {
        expect('(', "'(' starting a flag list");
        std::vector<std::string> out;
        if (accept(')')) return out;
        for (;;) {
            out.push_back(flag());
            if (accept(')')) return out;
            if (at_end()) fail("expected ')' ending the flag list");
            sp();
        }
    }

    // date-text of SEARCH: date-day "-" date-month "-" date-year, optionally quoted.
    Day date() {
        const bool q = accept('"');
        const auto d = static_cast<int>(number());
        if (d < 1 || d > 31) fail("expected a day of the month");
        expect('-', "'-' in a date");
        const int m = month();
        expect('-', "'-' in a date");
        const std::uint32_t y = four_digits("a four-digit year");
        if (q) expect('"', "'\"' ending the date");
        return days_from_civil(y, m, d);
    }
    int month() {
        if (s_.size() - p_ < 3) fail("expected a month name (Jan … Dec)");
        const auto name = upper(s_.substr(p_, 3));
        for (std::size_t i = 0; i < kMonths.size(); ++i) {
            if (name == kMonths[i]) {
                p_ += 3;
                return static_cast<int>(i) + 1;
            }
        }
        fail("expected a month name (Jan … Dec)");
    }
    std::uint32_t fixed_digits(std::size_t n, const char* what) {
        if (s_.size() - p_ < n) fail(std::string("expected ") + what);
        std::uint32_t v = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const char c = s_[p_ + i];
            if (!std::isdigit(static_cast<unsigned char>(c))) fail(std::string("expected ") + what);
            v = v * 10 + static_cast<std::uint32_t>(c - '0');
        }
        p_ += n;
        return v;
    }
    std::uint32_t four_digits(const char* what) { return fixed_digits(4, what); }

    // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
    DateTimeArg date_time() {
        expect('"', "'\"' starting a date-time");
        int d = 0;
        if (accept(' ')) d = static_cast<int>(fixed_digits(1, "a day of the month"));
        else d = static_cast<int>(fixed_digits(2, "a two-digit day of the month"));
        if (d < 1 || d > 31) fail("day of the month out of range");
        expect('-', "'-' in a date-time");
        const int m = month();
        expect('-', "'-' in a date-time");
        const auto y = static_cast<std::int64_t>(four_digits("a four-digit year"));
        sp();
        const auto hh = fixed_digits(2, "hours");
        expect(':', "':' in a time");
        const auto mm = fixed_digits(2, "minutes");
        expect(':', "':' in a time");
        const auto ss = fixed_digits(2, "seconds");
        if (hh > 23 || mm > 59 || ss > 60) fail("time out of range");
        sp();
        int sign = 0;
        if (accept('+')) sign = 1;
        else if (accept('-')) sign = -1;
        else fail("expected a zone (+hhmm or -hhmm)");
        const auto zh = fixed_digits(2, "zone hours");
        const auto zm = fixed_digits(2, "zone minutes");
        if (zm > 59) fail("zone minutes out of range");
        expect('"', "'\"' ending the date-time");
        DateTimeArg r;
        r.zone_minutes = sign * static_cast<int>(zh * 60 + zm);
        r.unix_seconds = days_from_civil(y, m, d) * 86400 + std::int64_t{hh} * 3600 + std::int64_t{mm} * 60 + ss -
                         std::int64_t{r.zone_minutes} * 60;
        return r;
    }

private:
    std::string_view s_;
    const ServerFaults* faults_;
    std::size_t p_ = 0;
};

// --- FETCH ---

Section parse_section(Cursor& c) {
    Section s;
    c.expect('[', "'['");
    if (c.accept(']')) return s;
    if (std::isdigit(static_cast<unsigned char>(c.peek()))) {
        s.parts.push_back(c.number(true));
        while (c.accept('.')) {
            if (std::isdigit(static_cast<unsigned char>(c.peek()))) {
                s.parts.push_back(c.number(true));
                continue;
            }
            goto text;  // section-part "." section-text
        }
        c.expect(']', "']' ending the section");
        return s;
    }
text:
    {
        const auto k = c.word();
        if (k == "HEADER") s.text = Section::Text::Header;
        else if (k == "HEADER.FIELDS") s.text = Section::Text::HeaderFields;
        else if (k == "HEADER.FIELDS.NOT") s.text = Section::Text::HeaderFieldsNot;
        else if (k == "TEXT") s.text = Section::Text::Text;
        else if (k == "MIME" && !s.parts.empty()) s.text = Section::Text::Mime;
        else c.fail(s.parts.empty() ? "expected HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or a part number"
                                    : "expected HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME");
        if (s.text == Section::Text::HeaderFields || s.text == Section::Text::HeaderFieldsNot) {
            c.sp();
            c.expect('(', "'(' starting a header list");
            for (;;) {
                s.fields.push_back(upper(c.astring("a header field name")));
                if (c.accept(')')) break;
                c.sp();
            }
        }
    }
    c.expect(']', "']' ending the section");
    return s;
}

FetchItem parse_fetch_att(Cursor& c) {
    FetchItem f;
    const auto k = c.word();
    using K = FetchItem::Kind;
    if (k == "FLAGS") f.kind = K::Flags;
    else if (k == "UID") f.kind = K::Uid;
    else if (k == "INTERNALDATE") f.kind = K::InternalDate;
    else if (k == "RFC822.SIZE") f.kind = K::Rfc822Size;
    else if (k == "ENVELOPE") f.kind = K::Envelope;
    else if (k == "BODYSTRUCTURE") f.kind = K::BodyStructure;
    else if (k == "RFC822") f.kind = K::Rfc822;
    else if (k == "RFC822.HEADER") f.kind = K::Rfc822Header;
    else if (k == "RFC822.TEXT") f.kind = K::Rfc822Text;
    else if (k == "BODY" || k == "BODY.PEEK") {
        if (c.peek() != '[') {
            if (k == "BODY.PEEK") c.fail("expected '[' after BODY.PEEK");
            f.kind = K::Body;
            return f;
        }
        f.kind = K::Section;
        f.peek = k == "BODY.PEEK";
        f.section = parse_section(c);
        if (c.accept('<')) {
            Partial p;
            p.offset = c.number();
            c.expect('.', "'.' in a partial range <offset.count>");
            p.count = c.number(true);
            c.expect('>', "'>' ending a partial range");
            f.partial = p;
        }
    } else if (k.empty()) c.fail("expected a FETCH item");
    else c.fail("unknown FETCH item " + k);
    return f;
}

void parse_fetch(Cursor& c, Command& cmd) {
    cmd.set = c.sequence_set();
    c.sp();
    using K = FetchItem::Kind;
    if (c.accept('(')) {
        for (;;) {
            cmd.fetch.push_back(parse_fetch_att(c));
            if (c.accept(')')) break;
            c.sp();
        }
        return;
    }
    Cursor probe = c;
    const auto k = probe.word();
    auto add = [&](K kind) { cmd.fetch.push_back(FetchItem{kind, {}, false, std::nullopt}); };
    // RFC 3501 §6.4.5: the macros.
    if (k == "ALL" || k == "FAST" || k == "FULL") {
        c = probe;
        cmd.macro = k;
        add(K::Flags);
        add(K::InternalDate);
        add(K::Rfc822Size);
        if (k != "FAST" || c.faults().fast_as_all) add(K::Envelope);
        if (k == "FULL") add(c.faults().full_bodystructure ? K::BodyStructure : K::Body);
        return;
    }
    cmd.fetch.push_back(parse_fetch_att(c));
}

// --- SEARCH ---

SearchKey parse_search_key(Cursor& c, std::size_t depth);

void parse_search_keys(Cursor& c, std::vector<SearchKey>& out, std::size_t depth, bool until_paren) {
    for (;;) {
        out.push_back(parse_search_key(c, depth));
        if (until_paren) {
            if (c.accept(')')) return;
            c.sp();
        } else {
            if (c.at_end()) return;
            c.sp();
        }
    }
}

SearchKey parse_search_key(Cursor& c, std::size_t depth) {
    if (depth > kMaxNesting) c.fail("search keys nested too deeply");
    using K = SearchKey::Kind;
    SearchKey k;
    if (c.accept('(')) {
        k.kind = K::And;
        parse_search_keys(c, k.children, depth + 1, true);
        return k;
    }
    if (c.peek() == '*' || std::isdigit(static_cast<unsigned char>(c.peek()))) {
        k.kind = K::Sequence;
        k.set = c.sequence_set();
        return k;
    }
    const auto w = c.word();
    struct Simple {
        const char* name;
        K kind;
    };
    static constexpr std::array<Simple, 14> kSimple = {{
        {"ALL", K::All}, {"ANSWERED", K::Answered}, {"DELETED", K::Deleted}, {"DRAFT", K::Draft},
        {"FLAGGED", K::Flagged}, {"NEW", K::New}, {"OLD", K::Old}, {"RECENT", K::Recent},
        {"SEEN", K::Seen}, {"UNANSWERED", K::Unanswered}, {"UNDELETED", K::Undeleted},
        {"UNDRAFT", K::Undraft}, {"UNFLAGGED", K::Unflagged}, {"UNSEEN", K::Unseen},
    }};
    for (const auto& s : kSimple) {
        if (w == s.name) {
            k.kind = s.kind;
            return k;
        }
    }
    static constexpr std::array<Simple, 7> kText = {{
        {"BCC", K::Bcc}, {"BODY", K::Body}, {"CC", K::Cc}, {"FROM", K::From},
        {"SUBJECT", K::Subject}, {"TEXT", K::Text}, {"TO", K::To},
    }};
    for (const auto& s : kText) {
        if (w == s.name) {
            k.kind = s.kind;
            c.sp();
            k.text = c.astring();
            return k;
        }
    }
    static constexpr std::array<Simple, 6> kDate = {{
        {"BEFORE", K::Before}, {"ON", K::On}, {"SINCE", K::Since},
        {"SENTBEFORE", K::SentBefore}, {"SENTON", K::SentOn}, {"SENTSINCE", K::SentSince},
    }};
    for (const auto& s : kDate) {
        if (w == s.name) {
            k.kind = s.kind;
            c.sp();
            k.day = c.date();
            return k;
        }
    }
    if (w == "KEYWORD" || w == "UNKEYWORD") {
        k.kind = w == "KEYWORD" ? K::Keyword : K::Unkeyword;
        c.sp();
        k.text = c.atom("a keyword");
        return k;
    }
    if (w == "HEADER") {
        k.kind = K::Header;
        c.sp();
        k.field = upper(c.astring("a header field name"));
        c.sp();
        k.text = c.astring();
        return k;
    }
    if (w == "LARGER" || w == "SMALLER") {
        k.kind = w == "LARGER" ? K::Larger : K::Smaller;
        c.sp();
        k.number = c.number();
        return k;
    }
    if (w == "UID") {
        k.kind = K::Uid;
        c.sp();
        k.set = c.sequence_set();
        return k;
    }
    if (w == "NOT") {
        k.kind = K::Not;
        c.sp();
        k.children.push_back(parse_search_key(c, depth + 1));
        return k;
    }
    if (w == "OR") {
        k.kind = K::Or;
        c.sp();
        k.children.push_back(parse_search_key(c, depth + 1));
        c.sp();
        k.children.push_back(parse_search_key(c, depth + 1));
        return k;
    }
    if (w.empty()) c.fail("expected a search key");
    c.fail("unknown search key " + w);
}

void parse_search(Cursor& c, Command& cmd) {
    const auto save = c;
    if (c.word() == "CHARSET") {
        c.sp();
        cmd.charset = upper(c.astring("a charset name"));
        c.sp();
    } else {
        c = save;
    }
    cmd.search.kind = SearchKey::Kind::And;
    parse_search_keys(c, cmd.search.children, 1, false);
}

// --- STORE, STATUS, APPEND ---

void parse_store(Cursor& c, Command& cmd) {
    cmd.set = c.sequence_set();
    c.sp();
    if (c.accept('+')) cmd.store_mode = Command::StoreMode::Add;
    else if (c.accept('-')) cmd.store_mode = Command::StoreMode::Remove;
    const auto item = c.word();
    if (item == "FLAGS.SILENT") cmd.silent = true;
    else if (item != "FLAGS") c.fail("expected FLAGS, +FLAGS or -FLAGS (optionally .SILENT)");
    c.sp();
    if (c.peek() == '(') {
        cmd.flags = c.flag_list();
    } else {
        for (;;) {
            cmd.flags.push_back(c.flag());
            if (c.at_end()) break;
            c.sp();
        }
    }
}

void parse_status(Cursor& c, Command& cmd) {
    cmd.args.push_back(c.mailbox());
    c.sp();
    c.expect('(', "'(' starting the status items");
    for (;;) {
        const auto a = c.word();
        if (a != "MESSAGES" && a != "RECENT" && a != "UIDNEXT" && a != "UIDVALIDITY" && a != "UNSEEN")
            c.fail(a.empty() ? "expected a status item" : "unknown status item " + a);
        cmd.status_items.push_back(a);
        if (c.accept(')')) break;
        c.sp();
    }
}

void parse_append(Cursor& c, Command& cmd) {
    cmd.args.push_back(c.mailbox());
    c.sp();
    if (c.peek() == '(') {
        cmd.flags = c.flag_list();
        c.sp();
    }
    if (c.peek() == '"') {
        cmd.date = c.date_time();
        c.sp();
    }
    if (c.peek() != '{') c.fail("expected the message as a literal");
    cmd.message = c.literal();
}

// One command after "tag SP" (and after "UID SP" when `cmd.uid`).
void parse_body(Cursor& c, Command& cmd) {
    const std::string& n = cmd.name;
    auto no_args = [&] { c.end(); };
    if (n == "CAPABILITY" || n == "NOOP" || n == "LOGOUT" || n == "STARTTLS" || n == "CHECK" || n == "CLOSE" ||
        n == "EXPUNGE" || n == "UNSELECT" || n == "IDLE" || n == "NAMESPACE") {
        if (cmd.uid) c.fail("UID cannot prefix " + n);
        return no_args();
    }
    if (n == "FETCH" || n == "STORE" || n == "COPY" || n == "MOVE" || n == "SEARCH") {
        c.sp();
        if (n == "FETCH") {
            parse_fetch(c, cmd);
        } else if (n == "STORE") {
            parse_store(c, cmd);
        } else if (n == "SEARCH") {
            parse_search(c, cmd);
        } else {
            cmd.set = c.sequence_set();
            c.sp();
            cmd.args.push_back(c.mailbox());
        }
        return c.end();
    }
    if (cmd.uid) c.fail("UID cannot prefix " + n + " (only COPY, FETCH, MOVE, SEARCH, STORE)");
    if (n == "LOGIN") {
        c.sp();
        cmd.args.push_back(c.astring("a user name"));
        c.sp();
        cmd.args.push_back(c.astring("a password"));
        return c.end();
    }
    if (n == "AUTHENTICATE") {
        c.sp();
        cmd.args.push_back(upper(c.atom("a SASL mechanism name")));
        if (c.accept(' ')) {
            // RFC 4959: base64 or "=" for an empty initial response.
            auto r = c.atom_run("=+/");
            if (r.empty()) c.fail("expected a base64 initial response or '='");
            cmd.initial_response = std::string(r);
        }
        return c.end();
    }
    if (n == "SELECT" || n == "EXAMINE" || n == "CREATE" || n == "DELETE" || n == "SUBSCRIBE" || n == "UNSUBSCRIBE") {
        c.sp();
        cmd.args.push_back(c.mailbox());
        return c.end();
    }
    if (n == "RENAME") {
        c.sp();
        cmd.args.push_back(c.mailbox());
        c.sp();
        cmd.args.push_back(c.mailbox());
        return c.end();
    }
    if (n == "LIST" || n == "LSUB") {
        c.sp();
        cmd.args.push_back(c.mailbox());
        c.sp();
        cmd.args.push_back(c.list_mailbox());
        return c.end();
    }
    if (n == "STATUS") {
        c.sp();
        parse_status(c, cmd);
        return c.end();
    }
    if (n == "APPEND") {
        c.sp();
        parse_append(c, cmd);
        return c.end();
    }
    throw Failure{0, "__unknown"};
}

}  // namespace

bool is_atom_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x1F || u >= 0x7F) return false;  // CTL and 8-bit (CHAR is 7-bit)
    switch (c) {
        case '(': case ')': case '{': case ' ': case '%': case '*': case '"': case '\\': case ']':
            return false;
        default:
            return true;
    }
}

Day days_from_civil(std::int64_t y, int m, int d) {
    // Howard Hinnant's days_from_civil algorithm (public-domain arithmetic).
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t mp = (m + 9) % 12;
    const std::int64_t doy = (153 * mp + 2) / 5 + d - 1;
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

std::string quote_string(std::string_view s) {
    bool literal = false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r' || c == '\n' || c == '\0' || u > 0x7F) literal = true;
    }
    if (literal) return "{" + std::to_string(s.size()) + "}\r\n" + std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string quote_astring(std::string_view s) {
    if (!s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return is_atom_char(c) || c == ']'; }) &&
        !iequals(s, "NIL"))
        return std::string(s);
    return quote_string(s);
}

std::string nstring(const std::optional<std::string>& s) { return s ? quote_string(*s) : "NIL"; }

std::string format_section(const Section& s) {
    std::string out;
    for (std::size_t i = 0; i < s.parts.size(); ++i) {
        if (i) out += '.';
        out += std::to_string(s.parts[i]);
    }
    const char* t = nullptr;
    switch (s.text) {
        case Section::Text::All: break;
        case Section::Text::Header: t = "HEADER"; break;
        case Section::Text::HeaderFields: t = "HEADER.FIELDS"; break;
        case Section::Text::HeaderFieldsNot: t = "HEADER.FIELDS.NOT"; break;
        case Section::Text::Text: t = "TEXT"; break;
        case Section::Text::Mime: t = "MIME"; break;
    }
    if (t) {
        if (!out.empty()) out += '.';
        out += t;
    }
    if (!s.fields.empty()) {
        out += " (";
        for (std::size_t i = 0; i < s.fields.size(); ++i) {
            if (i) out += ' ';
            out += quote_astring(s.fields[i]);
        }
        out += ')';
    }
    return out;
}

ParseOutcome parse_command(std::string_view framed, const ServerFaults* faults) {
    static const ServerFaults kNone;
    ParseOutcome out;
    Cursor c(framed, faults != nullptr ? *faults : kNone);
    // tag = 1*<any ASTRING-CHAR except "+">
    const std::size_t tag_end = framed.find(' ');
    const std::string_view tag = framed.substr(0, tag_end);
    const bool tag_ok = !tag.empty() && tag.size() <= kMaxTagOctets &&
                        std::all_of(tag.begin(), tag.end(), [](char ch) { return (is_atom_char(ch) || ch == ']') && ch != '+'; });
    if (!tag_ok) {
        out.error.kind = ParseError::Kind::BadTag;
        out.error.what = tag.empty() ? "a command starts with a tag (RFC 3501 §2.2.1)" : "invalid tag (RFC 3501 §9)";
        return out;
    }
    Command cmd;
    cmd.tag = std::string(tag);
    out.error.tag = cmd.tag;
    try {
        while (c.pos() < tag.size()) c.accept(c.peek());
        c.sp();
        std::string name = upper(c.atom_run());
        if (name == "UID") {
            cmd.uid = true;
            c.sp();
            name = upper(c.atom_run());
        }
        cmd.name = name;
        out.error.name = name;
        if (name.empty()) c.fail("expected a command name");
        try {
            parse_body(c, cmd);
        } catch (const Failure& f) {
            if (f.what != "__unknown") throw;
            out.error.kind = ParseError::Kind::UnknownCommand;
            out.error.offset = tag.size() + 1;
            out.error.what = "unknown command " + name;
            return out;
        }
    } catch (const Failure& f) {
        out.error.kind = ParseError::Kind::BadSyntax;
        out.error.offset = f.offset;
        out.error.what = f.what;
        return out;
    }
    out.command = std::move(cmd);
    return out;
}

}  // namespace postino::imap
