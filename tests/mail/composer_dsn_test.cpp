// composer_dsn_test.cpp — the user agent's composer (encoding choices,
// structure, determinism), enhanced status codes (RFC 3463) and DSNs
// (RFC 3464, RFC 6522): built, parsed back, and the RFC 3464 examples.
#include <catch2/catch.hpp>

#include "feed.hpp"
#include "mail/composer.hpp"
#include "mail/dsn.hpp"
#include "mail/error.hpp"
#include "mail/message.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"
#include "mail/status_code.hpp"

using namespace postino;
using namespace postino::mail;

namespace {
Errc code_of(const Error& e) { return error_code(e).value(); }

Draft basic_draft() {
    Draft d;
    d.from = {"Alice Example", {"alice", "a.example"}};
    d.to = {NamedMailbox{"Bob", {"bob", "b.example"}}};
    d.subject = "Lunch";
    d.text = "Hi Bob,\nlunch on Friday?\n";
    return d;
}

std::string crlf(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '\n') out += "\r\n";
        else out.push_back(c);
    }
    return out;
}
}  // namespace

TEST_CASE("composer: the encoding a teacher would choose", "[composer]") {
    auto ascii = choose_encoding("Hello Bob,\r\nsee you.\r\n", true);
    CHECK(ascii.encoding == TransferEncoding::seven_bit);
    CHECK(ascii.charset == "us-ascii");
    auto italian = choose_encoding("Ciao Mario, perch\xc3\xa9 non vieni alla riunione di luned\xc3\xac?\r\n", true);
    CHECK(italian.encoding == TransferEncoding::quoted_printable);
    CHECK(italian.charset == "utf-8");
    CHECK(italian.reason.find("quoted-printable") != std::string::npos);
    std::string greek;
    for (int i = 0; i < 30; ++i) greek += "\xce\xba\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1 ";
    auto mostly = choose_encoding(greek, true);
    CHECK(mostly.encoding == TransferEncoding::base64);
    CHECK(mostly.reason.find("base64 is shorter") != std::string::npos);
    auto longl = choose_encoding(std::string(120, 'a'), true);
    CHECK(longl.encoding == TransferEncoding::quoted_printable);
    CHECK(choose_encoding(std::string("\x89PNG", 4), false).encoding == TransferEncoding::base64);
    CHECK(to_crlf("a\nb\rc\r\nd") == "a\r\nb\r\nc\r\nd");
}

TEST_CASE("composer: a plain ASCII message is one 7bit text part", "[composer]") {
    Rng rng = Rng::stream(1, "ua.pc.alice");
    auto c = compose(basic_draft(), rng, "pc.alice", seconds(90));
    REQUIRE(c.ok());
    auto msg = Message::parse(c->bytes);
    REQUIRE(msg.ok());
    CHECK(check_field_counts(msg->header).ok());
    CHECK(msg->header.get("Date") == "Mon, 1 Jan 2024 00:01:30 +0000");
    CHECK(msg->header.get("From") == "Alice Example <alice@a.example>");
    CHECK(msg->header.get("To") == "Bob <bob@b.example>");
    CHECK(msg->header.get("Message-ID") == c->message_id);
    CHECK(msg->header.get("MIME-Version") == "1.0");
    CHECK(msg->header.get("Content-Type") == "text/plain; charset=us-ascii");
    CHECK(msg->header.find("Content-Transfer-Encoding") == nullptr);
    CHECK(msg->body == "Hi Bob,\r\nlunch on Friday?\r\n");
    CHECK(classify(c->bytes) == MessageClass::seven_bit);
    // Same seed, same bytes.
    Rng again = Rng::stream(1, "ua.pc.alice");
    CHECK(compose(basic_draft(), again, "pc.alice", seconds(90))->bytes == c->bytes);
}

TEST_CASE("composer: text + HTML + attachments build mixed(alternative, ...)", "[composer]") {
    Draft d = basic_draft();
    d.subject = "Perch\xc3\xa9 la relazione?";
    d.from.display_name = "Nicol\xc3\xb2 Bianchi";
    d.text = "Ciao Mario,\nperch\xc3\xa9 non mi mandi la relazione?\n";
    d.html = "<p>Ciao Mario, perch\xc3\xa9 non mi mandi la relazione?</p>\n";
    std::string pdf = "%PDF-1.4\n";
    for (int i = 0; i < 300; ++i) pdf.push_back(static_cast<char>(i * 7));
    d.attachments.push_back({"relazione citt\xc3\xa0.pdf", "application/pdf", pdf});
    d.attachments.push_back({"note.txt", "text/plain", "plain note\n"});
    Rng rng = Rng::stream(3, "ua");
    auto c = compose(d, rng, "pc.nicolo", hours(2));
    REQUIRE(c.ok());
    REQUIRE(c->choices.size() == 4);
    CHECK(c->choices[0].encoding == TransferEncoding::quoted_printable);
    CHECK(c->choices[1].encoding == TransferEncoding::quoted_printable);
    CHECK(c->choices[2].encoding == TransferEncoding::base64);
    CHECK(c->choices[3].encoding == TransferEncoding::seven_bit);
    CHECK(classify(c->bytes) == MessageClass::seven_bit);

    auto m = parse_mime(c->bytes, ParseOptions::strict());
    if (!m.ok()) FAIL(m.error().message());
    CHECK(m->used.empty());
    const Part& root = m->root;
    CHECK(root.type.mime_type() == "multipart/mixed");
    CHECK(root.fields.find("Subject")->text() == d.subject);
    auto from = parse_mailbox(root.fields.find("From")->value());
    REQUIRE(from.ok());
    CHECK(from->display_name == d.from.display_name);
    CHECK(root.fields.find("From")->value().find("=?UTF-8?") != std::string::npos);
    REQUIRE(root.children.size() == 3);
    CHECK(root.children[0].type.mime_type() == "multipart/alternative");
    REQUIRE(root.children[0].children.size() == 2);
    CHECK(m->find("1.1")->type.mime_type() == "text/plain");
    CHECK(m->find("1.2")->type.mime_type() == "text/html");
    CHECK(decode_body(*m, *m->find("1.1"))->bytes == crlf(d.text));
    CHECK(decode_body(*m, *m->find("1.2"))->bytes == crlf(*d.html));
    const Part* att = m->find("2");
    REQUIRE(att != nullptr);
    CHECK(att->type.param_value("name") == "relazione citt\xc3\xa0.pdf");
    CHECK(decode_body(*m, *att)->bytes == pdf);
    auto cd = parse_content_disposition(att->fields.find("Content-Disposition")->value());
    REQUIRE(cd.ok());
    CHECK(cd->param("filename")->value == "relazione citt\xc3\xa0.pdf");
    CHECK(decode_body(*m, *m->find("3"))->bytes == "plain note\r\n");
    // Every line of the message fits RFC 5322's 78-octet advice.
    for (std::size_t start = 0; start < c->bytes.size();) {
        std::size_t e = c->bytes.find("\r\n", start);
        if (e == std::string::npos) e = c->bytes.size();
        CHECK(e - start <= kFoldLineOctets);
        start = e + 2;
    }
}

TEST_CASE("composer: a forwarded message is attached as message/rfc822, unencoded", "[composer]") {
    Draft d = basic_draft();
    const std::string original = "From: luca@d.example\r\nSubject: Foto\r\n\r\nEcco la foto.\r\n";
    d.attachments.push_back({"", "message/rfc822", original});
    Rng rng = Rng::stream(4, "ua");
    auto c = compose(d, rng, "h", Duration{});
    REQUIRE(c.ok());
    CHECK(c->choices.back().encoding == TransferEncoding::seven_bit);
    auto m = parse_mime(c->bytes, ParseOptions::strict());
    REQUIRE(m.ok());
    const Part* fwd = m->find("2");
    REQUIRE(fwd != nullptr);
    CHECK(fwd->kind == PartKind::message);
    CHECK(m->bytes(fwd->body) == original);
    CHECK(m->find("2.1")->fields.get("Subject") == "Foto");
}

TEST_CASE("composer: property: composed messages parse back to the same content", "[composer][property]") {
    Rng rng = Rng::stream(8, "composer-property");
    const std::vector<std::string> words = {"ciao", "perch\xc3\xa9", "\xe2\x82\xac", "--=_", "=?x?=", "line\n", "\t",
                                            "a", "long-word-without-spaces-0123456789", "\xce\xb1\xce\xb2"};
    for (int i = 0; i < 300; ++i) {
        Draft d = basic_draft();
        d.text.clear();
        d.subject.clear();
        for (int k = 0; k < rng.uniform_int(1, 60); ++k) d.text += words[static_cast<std::size_t>(rng.uniform_int(0, 9))] + " ";
        for (int k = 0; k < rng.uniform_int(1, 8); ++k) d.subject += words[static_cast<std::size_t>(rng.uniform_int(0, 9))] + " ";
        std::erase(d.subject, '\n');
        std::erase(d.subject, '\t');
        while (!d.subject.empty() && d.subject.back() == ' ') d.subject.pop_back();
        while (!d.subject.empty() && d.subject.front() == ' ') d.subject.erase(0, 1);
        if (rng.bernoulli(0.5)) d.attachments.push_back({"f.bin", "", test::random_bytes(rng, static_cast<std::size_t>(rng.uniform_int(0, 400)))});
        auto c = compose(d, rng, "h", seconds(i));
        REQUIRE(c.ok());
        auto m = parse_mime(c->bytes, ParseOptions::strict());
        REQUIRE(m.ok());
        REQUIRE(m->root.fields.find("Subject")->text() == d.subject);
        const Part& text = d.attachments.empty() ? m->root : m->root.children.at(0);
        REQUIRE(decode_body(*m, text)->bytes == to_crlf(d.text));
        if (!d.attachments.empty()) REQUIRE(decode_body(*m, m->root.children.at(1))->bytes == d.attachments[0].data);
    }
}

TEST_CASE("status codes: typed, strict, with RFC 3463 meanings", "[status]") {
    struct Known {
        const char* code;
        const char* meaning;
    };
    const Known known[] = {
        {"5.1.1", "Bad destination mailbox address"}, {"5.1.2", "Bad destination system address"},
        {"5.2.2", "Mailbox full"},                    {"4.2.2", "Mailbox full"},
        {"5.3.4", "Message too big for system"},      {"4.4.1", "No answer from host"},
        {"4.4.7", "Delivery time expired"},           {"5.4.6", "Routing loop detected"},
        {"5.7.1", "Delivery not authorized, message refused"}, {"2.0.0", "Other undefined Status"},
    };
    for (const Known& k : known) {
        auto s = EnhancedStatus::parse(k.code);
        REQUIRE(s.ok());
        CHECK(s->str() == k.code);
        CHECK(s->meaning() == k.meaning);
        CHECK(s->known());
    }
    CHECK(EnhancedStatus::parse("5.1.1")->class_meaning() == "Permanent Failure");
    CHECK(EnhancedStatus::parse("4.4.7")->class_meaning() == "Persistent Transient Failure");
    CHECK(EnhancedStatus::parse("4.4.7")->subject_meaning() == "Network and Routing Status");
    CHECK(*EnhancedStatus::parse("4.4.7") == status::kExpired);
    auto odd = EnhancedStatus::parse("5.1.99");
    REQUIRE(odd.ok());
    CHECK_FALSE(odd->known());
    CHECK(odd->meaning() == "Other address status");
    CHECK(EnhancedStatus::parse("4.123.456").ok());
    for (const char* bad : {"", "3.1.1", "5.1", "5..1", "5.1.1 ", "5.01.1", "5.1.1000", "x.1.1", "55.1.1"}) {
        INFO(bad);
        auto r = EnhancedStatus::parse(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(code_of(r.error()) == Errc::status_syntax);
    }
}

TEST_CASE("dsn: the RFC 3464 appendix examples parse", "[dsn]") {
    auto multi = parse_delivery_status(crlf(
        "Reporting-MTA: dns; cs.utk.edu\n\n"
        "Original-Recipient: rfc822;arathib@vnet.ibm.com\nFinal-Recipient: rfc822;arathib@vnet.ibm.com\n"
        "Action: failed\nStatus: 5.0.0 (permanent failure)\n"
        "Diagnostic-Code: smtp;  550 'arathib@vnet.IBM.COM' is not a\n  registered gateway user\n"
        "Remote-MTA: dns; vnet.ibm.com\n\n"
        "Original-Recipient: rfc822;johnh@hpnjld.njd.hp.com\nFinal-Recipient: rfc822;johnh@hpnjld.njd.hp.com\n"
        "Action: delayed\nStatus: 4.0.0 (hpnjld.njd.jp.com: host name lookup failure)\n\n"
        "Original-Recipient: rfc822;wsnell@sdcc13.ucsd.edu\nFinal-Recipient: rfc822;wsnell@sdcc13.ucsd.edu\n"
        "Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 user unknown\nRemote-MTA: dns; sdcc13.ucsd.edu\n"));
    REQUIRE(multi.ok());
    REQUIRE(multi->recipients.size() == 3);
    CHECK(multi->recipients[0].status_comment == "permanent failure");
    CHECK(multi->recipients[0].diagnostic_code == "smtp;  550 'arathib@vnet.IBM.COM' is not a  registered gateway user");
    CHECK(multi->recipients[1].action == DsnAction::delayed);
    CHECK(multi->recipients[1].status_comment == "hpnjld.njd.jp.com: host name lookup failure");
    CHECK(multi->recipients[2].remote_mta == "dns; sdcc13.ucsd.edu");

    auto gateway = parse_delivery_status(crlf(
        "Reporting-MTA: mailbus; SYS30\n\nFinal-Recipient: unknown; nair_s\nStatus: 5.0.0 (unknown permanent failure)\n"
        "Action: failed\n"));
    REQUIRE(gateway.ok());
    CHECK(gateway->reporting_mta == "mailbus; SYS30");
    CHECK(gateway->recipients.at(0).final_recipient == "unknown; nair_s");

    auto delayed = parse_delivery_status(crlf(
        "Reporting-MTA: dns; sun2.nsfnet-relay.ac.uk\n\nFinal-Recipient: rfc822;thomas@de-montfort.ac.uk\n"
        "Status: 4.0.0 (unknown temporary failure)\nAction: delayed\n"));
    REQUIRE(delayed.ok());
    CHECK(delayed->recipients.at(0).action == DsnAction::delayed);
}

TEST_CASE("dsn: bad delivery-status bodies are typed errors", "[dsn]") {
    CHECK(code_of(parse_delivery_status("").error()) == Errc::dsn_syntax);
    CHECK(code_of(parse_delivery_status("Arrival-Date: x\r\n\r\n").error()) == Errc::dsn_syntax);
    CHECK(code_of(parse_delivery_status("Reporting-MTA: dns; a\r\n").error()) == Errc::dsn_syntax);
    CHECK(code_of(parse_delivery_status("Reporting-MTA: dns; a\r\n\r\nAction: failed\r\nStatus: 5.1.1\r\n").error()) ==
          Errc::dsn_syntax);
    auto bad_action = parse_delivery_status(
        "Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822;b@c\r\nAction: exploded\r\nStatus: 5.1.1\r\n");
    CHECK(code_of(bad_action.error()) == Errc::dsn_syntax);
    CHECK(error_offset(bad_action.error()) == 54);
    CHECK(code_of(parse_delivery_status(
                      "Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822;b@c\r\nAction: failed\r\nStatus: 5.1\r\n")
                      .error()) == Errc::dsn_syntax);
    auto m = parse_mime("Content-Type: text/plain\r\n\r\nhi\r\n");
    CHECK(code_of(parse_dsn(*m).error()) == Errc::not_a_report);
}

TEST_CASE("dsn: build a bounce and read it back", "[dsn]") {
    DsnDraft d;
    d.from = {"Mail Delivery System", {"MAILER-DAEMON", "mx.a.example"}};
    d.to = {"alice", "a.example"};
    d.status.reporting_mta = "dns; mx.a.example";
    d.status.arrival_date = "Mon, 1 Jan 2024 09:00:02 +0000";
    DsnRecipient failed;
    failed.original_recipient = "rfc822;bob@b.example";
    failed.final_recipient = "rfc822;bob@b.example";
    failed.action = DsnAction::failed;
    failed.status = status::kBadMailbox;
    failed.remote_mta = "dns; mx.b.example";
    failed.diagnostic_code = "smtp; 550 5.1.1 <bob@b.example>: Recipient address rejected: User unknown in virtual mailbox table";
    DsnRecipient later;
    later.final_recipient = "rfc822;carol@c.example";
    later.action = DsnAction::delayed;
    later.status = status::kNoAnswer;
    later.diagnostic_code = "X-Postino; connect to mx.c.example: no answer";
    later.will_retry_until = "Sat, 6 Jan 2024 09:00:02 +0000";
    d.status.recipients = {failed, later};
    d.original_headers = "From: Alice <alice@a.example>\r\nTo: bob@b.example\r\nSubject: Lunch\r\n";
    Rng rng = Rng::stream(5, "mta.mx.a.example");
    auto built = build_dsn(d, rng, "mx.a.example", days(5));
    REQUIRE(built.ok());
    auto m = parse_mime(built->bytes, ParseOptions::strict());
    if (!m.ok()) FAIL(m.error().message());
    CHECK(m->root.type.mime_type() == "multipart/report");
    CHECK(m->root.type.param_value("report-type") == "delivery-status");
    REQUIRE(m->root.children.size() == 3);
    CHECK(m->root.children[0].type.mime_type() == "text/plain");
    CHECK(m->root.children[1].type.mime_type() == "message/delivery-status");
    CHECK(m->root.children[2].type.mime_type() == "text/rfc822-headers");
    CHECK(m->root.fields.get("Subject") == "Undelivered Mail Returned to Sender");
    CHECK(m->root.fields.get("To") == "alice@a.example");
    auto rep = parse_dsn(*m);
    REQUIRE(rep.ok());
    CHECK(rep->status.reporting_mta == d.status.reporting_mta);
    CHECK(rep->status.arrival_date == d.status.arrival_date);
    REQUIRE(rep->status.recipients.size() == 2);
    CHECK(rep->status.recipients[0].status == status::kBadMailbox);
    CHECK(rep->status.recipients[0].diagnostic_code == failed.diagnostic_code);
    CHECK(rep->status.recipients[0].original_recipient == failed.original_recipient);
    CHECK(rep->status.recipients[1].will_retry_until == later.will_retry_until);
    CHECK(rep->original_headers == d.original_headers);
    CHECK(rep->human_text.find("5.1.1 Bad destination mailbox address (Permanent Failure)") != std::string::npos);
    CHECK(rep->human_text.find("will retry until Sat, 6 Jan 2024") != std::string::npos);
    // Formatting the parsed status gives the same fields again.
    CHECK(format_delivery_status(rep->status) == format_delivery_status(d.status));
    // A delayed-only notice says so.
    DsnDraft delay = d;
    delay.status.recipients = {later};
    auto built2 = build_dsn(delay, rng, "mx.a.example", days(1));
    REQUIRE(built2.ok());
    CHECK(parse_mime(built2->bytes)->root.fields.get("Subject") == "Delayed Mail (still being retried)");
    // A DSN needs a reporting MTA and recipients.
    DsnDraft empty;
    CHECK_FALSE(build_dsn(empty, rng, "h", Duration{}).ok());
}
