// record_test.cpp — a hidden helper for writing goldens, not a test: with
// IMAP_RECORD=<file> it runs the file's client lines against the engine and
// prints the transcript with the server's lines filled in, for a person to
// check line by line before saving it. Run:
//   IMAP_RECORD=tests/imap/golden/x.txt postino_tests_imap "[.record]"
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "agents/imap_mailstore.hpp"
#include "imap/golden_driver.hpp"
#include "proto/imap/server_engine.hpp"

using namespace postino;

TEST_CASE("imap golden recorder", "[.record]") {
    const char* path = std::getenv("IMAP_RECORD");
    if (path == nullptr) return;
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    // The header (everything but S lines) is parsed for the setup.
    std::string setup_text;
    std::vector<std::string> lines;
    std::istringstream ls(text);
    for (std::string l; std::getline(ls, l);) {
        if (l.rfind("S:", 0) == 0 || l.rfind("S|", 0) == 0) continue;
        lines.push_back(l);
    }
    // Run through the driver's Whole mode to get the output, grouping by C runs.
    std::string out;
    std::vector<std::string> group;
    std::string so_far;
    const bool grouped = std::getenv("IMAP_RECORD_GROUP") != nullptr;
    auto flush = [&](std::size_t upto, bool last) {
        std::string partial;
        for (std::size_t k = 0; k < upto; ++k) partial += lines[k] + "\n";
        auto t = smtp::parse_transcript(partial);
        if (!t.ok()) FAIL(t.error().message());
        t->steps.erase(std::remove_if(t->steps.begin(), t->steps.end(),
                                      [](const auto& st) { return st.kind == smtp::TranscriptStep::Kind::Close; }),
                       t->steps.end());
        auto r = imap::testing::run_transcript(*t, imap::testing::FeedMode::Whole, 0);
        if (!r.ok()) FAIL(r.error().message());
        const std::string fresh = r->output.substr(std::min(so_far.size(), r->output.size()));
        so_far = r->output;
        for (const auto& g : group) out += g + "\n";
        group.clear();
        std::size_t p = 0;
        while (p < fresh.size()) {
            const auto e = fresh.find("\r\n", p);
            const std::size_t end = e == std::string::npos ? fresh.size() : e + 2;
            out += smtp::format_transcript_line('S', fresh.substr(p, end - p)) + "\n";
            p = end;
        }
        if (last)
            for (const auto& sm : r->summary) out += "# summary: " + sm + "\n";
    };
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& l = lines[i];
        const bool is_c = l.rfind("C:", 0) == 0 || l.rfind("C|", 0) == 0;
        const bool step = is_c || l.rfind("@close", 0) == 0 || l.rfind("@eof", 0) == 0 ||
                          l.rfind("@wait", 0) == 0 || l.rfind("@timeout", 0) == 0;
        if (is_c && grouped && !group.empty()) {
            group.push_back(l);
            continue;
        }
        if (step) flush(i, false);
        if (is_c) group.push_back(l);
        else out += l + "\n";
    }
    flush(lines.size(), true);
    std::cout << out;
}
