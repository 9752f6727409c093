// mime_test.cpp — Content-Type and friends (RFC 2045 §5, RFC 2231), and the
// multipart parser (RFC 2046 §5.1.1): structure, exact rebuild, strict
// errors with offsets, named leniencies, IMAP part numbers.
#include <catch2/catch.hpp>

#include "feed.hpp"
#include "mail/content_type.hpp"
#include "mail/error.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"

using namespace postino;
using namespace postino::mail;

namespace {
Errc code_of(const Error& e) { return error_code(e).value(); }
std::size_t offset_of(const Error& e) { return error_offset(e).value(); }

std::string crlf(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += "\r\n";
        else out.push_back(c);
    }
    return out;
}
}  // namespace

TEST_CASE("content-type: type, subtype, parameters, comments, quoting", "[content-type]") {
    auto ct = parse_content_type("Text/HTML; Charset=\"UTF-8\" (a comment); format=flowed");
    REQUIRE(ct.ok());
    CHECK(ct->type == "text");
    CHECK(ct->subtype == "html");
    CHECK(ct->param_value("charset") == "UTF-8");
    CHECK(ct->param_value("FORMAT") == "flowed");
    CHECK(parse_content_type("multipart/mixed; boundary=\"a \\\"b\\\" c\"")->param_value("boundary") == "a \"b\" c");
    CHECK(parse_content_type("text/plain;")->params.empty());  // trailing ';' tolerated
    CHECK(code_of(parse_content_type("text").error()) == Errc::content_type_syntax);
    CHECK(code_of(parse_content_type("text/").error()) == Errc::content_type_syntax);
    CHECK(code_of(parse_content_type("text/plain; charset").error()) == Errc::parameter_syntax);
    CHECK(code_of(parse_content_type("text/plain charset=x").error()) == Errc::parameter_syntax);
    CHECK(code_of(parse_content_type("text/plain; a=1; A=2").error()) == Errc::duplicate_parameter);
    auto bad = parse_content_type("text/plain; name=\"open");
    CHECK(code_of(bad.error()) == Errc::unterminated_quote);
    CHECK(offset_of(bad.error()) == 17);
    CHECK(format_content_type(*parse_content_type("text/plain; charset=utf-8; name=\"a b.txt\"")) ==
          "text/plain; charset=utf-8; name=\"a b.txt\"");
}

TEST_CASE("content-type: RFC 2231 continuations, charsets and languages", "[content-type][rfc2231]") {
    // RFC 2231 section 3 and 4 examples.
    auto a = parse_content_type(
        "message/external-body; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
    REQUIRE(a.ok());
    CHECK(a->param_value("url") == "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
    auto b = parse_content_type("application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
    REQUIRE(b.ok());
    CHECK(b->param_value("title") == "This is ***fun***");
    CHECK(b->param("title")->language == "en-us");
    auto c = parse_content_type(
        "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; "
        "title*2=\"isn't it!\"");
    REQUIRE(c.ok());
    CHECK(c->param_value("title") == "This is even more ***fun*** isn't it!");
    // Latin-1 octets become UTF-8.
    auto d = parse_content_disposition("attachment; filename*=iso-8859-1''citt%E0.pdf");
    REQUIRE(d.ok());
    CHECK(d->type == "attachment");
    CHECK(d->param("filename")->value == "citt\xc3\xa0.pdf");
    // Errors: gaps, duplicates, bad escapes.
    CHECK(code_of(parse_content_type("a/b; t*0=x; t*2=y").error()) == Errc::parameter_syntax);
    CHECK(code_of(parse_content_type("a/b; t=x; t*0=y").error()) == Errc::duplicate_parameter);
    CHECK(code_of(parse_content_type("a/b; t*=utf-8''%G1").error()) == Errc::parameter_syntax);
    CHECK(code_of(parse_content_type("a/b; t*=nocharset").error()) == Errc::parameter_syntax);
    CHECK(code_of(parse_content_type("a/b; t*01=x").error()) == Errc::parameter_syntax);
    // Formatting non-ASCII values uses RFC 2231 and reads back the same.
    ContentType ct;
    ct.type = "application";
    ct.subtype = "pdf";
    const std::string name = "relazione della citt\xc3\xa0 di Perugia, anno 2024 (versione definitiva).pdf";
    ct.set_param("name", name);
    const std::string text = format_content_type(ct);
    CHECK(text.find("name*0*=utf-8''") != std::string::npos);
    CHECK(parse_content_type(text)->param_value("name") == name);
}

TEST_CASE("content-transfer-encoding: the five mechanisms, case-insensitive", "[content-type]") {
    CHECK(*parse_transfer_encoding("Base64") == TransferEncoding::base64);
    CHECK(*parse_transfer_encoding(" quoted-printable (qp)") == TransferEncoding::quoted_printable);
    CHECK(*parse_transfer_encoding("8BIT") == TransferEncoding::eight_bit);
    CHECK(code_of(parse_transfer_encoding("x-uuencode").error()) == Errc::unknown_transfer_encoding);
    CHECK(code_of(parse_transfer_encoding("7bit 8bit").error()) == Errc::unknown_transfer_encoding);
    CHECK(is_valid_boundary("=_abc'()+_,-./:=? x"));
    CHECK_FALSE(is_valid_boundary("ends in space "));
    CHECK_FALSE(is_valid_boundary(std::string(71, 'b')));
    CHECK(is_valid_boundary(std::string(70, 'b')));
    CHECK_FALSE(is_valid_boundary("semi;colon"));
}

TEST_CASE("mime: multipart structure, transport padding, preamble and epilogue", "[mime]") {
    const std::string raw = crlf(
        "Content-Type: multipart/mixed; boundary=b\n"
        "\n"
        "preamble\n"
        "--b  \t\n"
        "\n"
        "first, no header fields\n"
        "--b\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        "caf\xc3\xa9\n"
        "--b\n"
        "Content-Type: text/plain\n"
        "--b--  \n"
        "epilogue\n");
    auto m = parse_mime(raw);
    REQUIRE(m.ok());
    CHECK(rebuild(*m) == raw);
    const Part& root = m->root;
    CHECK(root.kind == PartKind::multipart);
    CHECK(root.path == "TEXT");
    CHECK(m->bytes(root.preamble) == "preamble");
    CHECK(m->bytes(root.epilogue) == "epilogue\r\n");
    REQUIRE(root.children.size() == 3);
    CHECK(m->bytes(root.children[0].body) == "first, no header fields");
    CHECK(root.children[0].type_defaulted);
    CHECK(root.children[1].encoding == TransferEncoding::eight_bit);
    CHECK(root.children[1].body_8bit);
    CHECK(m->bytes(root.children[1].body) == "caf\xc3\xa9");
    // A part with header fields and no blank line has an empty body.
    CHECK(root.children[2].separator.size == 0);
    CHECK(root.children[2].body.size == 0);
    CHECK(root.children[2].path == "3");
    CHECK(m->find("2") == &root.children[1]);
    // Delimiter lines whose boundary is only a prefix are content.
    const std::string prefix = crlf("Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bb\n--b-x\n--b--\n");
    auto p = parse_mime(prefix);
    REQUIRE(p.ok());
    REQUIRE(p->root.children.size() == 1);
    CHECK(p->bytes(p->root.children[0].body) == "--bb\r\n--b-x");
}

TEST_CASE("mime: multipart/digest parts default to message/rfc822", "[mime]") {
    const std::string raw = crlf(
        "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nbody one\n--d\n\nSubject: two\n\nbody two\n--d--\n");
    auto m = parse_mime(raw);
    REQUIRE(m.ok());
    REQUIRE(m->root.children.size() == 2);
    CHECK(m->root.children[0].type.is("message", "rfc822"));
    CHECK(m->root.children[0].kind == PartKind::message);
    CHECK(m->root.children[1].children.at(0).path == "2.1");
    CHECK(m->root.children[1].children.at(0).fields.get("Subject") == "two");
}

TEST_CASE("mime: malformed structure is a typed error with its offset", "[mime]") {
    struct Case {
        std::string raw;
        Errc code;
        std::size_t offset;
    };
    const std::string head = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
    const std::vector<Case> cases = {
        {head + "--b\r\n\r\nno end\r\n", Errc::unterminated_multipart, head.size() + 15},
        {head + "no delimiter at all\r\n", Errc::no_first_boundary, head.size()},
        {head + "--b--\r\n", Errc::no_first_boundary, head.size()},
        {"Content-Type: multipart/mixed\r\n\r\n", Errc::missing_boundary, 0},
        {"Content-Type: multipart/mixed; boundary=\"bad \"\r\n\r\n", Errc::boundary_invalid, 0},
        {"Content-Type: text/plain\r\nContent-Type: text/html\r\n\r\n", Errc::duplicate_field, 0},
        {"Content-Type: text\r\n\r\n", Errc::content_type_syntax, 0},
        {"X: y\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n", Errc::unknown_transfer_encoding, 6},
        {"Content-Type: multipart/mixed; boundary=b\r\nContent-Transfer-Encoding: base64\r\n\r\n--b\r\n\r\n--b--",
         Errc::composite_encoding, 43},
        {"Content-Type: text/plain\r\n\r\ncaf\xc3\xa9\r\n", Errc::eight_bit_octet, 31},
        {head + "--b\r\nContent-Type: text/plain\r\n\r\nx\ry\r\n--b--\r\n", Errc::bare_cr, head.size() + 34},
        {head + "--b\n\r\n--b--\r\n", Errc::bare_lf, head.size() + 3},
        {head + "--b\r\nBad header\r\n\r\n--b--\r\n", Errc::missing_colon, head.size() + 9},
    };
    for (const Case& c : cases) {
        INFO(c.raw);
        auto r = parse_mime(c.raw);
        REQUIRE_FALSE(r.ok());
        CHECK(code_of(r.error()) == c.code);
        CHECK(offset_of(r.error()) == c.offset);
    }
    // Nesting is bounded.
    std::string deep;
    for (std::size_t i = 0; i <= kMaxMimeDepth + 1; ++i) deep += "Content-Type: message/rfc822\r\n\r\n";
    CHECK(code_of(parse_mime(deep).error()) == Errc::nesting_too_deep);
}

TEST_CASE("mime: named leniencies are opt-in and visible on the part", "[mime][leniency]") {
    const std::string head = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
    // missing-close-delimiter
    auto open = parse_mime(head + "--b\r\n\r\nno end\r\n", ParseOptions{{Leniency::missing_close_delimiter}});
    REQUIRE(open.ok());
    CHECK(open->root.used.has(Leniency::missing_close_delimiter));
    CHECK(open->bytes(open->root.children.at(0).body) == "no end\r\n");
    CHECK(rebuild(*open) == open->raw);
    // unknown-transfer-encoding: read as application/octet-stream (RFC 2045 section 6.4)
    auto unk = parse_mime("Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n",
                          ParseOptions{{Leniency::unknown_transfer_encoding}});
    REQUIRE(unk.ok());
    CHECK(unk->root.type.mime_type() == "application/octet-stream");
    CHECK(unk->root.encoding_name == "x-uuencode");
    CHECK(unk->used.has(Leniency::unknown_transfer_encoding));
    // invalid-content-type: read as text/plain; us-ascii (RFC 2045 section 5.2)
    auto inv = parse_mime("Content-Type: garbage\r\n\r\nhi\r\n", ParseOptions{{Leniency::invalid_content_type}});
    REQUIRE(inv.ok());
    CHECK(inv->root.type.mime_type() == "text/plain");
    CHECK(inv->used.has(Leniency::invalid_content_type));
    // 8bit-in-7bit
    auto eight = parse_mime("Content-Type: text/plain\r\n\r\ncaf\xc3\xa9\r\n", ParseOptions{{Leniency::eight_bit_in_7bit}});
    REQUIRE(eight.ok());
    CHECK(eight->root.used.has(Leniency::eight_bit_in_7bit));
    // bare-lf throughout, delimiters included
    const std::string lf = "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nbody\n--b--\n";
    auto bare = parse_mime(lf, ParseOptions{{Leniency::bare_lf}});
    REQUIRE(bare.ok());
    CHECK(bare->bytes(bare->root.children.at(0).body) == "body");
    CHECK(bare->used.has(Leniency::bare_lf));
    CHECK(rebuild(*bare) == lf);
    // long-lines
    auto longl = parse_mime("A: b\r\n\r\n" + std::string(1500, 'x') + "\r\n", ParseOptions{{Leniency::long_lines}});
    REQUIRE(longl.ok());
    CHECK(longl->used.has(Leniency::long_lines));
    // Decoding leniencies show on the tree view.
    auto qp = parse_mime("Content-Transfer-Encoding: quoted-printable\r\n\r\ncaf=e9\r\n");
    REQUIRE(qp.ok());
    CHECK_FALSE(decode_body(*qp, qp->root).ok());
    ParseOptions lower{{Leniency::qp_lowercase_hex}};
    auto view = mime_tree(*qp, lower);
    REQUIRE(view.size() == 1);
    CHECK(view[0].leniencies.has(Leniency::qp_lowercase_hex));
    CHECK(view[0].decoded == "caf\xe9\r\n");
    CHECK(mime_tree(*qp)[0].decode_error.has_value());
}

TEST_CASE("mime: decoded bodies and offsets of decode errors", "[mime]") {
    const std::string raw = "Content-Transfer-Encoding: base64\r\n\r\nZm9v\r\nYm=y\r\n";
    auto m = parse_mime(raw);
    REQUIRE(m.ok());
    auto d = decode_body(*m, m->root);
    REQUIRE_FALSE(d.ok());
    CHECK(code_of(d.error()) == Errc::base64_bad_padding);
    CHECK(offset_of(d.error()) == raw.find("=y") + 1);  // where the second '=' should be
}

TEST_CASE("mime: random mutations of a message never crash, and successes rebuild exactly", "[mime][property]") {
    const std::string base = crlf(
        "From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\npre\n--b\nContent-Type: text/plain\n"
        "Content-Transfer-Encoding: quoted-printable\n\ncaf=C3=A9 =\nok\n--b\nContent-Type: message/rfc822\n\n"
        "Subject: x\nContent-Type: multipart/alternative; boundary=c\n\n--c\n\nin\n--c--\n--b\n"
        "Content-Transfer-Encoding: base64\n\nZm9vYmFy\n--b--\nepi\n");
    REQUIRE(parse_mime(base).ok());
    Rng rng = Rng::stream(77, "mime-mutations");
    const std::string alphabet = "-b\r\n =:;\"Cc\x80\0";
    int ok = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string s = base;
        const auto edits = rng.uniform_int(1, 4);
        for (int k = 0; k < edits; ++k) {
            const auto at = static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(s.size())));
            const char c = alphabet[static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(alphabet.size()) - 1))];
            switch (rng.uniform_int(0, 2)) {
                case 0: s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c); break;
                case 1: if (at < s.size()) s.erase(at, 1); break;
                default: if (at < s.size()) s[at] = c; break;
            }
        }
        for (const ParseOptions& opt : {ParseOptions{}, ParseOptions::lenient()}) {
            auto m = parse_mime(s, opt);
            if (!m.ok()) {
                REQUIRE(error_code(m.error()).has_value());
                REQUIRE(error_offset(m.error()).value() <= s.size());
                continue;
            }
            ++ok;
            REQUIRE(rebuild(*m) == s);
            (void)render_mime_tree(*m, opt);
        }
    }
    CHECK(ok > 100);
}
