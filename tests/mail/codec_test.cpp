// codec_test.cpp — base64 (RFC 4648 §10 vectors, RFC 2045 §6.8 MIME rules)
// and quoted-printable (RFC 2045 §6.7 rules), with seeded property tests.
#include <catch2/catch.hpp>

#include "feed.hpp"
#include "mail/base64.hpp"
#include "mail/error.hpp"
#include "mail/quoted_printable.hpp"

using namespace postino;
using namespace postino::mail;

namespace {
Errc code_of(const Error& e) { return error_code(e).value(); }
std::size_t offset_of(const Error& e) { return error_offset(e).value(); }
}  // namespace

TEST_CASE("base64: the RFC 4648 section 10 test vectors", "[base64]") {
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (auto [plain, enc] : vectors) {
        INFO(plain);
        CHECK(base64_encode(plain, Base64Lines::none) == enc);
        CHECK(*base64_decode_strict(enc) == plain);
        auto mime = base64_decode_mime(enc);
        REQUIRE(mime.ok());
        CHECK(mime->bytes == plain);
        CHECK(mime->report.used.empty());
    }
}

TEST_CASE("base64: MIME lines are 76 characters ending in CRLF", "[base64]") {
    const std::string data(200, 'x');
    const std::string enc = base64_encode(data);
    CHECK(enc.size() == base64_encoded_size(data.size(), Base64Lines::mime));
    std::size_t start = 0;
    int lines = 0;
    while (start < enc.size()) {
        const std::size_t crlf = enc.find("\r\n", start);
        REQUIRE(crlf != std::string::npos);
        CHECK(crlf - start <= kBase64LineChars);
        if (crlf + 2 < enc.size()) CHECK(crlf - start == kBase64LineChars);
        start = crlf + 2;
        ++lines;
    }
    CHECK(lines == 4);  // 200 octets -> 268 characters -> 76+76+76+40
    CHECK(base64_encode("", Base64Lines::mime).empty());
}

TEST_CASE("base64: strict decoding refuses what RFC 4648 section 3 refuses", "[base64]") {
    CHECK(code_of(base64_decode_strict("Zm9").error()) == Errc::base64_truncated);
    CHECK(code_of(base64_decode_strict("Zm9v\r\n").error()) == Errc::base64_truncated);
    auto bad = base64_decode_strict("Zm9vY!==");
    CHECK(code_of(bad.error()) == Errc::base64_invalid_char);
    CHECK(offset_of(bad.error()) == 5);
    CHECK(code_of(base64_decode_strict("Zg==Zm9v").error()) == Errc::base64_bad_padding);
    CHECK(code_of(base64_decode_strict("Z===").error()) == Errc::base64_bad_padding);
    // Section 3.5: non-zero pad bits ("Zh==" is not canonical for "f").
    CHECK(code_of(base64_decode_strict("Zh==").error()) == Errc::base64_bad_padding);
    CHECK(*base64_decode_strict("Zh==", true) == "f");
}

TEST_CASE("base64: the MIME decoder skips non-alphabet characters and says so", "[base64]") {
    auto r = base64_decode_mime("Zm9v\r\nYm!Fy\r\n");
    REQUIRE(r.ok());
    CHECK(r->bytes == "foobar");
    CHECK(r->report.ignored_chars == 1);
    CHECK(r->report.first_ignored_offset == 8);
    CHECK(r->report.used.has(Leniency::base64_ignore_garbage));
    // Line breaks and whitespace are not garbage.
    auto clean = base64_decode_mime("Zm9v \r\n\tYmFy\r\n");
    REQUIRE(clean.ok());
    CHECK(clean->report.ignored_chars == 0);
    CHECK(clean->report.used.empty());
    // Without the leniency the same input is an error with its offset.
    auto strict = base64_decode_mime("Zm9v\r\nYm!Fy\r\n", Leniencies{});
    REQUIRE_FALSE(strict.ok());
    CHECK(code_of(strict.error()) == Errc::base64_invalid_char);
    CHECK(offset_of(strict.error()) == 8);
}

TEST_CASE("base64: padding problems are errors unless a named leniency allows them", "[base64]") {
    auto missing = base64_decode_mime("Zm9vYg");
    REQUIRE_FALSE(missing.ok());
    CHECK(code_of(missing.error()) == Errc::base64_bad_padding);
    auto lenient = base64_decode_mime("Zm9vYg", Leniencies{Leniency::base64_missing_padding});
    REQUIRE(lenient.ok());
    CHECK(lenient->bytes == "foob");
    CHECK(lenient->report.used.has(Leniency::base64_missing_padding));

    auto after = base64_decode_mime("Zg==Zm9v");
    REQUIRE_FALSE(after.ok());
    CHECK(code_of(after.error()) == Errc::base64_data_after_padding);
    CHECK(offset_of(after.error()) == 4);
    auto ignored = base64_decode_mime("Zg==Zm9v", Leniencies{Leniency::base64_data_after_padding});
    REQUIRE(ignored.ok());
    CHECK(ignored->bytes == "f");

    CHECK(code_of(base64_decode_mime("Zm9vY").error()) == Errc::base64_truncated);
    CHECK(code_of(base64_decode_mime("Zm9vY=").error()) == Errc::base64_truncated);
    CHECK(code_of(base64_decode_mime("=Zm9").error()) == Errc::base64_bad_padding);
    CHECK(code_of(base64_decode_mime("Zm=v").error()) == Errc::base64_bad_padding);
}

TEST_CASE("base64: overlong lines are counted, not refused", "[base64]") {
    const std::string line = base64_encode(std::string(90, 'a'), Base64Lines::none);  // 120 characters
    auto r = base64_decode_mime(line + "\r\n");
    REQUIRE(r.ok());
    CHECK(r->report.long_lines == 1);
}

TEST_CASE("base64: the incremental decoder gives the same result fed three ways", "[base64]") {
    Rng rng = Rng::stream(11, "base64-feed");
    const std::string data = test::random_bytes(rng, 500);
    const std::string enc = base64_encode(data);
    for (const auto& pieces : test::three_ways(enc)) {
        Base64Decoder d;
        std::string out;
        for (auto p : pieces) REQUIRE(d.feed(p, out).ok());
        REQUIRE(d.finish(out).ok());
        CHECK(out == data);
    }
    const std::string bad = enc.substr(0, 100) + "*" + enc.substr(100);
    for (const auto& pieces : test::three_ways(bad)) {
        Base64Decoder d(Leniencies{});
        std::string out;
        Status st;
        for (auto p : pieces)
            if (st = d.feed(p, out); !st.ok()) break;
        REQUIRE_FALSE(st.ok());
        CHECK(offset_of(st.error()) == 100);
    }
}

TEST_CASE("base64: property: every encoding round-trips (seeded, thousands of cases)", "[base64][property]") {
    Rng rng = Rng::stream(2024, "base64-property");
    for (int i = 0; i < 4000; ++i) {
        const auto n = static_cast<std::size_t>(rng.uniform_int(0, i < 3000 ? 200 : 5000));
        const std::string data = test::random_bytes(rng, n);
        const std::string mime = base64_encode(data);
        const std::string raw = base64_encode(data, Base64Lines::none);
        auto a = base64_decode_mime(mime);
        auto b = base64_decode_strict(raw);
        REQUIRE(a.ok());
        REQUIRE(b.ok());
        REQUIRE(a->bytes == data);
        REQUIRE(*b == data);
        REQUIRE(a->report.used.empty());
    }
}

TEST_CASE("base64: decoding random text never crashes and errors carry offsets", "[base64][property]") {
    Rng rng = Rng::stream(99, "base64-garbage");
    const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n !*";
    for (int i = 0; i < 3000; ++i) {
        std::string s(static_cast<std::size_t>(rng.uniform_int(0, 60)), 'A');
        for (auto& c : s) c = alphabet[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(alphabet.size()) - 1))];
        for (Leniencies allow : {Leniencies{}, Leniencies::all()}) {
            auto r = base64_decode_mime(s, allow);
            if (!r.ok()) {
                REQUIRE(error_code(r.error()).has_value());
                REQUIRE(error_offset(r.error()).value() <= s.size());
            }
        }
    }
}

TEST_CASE("qp: RFC 2045 section 6.7 encoding rules", "[qp]") {
    // Rule 2: printable ASCII stands for itself, '=' does not.
    CHECK(qp_encode("a=b") == "a=3Db");
    // Rule 1: other octets are =XX in upper case.
    CHECK(qp_encode("caf\xc3\xa9") == "caf=C3=A9");
    // Rule 3: whitespace at the end of a line is encoded, elsewhere kept.
    CHECK(qp_encode("a b \r\nc\t") == "a b=20\r\nc=09");
    // Rule 4: CRLF is a hard line break; in binary mode CR and LF are encoded.
    CHECK(qp_encode("x\r\ny") == "x\r\ny");
    CHECK(qp_encode("x\r\ny", QpMode::binary) == "x=0D=0Ay");
    CHECK(qp_encode("x\ny") == "x=0Ay");
    // Rule 5: lines of at most 76 characters, '=' soft breaks.
    const std::string long_line(200, 'a');
    const std::string enc = qp_encode(long_line);
    std::size_t start = 0;
    while (true) {
        const std::size_t crlf = enc.find("\r\n", start);
        const std::size_t end = crlf == std::string::npos ? enc.size() : crlf;
        CHECK(end - start <= kQpLineChars);
        if (crlf == std::string::npos) break;
        CHECK(enc[crlf - 1] == '=');
        start = crlf + 2;
    }
    // An escape is never split by a soft break.
    const std::string accents = qp_encode(std::string(100, '\xe9'));
    CHECK(accents.find("=\r\n") % 3 == 0);
    // A line of exactly 76 characters needs no soft break.
    CHECK(qp_encode(std::string(76, 'b')) == std::string(76, 'b'));
    CHECK(qp_encode(std::string(77, 'b')) == std::string(75, 'b') + "=\r\nbb");
}

TEST_CASE("qp: decoding follows the rules and removes transport padding", "[qp]") {
    auto r = qp_decode("caf=C3=A9 =\r\nlatte  \r\nend=\r\n");
    REQUIRE(r.ok());
    CHECK(r->bytes == "caf\xc3\xa9 latte\r\nend");
    CHECK(r->report.trailing_ws_removed == 1);
    CHECK(r->report.used.empty());
    // Whitespace after a soft-break '=' is transport padding too.
    CHECK(qp_decode("a= \t\r\nb")->bytes == "ab");
    // '=' at the very end is a soft break with nothing after it.
    CHECK(qp_decode("abc=")->bytes == "abc");
}

TEST_CASE("qp: bad input is a typed error with an offset, or a named leniency", "[qp]") {
    auto lower = qp_decode("ab=e9");
    REQUIRE_FALSE(lower.ok());
    CHECK(code_of(lower.error()) == Errc::qp_lowercase_hex);
    CHECK(offset_of(lower.error()) == 2);
    auto lower_ok = qp_decode("ab=e9", Leniencies{Leniency::qp_lowercase_hex});
    REQUIRE(lower_ok.ok());
    CHECK(lower_ok->bytes == "ab\xe9");
    CHECK(lower_ok->report.used.has(Leniency::qp_lowercase_hex));

    auto esc = qp_decode("1=G2\r\nx=4");
    REQUIRE_FALSE(esc.ok());
    CHECK(code_of(esc.error()) == Errc::qp_bad_escape);
    CHECK(offset_of(esc.error()) == 1);
    auto esc_ok = qp_decode("1=G2\r\nx=4", Leniencies{Leniency::qp_bad_escape});
    REQUIRE(esc_ok.ok());
    CHECK(esc_ok->bytes == "1=G2\r\nx=4");

    const std::string longl = std::string(77, 'x') + "\r\n";
    auto too_long = qp_decode(longl);
    REQUIRE_FALSE(too_long.ok());
    CHECK(code_of(too_long.error()) == Errc::qp_line_too_long);
    CHECK(offset_of(too_long.error()) == 76);
    CHECK(qp_decode(longl, Leniencies{Leniency::qp_long_lines})->bytes == std::string(77, 'x') + "\r\n");

    auto raw = qp_decode("caf\xe9");
    REQUIRE_FALSE(raw.ok());
    CHECK(code_of(raw.error()) == Errc::qp_unencoded_octet);
    CHECK(offset_of(raw.error()) == 3);
    CHECK(qp_decode("caf\xe9", Leniencies{Leniency::qp_raw_octets})->bytes == "caf\xe9");

    auto bare = qp_decode("a\nb");
    REQUIRE_FALSE(bare.ok());
    CHECK(code_of(bare.error()) == Errc::bare_lf);
    CHECK(offset_of(bare.error()) == 1);
    CHECK(qp_decode("a\nb", Leniencies{Leniency::bare_lf})->bytes == "a\r\nb");
    CHECK(code_of(qp_decode("a\rb").error()) == Errc::qp_unencoded_octet);
}

TEST_CASE("qp: the incremental decoder gives the same result fed three ways", "[qp]") {
    Rng rng = Rng::stream(5, "qp-feed");
    const std::string data = test::random_bytes(rng, 400) + "\r\nPerch\xc3\xa9 no?  \r\n";
    const std::string enc = qp_encode(data) + "  ";  // trailing transport padding
    for (const auto& pieces : test::three_ways(enc)) {
        QpDecoder d;
        std::string out;
        for (auto p : pieces) REQUIRE(d.feed(p, out).ok());
        REQUIRE(d.finish(out).ok());
        CHECK(out == data);
    }
    const std::string bad = "line one\r\nline =ZZ two\r\n";
    for (const auto& pieces : test::three_ways(bad)) {
        QpDecoder d;
        std::string out;
        Status st;
        for (auto p : pieces)
            if (st = d.feed(p, out); !st.ok()) break;
        if (st.ok()) st = d.finish(out);
        REQUIRE_FALSE(st.ok());
        CHECK(offset_of(st.error()) == 15);
    }
}

TEST_CASE("qp: property: every encoding round-trips (seeded, thousands of cases)", "[qp][property]") {
    Rng rng = Rng::stream(2024, "qp-property");
    const std::string textish = "abc xyz\t=.\r\n\xc3\xa8";
    for (int i = 0; i < 5000; ++i) {
        const auto n = static_cast<std::size_t>(rng.uniform_int(0, 300));
        std::string data;
        if (i % 2 == 0) {
            data = test::random_bytes(rng, n);
        } else {
            for (std::size_t k = 0; k < n; ++k)
                data.push_back(textish[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(textish.size()) - 1))]);
        }
        for (QpMode mode : {QpMode::text, QpMode::binary}) {
            const std::string enc = qp_encode(data, mode);
            auto dec = qp_decode(enc);
            REQUIRE(dec.ok());
            REQUIRE(dec->bytes == data);
            // Every encoded line obeys rule 5 and rule 3.
            std::size_t start = 0;
            while (start <= enc.size()) {
                std::size_t crlf = enc.find("\r\n", start);
                const std::size_t end = crlf == std::string::npos ? enc.size() : crlf;
                REQUIRE(end - start <= kQpLineChars);
                if (end > start) REQUIRE((enc[end - 1] != ' ' && enc[end - 1] != '\t'));
                if (crlf == std::string::npos) break;
                start = crlf + 2;
            }
        }
    }
}
