// address.cpp — a strict recursive-descent parser for RFC 5322 §3.4
// addresses, with the RFC 5321 domain and size rules applied on top.
#include "mail/address.hpp"

#include <optional>

#include "mail/charset.hpp"
#include "mail/chars.hpp"
#include "mail/encoded_word.hpp"
#include "mail/error.hpp"

namespace postino::mail {
namespace {

bool is_ldh_domain(std::string_view d) {
    if (d.empty()) return false;
    std::size_t start = 0;
    while (start <= d.size()) {
        std::size_t dot = d.find('.', start);
        if (dot == std::string_view::npos) dot = d.size();
        const std::string_view label = d.substr(start, dot - start);
        if (label.empty()) return false;
        for (char c : label)
            if (!chars::is(c, chars::kLdh)) return false;
        if (label.front() == '-' || label.back() == '-') return false;
        start = dot + 1;
    }
    return true;
}

bool is_ipv4(std::string_view s) {
    int parts = 0;
    std::size_t i = 0;
    while (true) {
        std::size_t j = i;
        int v = 0;
        while (j < s.size() && chars::is_digit(s[j]) && j - i < 3) v = v * 10 + (s[j++] - '0');
        if (j == i || v > 255 || (j - i > 1 && s[i] == '0')) return false;
        ++parts;
        if (j == s.size()) return parts == 4;
        if (s[j] != '.' || parts == 4) return false;
        i = j + 1;
    }
}

// RFC 5321 §4.1.3 address literal: IPv4, "IPv6:" ..., or "tag:content".
bool is_address_literal(std::string_view lit) {
    if (lit.size() < 2 || lit.front() != '[' || lit.back() != ']') return false;
    const std::string_view in = lit.substr(1, lit.size() - 2);
    if (is_ipv4(in)) return true;
    const std::size_t colon = in.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    const std::string_view tag = in.substr(0, colon);
    const std::string_view rest = in.substr(colon + 1);
    if (rest.empty()) return false;
    if (chars::iequals(tag, "IPv6")) {
        std::size_t colons = 0;
        for (char c : rest) {
            if (c == ':') ++colons;
            else if (!chars::is(c, chars::kHex) && c != '.') return false;
        }
        return colons >= 2 && colons <= 7;
    }
    for (char c : tag)
        if (!chars::is(c, chars::kLdh)) return false;
    for (char c : rest)
        if (!chars::is(c, chars::kDtext)) return false;
    return true;
}

Status check_domain(std::string_view d, std::size_t at, Leniencies allow) {
    if (d.size() > kMaxDomainOctets)
        return make_error(Errc::domain_too_long, at, "domain longer than 255 octets (RFC 5321 §4.5.3.1.2)");
    if (!d.empty() && d.front() == '[') {
        if (!is_address_literal(d))
            return make_error(Errc::address_syntax, at, "malformed address literal (RFC 5321 §4.1.3)");
        return {};
    }
    std::size_t start = 0;
    while (start <= d.size()) {
        std::size_t dot = d.find('.', start);
        if (dot == std::string_view::npos) dot = d.size();
        if (dot - start > kMaxLabelOctets)
            return make_error(Errc::label_too_long, at + start, "domain label longer than 63 octets (RFC 1035 §2.3.4)");
        start = dot + 1;
    }
    if (!is_ldh_domain(d) && !allow.has(Leniency::rfc5322_domain))
        return make_error(Errc::address_syntax, at,
                          "a domain is letters, digits and hyphens in dot-separated labels (RFC 5321 §4.1.2)");
    return {};
}

Status check_sizes(const Mailbox& m, std::size_t at) {
    if (m.local.size() > kMaxLocalPartOctets)
        return make_error(Errc::local_part_too_long, at, "local part longer than 64 octets (RFC 5321 §4.5.3.1.1)");
    if (m.local.size() + 1 + m.domain.size() > kMaxAddrSpecOctets)
        return make_error(Errc::path_too_long, at, "address longer than a 256-octet path allows (RFC 5321 §4.5.3.1.3)");
    return {};
}

struct Word {
    std::string text;  // atom as written, or quoted-string content unescaped
    bool quoted = false;
};

class Parser {
public:
    Parser(std::string_view s, Leniencies allow) : s_(s), allow_(allow) {}

    // CFWS: whitespace and (nested) comments. Returns whether any was skipped.
    Result<bool> cfws() {
        const std::size_t start = i_;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (chars::is_wsp(c) || c == '\r' || c == '\n') {
                ++i_;
            } else if (c == '(') {
                if (Status st = comment(); !st.ok()) return st.error();
            } else {
                break;
            }
        }
        return i_ != start;
    }

    Status comment() {
        const std::size_t open = i_;
        std::size_t depth = 0;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == '(') {
                if (++depth > kMaxCommentDepth)
                    return make_error(Errc::comment_too_deep, i_, "comments nested too deep (Postino bound)");
            } else if (c == ')') {
                if (--depth == 0) {
                    ++i_;
                    return {};
                }
            } else if (c == '\\') {
                ++i_;
                if (i_ >= s_.size()) break;
            }
            ++i_;
        }
        return make_error(Errc::unterminated_comment, open, "comment without its ')' (RFC 5322 §3.2.2)");
    }

    Result<std::string> quoted_string(bool keep_quotes) {
        const std::size_t open = i_;
        std::string out;
        if (keep_quotes) out.push_back('"');
        ++i_;
        while (i_ < s_.size()) {
            const char c = s_[i_];
            if (c == '"') {
                ++i_;
                if (keep_quotes) out.push_back('"');
                return out;
            }
            if (c == '\\') {
                if (i_ + 1 >= s_.size()) break;
                const char q = s_[i_ + 1];
                if (!chars::is(q, chars::kVchar) && !chars::is_wsp(q))
                    return make_error(Errc::address_syntax, i_, "bad quoted-pair (RFC 5322 §3.2.1)");
                if (keep_quotes) out.push_back('\\');
                out.push_back(q);
                i_ += 2;
                continue;
            }
            if (!chars::is(c, chars::kQtext) && !chars::is_wsp(c)) {
                if (!(chars::is_8bit(c) && allow_.has(Leniency::eight_bit_headers)))
                    return make_error(Errc::address_syntax, i_, "character not allowed in a quoted string (RFC 5322 §3.2.4)");
            }
            out.push_back(c);
            ++i_;
        }
        return make_error(Errc::unterminated_quote, open, "quoted string without its closing '\"' (RFC 5322 §3.2.4)");
    }

    std::string_view atom_text() {
        const std::size_t start = i_;
        while (i_ < s_.size() && (chars::is(s_[i_], chars::kAtext) ||
                                  (chars::is_8bit(s_[i_]) && allow_.has(Leniency::eight_bit_headers))))
            ++i_;
        return s_.substr(start, i_ - start);
    }

    // addr-spec at i_ (after any CFWS): local "@" domain. Leaves i_ after it.
    Result<Mailbox> addr_spec() {
        const std::size_t start = i_;
        Mailbox m;
        const bool obs = allow_.has(Leniency::obs_address);
        // local-part: dot-atom or quoted-string (obs: words joined by dots)
        while (true) {
            if (i_ < s_.size() && s_[i_] == '"') {
                auto q = quoted_string(true);
                if (!q.ok()) return q.error();
                if (!m.local.empty() && !obs)
                    return make_error(Errc::address_syntax, i_, "a quoted local part stands alone (RFC 5322 §3.4.1)");
                m.local += *q;
            } else {
                const std::string_view a = atom_text();
                if (a.empty())
                    return make_error(Errc::address_syntax, i_, "expected a local part (RFC 5322 §3.4.1)");
                m.local += a;
            }
            if (obs) {
                auto w = cfws();
                if (!w.ok()) return w.error();
            }
            if (i_ < s_.size() && s_[i_] == '.') {
                if (!m.local.empty() && m.local.front() == '"' && !obs)
                    return make_error(Errc::address_syntax, i_, "a quoted local part stands alone (RFC 5322 §3.4.1)");
                m.local.push_back('.');
                ++i_;
                if (obs) {
                    auto w = cfws();
                    if (!w.ok()) return w.error();
                }
                continue;
            }
            break;
        }
        if (auto w = cfws(); !w.ok()) return w.error();
        if (i_ >= s_.size() || s_[i_] != '@')
            return make_error(Errc::address_syntax, i_, "expected '@' after the local part (RFC 5322 §3.4.1)");
        ++i_;
        if (auto w = cfws(); !w.ok()) return w.error();
        const std::size_t dom_at = i_;
        if (i_ < s_.size() && s_[i_] == '[') {
            const std::size_t open = i_;
            ++i_;
            while (i_ < s_.size() && s_[i_] != ']') {
                if (!chars::is(s_[i_], chars::kDtext) && !chars::is_wsp(s_[i_]))
                    return make_error(Errc::address_syntax, i_, "character not allowed in a domain literal (RFC 5322 §3.4.1)");
                ++i_;
            }
            if (i_ >= s_.size())
                return make_error(Errc::address_syntax, open, "domain literal without its ']' (RFC 5322 §3.4.1)");
            ++i_;
            m.domain = std::string(s_.substr(open, i_ - open));
        } else {
            while (true) {
                const std::string_view a = atom_text();
                if (a.empty()) return make_error(Errc::address_syntax, i_, "expected a domain (RFC 5322 §3.4.1)");
                m.domain += a;
                if (obs) {
                    auto w = cfws();
                    if (!w.ok()) return w.error();
                }
                if (i_ < s_.size() && s_[i_] == '.') {
                    m.domain.push_back('.');
                    ++i_;
                    if (obs) {
                        auto w = cfws();
                        if (!w.ok()) return w.error();
                    }
                    continue;
                }
                break;
            }
        }
        if (m.local.empty()) return make_error(Errc::address_syntax, start, "empty local part (RFC 5322 §3.4.1)");
        if (Status st = check_domain(m.domain, dom_at, allow_); !st.ok()) return st.error();
        if (Status st = check_sizes(m, start); !st.ok()) return st.error();
        if (auto w = cfws(); !w.ok()) return w.error();
        return m;
    }

    // phrase: 1*word (obs-phrase also allows '.' after the first word).
    Result<std::vector<Word>> phrase() {
        std::vector<Word> words;
        while (true) {
            if (auto w = cfws(); !w.ok()) return w.error();
            if (i_ >= s_.size()) break;
            if (s_[i_] == '"') {
                auto q = quoted_string(false);
                if (!q.ok()) return q.error();
                words.push_back({std::move(*q), true});
                continue;
            }
            if (s_[i_] == '.' && !words.empty() && allow_.has(Leniency::obs_address)) {
                words.push_back({".", false});
                ++i_;
                continue;
            }
            const std::string_view a = atom_text();
            if (a.empty()) break;
            words.push_back({std::string(a), false});
        }
        return words;
    }

    static std::string display_name(const std::vector<Word>& words) {
        std::string out;
        bool prev_encoded = false;
        for (std::size_t k = 0; k < words.size(); ++k) {
            const Word& w = words[k];
            std::optional<std::string> decoded;
            if (!w.quoted && w.text.size() > 2 && w.text[0] == '=' && w.text[1] == '?') {
                if (auto ew = parse_encoded_word(w.text)) {
                    if (auto cs = charset_from_name(ew->charset)) decoded = to_utf8(ew->bytes, *cs).text;
                }
            }
            const bool glue = w.text == "." && !w.quoted;
            if (k > 0 && !(decoded && prev_encoded) && !glue) out.push_back(' ');
            // Display names are UTF-8: raw 8-bit octets (RFC 6532 leniency)
            // that are not valid UTF-8 become U+FFFD.
            out += decoded ? *decoded : is_valid_utf8(w.text) ? w.text : to_utf8(w.text, Charset::utf8).text;
            prev_encoded = decoded.has_value();
        }
        return out;
    }

    // mailbox: name-addr / addr-spec.
    Result<NamedMailbox> mailbox() {
        if (auto w = cfws(); !w.ok()) return w.error();
        const std::size_t start = i_;
        // Try addr-spec first. Without a '<' ahead it can only be an
        // addr-spec, so its error is the one to report.
        {
            auto m = addr_spec();
            const bool angle_ahead = s_.find('<', start) != std::string_view::npos;
            if (m.ok() && (i_ == s_.size() || s_[i_] == ',' || s_[i_] == ';'))
                return NamedMailbox{"", std::move(*m)};
            if (!angle_ahead) {
                if (!m.ok()) return m.error();
                return make_error(Errc::address_syntax, i_, "unexpected text after the address (RFC 5322 §3.4)");
            }
        }
        i_ = start;
        auto words = phrase();
        if (!words.ok()) return words.error();
        if (i_ >= s_.size() || s_[i_] != '<') {
            if (i_ < s_.size() && s_[i_] == '@')
                return make_error(Errc::address_syntax, i_, "display name words are not a local part (RFC 5322 §3.4)");
            return make_error(Errc::address_syntax, i_, "expected an address: local@domain or Name <local@domain> (RFC 5322 §3.4)");
        }
        const std::size_t open = i_;
        ++i_;
        if (auto w = cfws(); !w.ok()) return w.error();
        auto m = addr_spec();
        if (!m.ok()) return m.error();
        if (i_ >= s_.size() || s_[i_] != '>')
            return make_error(Errc::address_syntax, i_ >= s_.size() ? open : i_, "expected '>' to close the address (RFC 5322 §3.4)");
        ++i_;
        if (auto w = cfws(); !w.ok()) return w.error();
        return NamedMailbox{display_name(*words), std::move(*m)};
    }

    // address: group / mailbox.
    Result<Address> address() {
        if (auto w = cfws(); !w.ok()) return w.error();
        const std::size_t after_ws = i_;
        auto words = phrase();
        if (words.ok() && !words->empty() && i_ < s_.size() && s_[i_] == ':') {
            Group g;
            g.display_name = display_name(*words);
            ++i_;
            if (auto w = cfws(); !w.ok()) return w.error();
            if (i_ < s_.size() && s_[i_] != ';') {
                while (true) {
                    auto m = mailbox();
                    if (!m.ok()) return m.error();
                    g.members.push_back(std::move(*m));
                    if (i_ < s_.size() && s_[i_] == ',') {
                        ++i_;
                        continue;
                    }
                    break;
                }
            }
            if (i_ >= s_.size() || s_[i_] != ';')
                return make_error(Errc::address_syntax, i_, "a group ends with ';' (RFC 5322 §3.4)");
            ++i_;
            if (auto w = cfws(); !w.ok()) return w.error();
            return Address{std::move(g)};
        }
        i_ = after_ws;
        auto m = mailbox();
        if (!m.ok()) return m.error();
        return Address{std::move(*m)};
    }

    template <typename T, typename F>
    Result<std::vector<T>> list(F&& one) {
        std::vector<T> out;
        while (true) {
            auto v = one();
            if (!v.ok()) return v.error();
            out.push_back(std::move(*v));
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            break;
        }
        if (i_ != s_.size()) return make_error(Errc::address_syntax, i_, "unexpected text after the address (RFC 5322 §3.4)");
        return out;
    }

    Status at_end() {
        if (i_ != s_.size()) return make_error(Errc::address_syntax, i_, "unexpected text after the address (RFC 5322 §3.4)");
        return {};
    }

    std::size_t i_ = 0;

private:
    std::string_view s_;
    Leniencies allow_;
};

}  // namespace

Result<Mailbox> parse_addr_spec(std::string_view text, Leniencies allow) {
    Parser p(text, allow);
    if (auto w = p.cfws(); !w.ok()) return w.error();
    auto m = p.addr_spec();
    if (!m.ok()) return m.error();
    if (Status s = p.at_end(); !s.ok()) return s.error();
    return m;
}

Result<NamedMailbox> parse_mailbox(std::string_view text, Leniencies allow) {
    Parser p(text, allow);
    auto m = p.mailbox();
    if (!m.ok()) return m.error();
    if (Status s = p.at_end(); !s.ok()) return s.error();
    return m;
}

Result<std::vector<NamedMailbox>> parse_mailbox_list(std::string_view text, Leniencies allow) {
    Parser p(text, allow);
    return p.list<NamedMailbox>([&] { return p.mailbox(); });
}

Result<std::vector<Address>> parse_address_list(std::string_view text, Leniencies allow) {
    Parser p(text, allow);
    return p.list<Address>([&] { return p.address(); });
}

Status validate_mailbox(const Mailbox& m, Leniencies allow) {
    auto r = parse_addr_spec(m.str(), allow);
    if (!r.ok()) return r.error();
    if (!(r->local == m.local && r->domain == m.domain))
        return make_error(Errc::address_syntax, 0, "not a single addr-spec (RFC 5322 §3.4.1)");
    return {};
}

std::string format_mailbox(const NamedMailbox& m) {
    if (m.display_name.empty()) return m.address.str();
    return encode_phrase(m.display_name) + " <" + m.address.str() + ">";
}

std::string format_address(const Address& a) {
    if (const auto* m = std::get_if<NamedMailbox>(&a)) return format_mailbox(*m);
    const auto& g = std::get<Group>(a);
    std::string out = encode_phrase(g.display_name) + ":";
    for (std::size_t i = 0; i < g.members.size(); ++i) {
        out += i == 0 ? " " : ", ";
        out += format_mailbox(g.members[i]);
    }
    out += ";";
    return out;
}

std::string format_address_list(const std::vector<Address>& list) {
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i > 0) out += ", ";
        out += format_address(list[i]);
    }
    return out;
}

std::string unquote_local_part(std::string_view local) {
    if (local.size() < 2 || local.front() != '"' || local.back() != '"') return std::string(local);
    std::string out;
    for (std::size_t i = 1; i + 1 < local.size(); ++i) {
        if (local[i] == '\\' && i + 2 < local.size()) ++i;
        out.push_back(local[i]);
    }
    return out;
}

}  // namespace postino::mail
