// encoded_word.cpp — RFC 2047 encoded-word decoding and encoding.
#include "mail/encoded_word.hpp"

#include <vector>

#include "mail/base64.hpp"
#include "mail/charset.hpp"
#include "mail/chars.hpp"

namespace postino::mail {
namespace {

// RFC 2047 §2: charset and encoding are tokens without especials.
bool is_ew_token_char(char c) {
    return chars::is(c, chars::kVchar) && std::string_view("()<>@,;:\"/[]?.=").find(c) == std::string_view::npos;
}

// §5 (3): the characters a Q-encoded word in a phrase may carry literally.
bool is_phrase_safe(char c) {
    return chars::is_alpha(c) || chars::is_digit(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

std::optional<std::string> q_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '_') {
            out.push_back(' ');
        } else if (c == '=') {
            if (i + 2 >= s.size()) return std::nullopt;
            const int hi = chars::hex_value(s[i + 1]);
            const int lo = chars::hex_value(s[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::size_t q_length(std::string_view bytes) {
    std::size_t n = 0;
    for (char c : bytes) n += (is_phrase_safe(c) || c == ' ') ? 1 : 3;
    return n;
}

void q_append(std::string_view bytes, std::string& out) {
    for (char c : bytes) {
        if (c == ' ') {
            out.push_back('_');
        } else if (is_phrase_safe(c)) {
            out.push_back(c);
        } else {
            const auto u = static_cast<unsigned char>(c);
            out.push_back('=');
            out.push_back(chars::kHexUpper[u >> 4]);
            out.push_back(chars::kHexUpper[u & 15]);
        }
    }
}

bool is_plain_word(std::string_view w) {
    if (w.find("=?") != std::string_view::npos) return false;
    for (char c : w)
        if (!chars::is(c, chars::kVchar)) return false;
    return true;
}

}  // namespace

std::optional<EncodedWord> parse_encoded_word(std::string_view t) {
    if (t.size() < 8 || t.substr(0, 2) != "=?" || t.substr(t.size() - 2) != "?=") return std::nullopt;
    const std::string_view inner = t.substr(2, t.size() - 4);
    const std::size_t q1 = inner.find('?');
    if (q1 == std::string_view::npos || q1 == 0) return std::nullopt;
    if (q1 + 3 >= inner.size() || inner[q1 + 2] != '?') return std::nullopt;
    std::string_view cs = inner.substr(0, q1);
    const char enc = chars::lower(inner[q1 + 1]) == 'b' ? 'B' : chars::lower(inner[q1 + 1]) == 'q' ? 'Q' : 0;
    if (enc == 0) return std::nullopt;
    const std::string_view text = inner.substr(q1 + 3);
    for (char c : cs)
        if (!is_ew_token_char(c)) return std::nullopt;
    for (char c : text)
        if (!chars::is(c, chars::kVchar) || c == '?') return std::nullopt;
    EncodedWord w;
    if (const std::size_t star = cs.find('*'); star != std::string_view::npos) {
        w.language = std::string(cs.substr(star + 1));
        cs = cs.substr(0, star);
    }
    w.charset = std::string(cs);
    w.encoding = enc;
    if (enc == 'B') {
        auto r = base64_decode_strict(text, true);
        if (!r.ok()) return std::nullopt;
        w.bytes = std::move(*r);
    } else {
        auto r = q_decode(text);
        if (!r) return std::nullopt;
        w.bytes = std::move(*r);
    }
    return w;
}

DecodedText decode_unstructured(std::string_view text) {
    DecodedText out;
    // Octets of a run of adjacent encoded words in one charset, converted
    // together so a character split across two words still decodes.
    // (A plain flag, not std::optional: GCC 12 warns falsely about the latter.)
    std::string run_bytes;
    Charset run_charset = Charset::us_ascii;
    bool in_run = false;
    auto flush = [&] {
        if (!in_run) return;
        Utf8Text u = to_utf8(run_bytes, run_charset);
        out.text += u.text;
        out.replaced = out.replaced || u.replaced;
        run_bytes.clear();
        in_run = false;
    };
    std::string_view pending_ws;  // whitespace after an encoded word, dropped if another follows
    bool last_was_encoded = false;
    std::size_t i = 0;
    while (i < text.size()) {
        std::size_t j = i;
        if (chars::is_wsp(text[i])) {
            while (j < text.size() && chars::is_wsp(text[j])) ++j;
            if (last_was_encoded) {
                pending_ws = text.substr(i, j - i);
            } else {
                out.text.append(text.substr(i, j - i));
            }
            i = j;
            continue;
        }
        while (j < text.size() && !chars::is_wsp(text[j])) ++j;
        const std::string_view token = text.substr(i, j - i);
        i = j;
        std::optional<EncodedWord> w;
        std::optional<Charset> cs;
        if (token.size() >= 2 && token[0] == '=' && token[1] == '?') {
            w = parse_encoded_word(token);
            if (w) cs = charset_from_name(w->charset);
            if (!w || !cs) ++out.kept_words;
        }
        if (w && cs) {
            ++out.decoded_words;
            if (!last_was_encoded || !in_run || run_charset != *cs) {
                flush();
                run_charset = *cs;
                in_run = true;
            }
            run_bytes += w->bytes;
            pending_ws = {};
            last_was_encoded = true;
            continue;
        }
        flush();
        out.text.append(pending_ws);
        pending_ws = {};
        out.text.append(token);
        last_was_encoded = false;
    }
    flush();
    out.text.append(pending_ws);
    return out;
}

std::string encode_words(std::string_view utf8) {
    const bool use_q = q_length(utf8) <= (utf8.size() + 2) / 3 * 4;
    constexpr std::string_view kPrefixQ = "=?UTF-8?Q?";
    constexpr std::string_view kPrefixB = "=?UTF-8?B?";
    constexpr std::size_t kRoom = kMaxEncodedWordChars - kPrefixQ.size() - 2;
    std::string out;
    std::size_t i = 0;
    while (i < utf8.size()) {
        // Take whole characters while the encoded text still fits one word.
        std::size_t j = i;
        std::size_t len = 0;
        while (j < utf8.size()) {
            const std::size_t n = utf8_sequence_length(utf8, j);
            const std::string_view ch = utf8.substr(j, n);
            const std::size_t add = use_q ? q_length(ch) : 0;
            const std::size_t next = use_q ? len + add : (j + n - i + 2) / 3 * 4;
            if (next > kRoom && j > i) break;
            len = next;
            j += n;
        }
        if (!out.empty()) out.push_back(' ');
        out += use_q ? kPrefixQ : kPrefixB;
        const std::string_view piece = utf8.substr(i, j - i);
        if (use_q) {
            q_append(piece, out);
        } else {
            base64_encode_to(piece, Base64Lines::none, out);
        }
        out += "?=";
        i = j;
    }
    return out;
}

std::string encode_unstructured(std::string_view utf8) {
    struct Tok {
        std::string_view text;
        bool ws;
        bool plain;
    };
    std::vector<Tok> toks;
    for (std::size_t i = 0; i < utf8.size();) {
        std::size_t j = i;
        const bool ws = chars::is_wsp(utf8[i]);
        while (j < utf8.size() && chars::is_wsp(utf8[j]) == ws) ++j;
        const std::string_view t = utf8.substr(i, j - i);
        toks.push_back({t, ws, ws || is_plain_word(t)});
        i = j;
    }
    std::string out;
    for (std::size_t k = 0; k < toks.size();) {
        if (toks[k].plain) {
            out.append(toks[k].text);
            ++k;
            continue;
        }
        // A run from this word to the last word needing encoding before a
        // plain word; the whitespace inside the run is encoded with it.
        std::size_t last = k;
        for (std::size_t m = k + 1; m < toks.size(); ++m) {
            if (toks[m].ws) continue;
            if (toks[m].plain) break;
            last = m;
        }
        const char* b = toks[k].text.data();
        const char* e = toks[last].text.data() + toks[last].text.size();
        out += encode_words(std::string_view(b, static_cast<std::size_t>(e - b)));
        k = last + 1;
    }
    return out;
}

std::string encode_phrase(std::string_view utf8) {
    bool atoms = !utf8.empty() && utf8.front() != ' ' && utf8.back() != ' ';
    bool ascii = true;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (!chars::is(c, chars::kVchar) && c != ' ') ascii = false;
        if (!chars::is(c, chars::kAtext) && !(c == ' ' && i > 0 && utf8[i - 1] != ' ')) atoms = false;
    }
    if (utf8.find("=?") != std::string_view::npos) atoms = false;
    if (atoms) return std::string(utf8);
    if (ascii) {
        std::string out = "\"";
        for (char c : utf8) {
            if (c == '"' || c == '\\') out.push_back('\\');
            out.push_back(c);
        }
        out.push_back('"');
        return out;
    }
    return encode_words(utf8);
}

}  // namespace postino::mail
