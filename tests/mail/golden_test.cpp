// golden_test.cpp — parsed MIME trees of realistic messages, compared with
// readable golden files (tests/mail/golden/NAME.eml -> NAME.tree). Run with
// POSTINO_UPDATE_GOLDEN=1 to rewrite the .tree files, then read the diff.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "feed.hpp"
#include "mail/dsn.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"

using namespace postino;
using namespace postino::mail;

namespace {

std::string golden_path(const std::string& name) { return std::string(POSTINO_SOURCE_DIR) + "/tests/mail/golden/" + name; }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const char* const kGoldens[] = {"plain", "italian_qp", "attachment_base64", "nested_rfc822",
                                "dsn",   "rfc3464_simple", "base64_garbage"};

}  // namespace

TEST_CASE("golden MIME trees", "[golden][mime]") {
    for (const char* name : kGoldens) {
        INFO(name);
        const std::string raw = read_file(golden_path(std::string(name) + ".eml"));
        REQUIRE_FALSE(raw.empty());
        auto m = parse_mime(raw);
        if (!m.ok()) FAIL(m.error().message());
        CHECK(rebuild(*m) == raw);
        const std::string tree = render_mime_tree(*m);
        const std::string tree_path = golden_path(std::string(name) + ".tree");
        if (std::getenv("POSTINO_UPDATE_GOLDEN") != nullptr) {
            std::ofstream(tree_path, std::ios::binary) << tree;
        }
        const std::string expected = read_file(tree_path);
        CHECK(tree == expected);
    }
}

TEST_CASE("golden messages parse the same with every leniency on", "[golden][mime]") {
    for (const char* name : kGoldens) {
        INFO(name);
        const std::string raw = read_file(golden_path(std::string(name) + ".eml"));
        auto strict = parse_mime(raw);
        auto lenient = parse_mime(raw, ParseOptions::lenient());
        REQUIRE(strict.ok());
        REQUIRE(lenient.ok());
        CHECK(render_mime_tree(*strict) == render_mime_tree(*lenient, ParseOptions{}));
    }
}

TEST_CASE("golden DSNs parse back into typed reports", "[golden][dsn]") {
    auto m = parse_mime(read_file(golden_path("dsn.eml")));
    REQUIRE(m.ok());
    auto rep = parse_dsn(*m);
    REQUIRE(rep.ok());
    CHECK(rep->status.reporting_mta == "dns; mx.a.example");
    REQUIRE(rep->status.recipients.size() == 2);
    CHECK(rep->status.recipients[0].status == status::kBadMailbox);
    CHECK(rep->status.recipients[0].action == DsnAction::failed);
    CHECK(rep->status.recipients[0].diagnostic_code ==
          "smtp; 550 5.1.1 <bob@b.example>: Recipient address rejected:    User unknown");
    CHECK(rep->status.recipients[1].action == DsnAction::delayed);
    CHECK(rep->status.recipients[1].status == status::kNoAnswer);
    CHECK(rep->status.recipients[1].will_retry_until == "Sat, 6 Jan 2024 09:00:02 +0000");
    CHECK(rep->original_headers.find("Subject: Lunch on Friday?") != std::string::npos);
    CHECK(rep->human_text.find("could not") != std::string::npos);

    auto rfc = parse_mime(read_file(golden_path("rfc3464_simple.eml")));
    REQUIRE(rfc.ok());
    auto r2 = parse_dsn(*rfc);
    REQUIRE(r2.ok());
    CHECK(r2->status.reporting_mta == "dns; cs.utk.edu");
    REQUIRE(r2->status.recipients.size() == 1);
    CHECK(r2->status.recipients[0].original_recipient == "rfc822;louisl@larry.slip.umd.edu");
    CHECK(r2->status.recipients[0].status.str() == "4.0.0");
    CHECK(r2->status.recipients[0].last_attempt_date == "Thu, 7 Jul 1994 17:15:49 -0400");
    CHECK(r2->original_message);
    CHECK(r2->original_headers.find("Subject: ups-mib") != std::string::npos);
}
