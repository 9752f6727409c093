// encoded_word_test.cpp — RFC 2047 encoded words: the §8 examples, charsets,
// and a seeded encode/decode round trip.
#include <catch2/catch.hpp>

#include "feed.hpp"
#include "mail/charset.hpp"
#include "mail/encoded_word.hpp"
#include "mail/header.hpp"

using namespace postino;
using namespace postino::mail;

TEST_CASE("encoded words: the RFC 2047 section 8 header examples", "[rfc2047]") {
    CHECK(decode_unstructured("=?US-ASCII?Q?Keith_Moore?=").text == "Keith Moore");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=").text == "Keld J\xc3\xb8rn Simonsen");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?Andr=E9?= Pirard").text == "Andr\xc3\xa9 Pirard");
    CHECK(decode_unstructured("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= "
                              "=?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=")
              .text == "If you can read this you understand the example.");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?Olle_J=E4rnefors?=").text == "Olle J\xc3\xa4rnefors");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?=").text == "Patrik F\xc3\xa4ltstr\xc3\xb6m");
}

TEST_CASE("encoded words: the RFC 2047 section 8 whitespace table", "[rfc2047]") {
    // The examples inside the parentheses of the RFC's table.
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a?=").text == "a");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a?= b").text == "a b");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=").text == "ab");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=").text == "ab");
    CHECK(decode_unstructured(unfold("=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=")).text == "ab");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a_b?=").text == "a b");
    CHECK(decode_unstructured("=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=").text == "a b");
}

TEST_CASE("encoded words: what does not decode is shown as written (section 6.3)", "[rfc2047]") {
    auto unknown = decode_unstructured("=?x-klingon?Q?abc?= ok");
    CHECK(unknown.text == "=?x-klingon?Q?abc?= ok");
    CHECK(unknown.kept_words == 1);
    CHECK(decode_unstructured("=?UTF-8?X?abc?=").text == "=?UTF-8?X?abc?=");
    CHECK(decode_unstructured("=?UTF-8?Q?a=ZZ?=").text == "=?UTF-8?Q?a=ZZ?=");
    CHECK(decode_unstructured("=?UTF-8?B?!!!!?=").text == "=?UTF-8?B?!!!!?=");
    CHECK(decode_unstructured("x=?UTF-8?Q?a?=").text == "x=?UTF-8?Q?a?=");  // not a whole word
    // RFC 2231 section 5: a language after '*'.
    auto lang = parse_encoded_word("=?UTF-8*it?Q?ciao?=");
    REQUIRE(lang.has_value());
    CHECK(lang->language == "it");
    CHECK(decode_unstructured("=?UTF-8*it?Q?ciao?=").text == "ciao");
    // Invalid UTF-8 is replaced and flagged.
    auto bad = decode_unstructured("=?UTF-8?Q?=FF?=");
    CHECK(bad.replaced);
    CHECK(bad.text == "\xef\xbf\xbd");
    // A character split across two adjacent words still decodes.
    CHECK(decode_unstructured("=?UTF-8?Q?perch=C3?= =?UTF-8?Q?=A9?=").text == "perch\xc3\xa9");
}

TEST_CASE("encoded words: encoding keeps ASCII words and limits words to 75 characters", "[rfc2047]") {
    CHECK(encode_unstructured("Ciao a tutti") == "Ciao a tutti");
    const std::string s = encode_unstructured("Perch\xc3\xa9 non vieni?");
    CHECK(s == "=?UTF-8?Q?Perch=C3=A9?= non vieni?");
    CHECK(decode_unstructured(s).text == "Perch\xc3\xa9 non vieni?");
    std::string greek;
    for (int i = 0; i < 40; ++i) greek += "\xce\xb1\xce\xb2 ";  // "αβ "
    greek.pop_back();
    const std::string enc = encode_unstructured(greek);
    for (std::size_t start = 0; start < enc.size();) {
        std::size_t sp = enc.find(' ', start);
        if (sp == std::string::npos) sp = enc.size();
        CHECK(sp - start <= kMaxEncodedWordChars);
        CHECK(enc.compare(start, 10, "=?UTF-8?B?") == 0);  // mostly non-ASCII: B is shorter
        start = sp + 1;
    }
    CHECK(decode_unstructured(enc).text == greek);
    // A plain word that looks like an encoded word is encoded, so it reads back as written.
    CHECK(decode_unstructured(encode_unstructured("=?x?Q?y?=")).text == "=?x?Q?y?=");
    CHECK(encode_phrase("Mario Rossi") == "Mario Rossi");
    CHECK(encode_phrase("Rossi, Mario") == "\"Rossi, Mario\"");
    CHECK(encode_phrase("Nicol\xc3\xb2") == "=?UTF-8?Q?Nicol=C3=B2?=");
}

TEST_CASE("encoded words: property: unstructured text round-trips through a folded field", "[rfc2047][property]") {
    Rng rng = Rng::stream(2047, "encoded-word-property");
    const std::vector<std::string> pieces = {"a", "Z", "ciao", " ", "  ", "\t", "\xc3\xa8", "\xe2\x82\xac", "=?", "?=",
                                             "_",  "=", "\xf0\x9f\x93\xa7", "x.y", "(", "\""};
    for (int i = 0; i < 3000; ++i) {
        std::string s;
        const auto n = rng.uniform_int(1, 40);
        for (int k = 0; k < n; ++k) s += pieces[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(pieces.size()) - 1))];
        while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
        while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
        if (s.empty()) continue;
        auto f = HeaderField::make_text("Subject", s);
        REQUIRE(f.ok());
        INFO(s);
        REQUIRE(f->text() == s);
        // Every line of the folded field fits in 78 octets, 76 if it holds
        // an encoded word (RFC 2047 section 2).
        const std::string& raw = f->raw();
        for (std::size_t start = 0; start < raw.size();) {
            const std::size_t crlf = raw.find("\r\n", start);
            const bool ew = raw.substr(start, crlf - start).find("=?") != std::string::npos;
            REQUIRE(crlf - start <= (ew ? kMaxEncodedLineChars : kFoldLineOctets));
            start = crlf + 2;
        }
    }
}

TEST_CASE("charsets: names, aliases and conversion to UTF-8", "[charset]") {
    CHECK(charset_from_name("ISO-8859-1") == Charset::iso_8859_1);
    CHECK(charset_from_name("latin1") == Charset::iso_8859_1);
    CHECK(charset_from_name("UTF-8") == Charset::utf8);
    CHECK_FALSE(charset_from_name("EBCDIC").has_value());
    CHECK(to_utf8("citt\xe0", Charset::iso_8859_1).text == "citt\xc3\xa0");
    CHECK(to_utf8("\xa4", Charset::iso_8859_15).text == "\xe2\x82\xac");  // euro sign
    CHECK(to_utf8("\x80", Charset::windows_1252).text == "\xe2\x82\xac");
    CHECK(to_utf8("\xb9", Charset::iso_8859_2).text == "\xc5\xa1");  // s with caron
    CHECK(to_utf8("\xe9", Charset::us_ascii).replaced);
    CHECK(is_valid_utf8("perch\xc3\xa9"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}
