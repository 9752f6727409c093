// octets_test.cpp — the block scans of core/octets.hpp find the same first
// octet as a loop over the classes written out here from their RFC rules,
// at every length and offset, and never read outside the buffer (each one
// is a heap block of exactly its length, which the ASan build checks).
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "core/octets.hpp"
#include "core/rng.hpp"

using namespace postino;
using octets::Find;

namespace {

// The classes as the callers' RFC rules state them.
bool reference_class(Find f, unsigned char c) {
    const bool control = c < 0x20 && c != '\t';  // C0 but HTAB
    switch (f) {
        case Find::Control: return control || c == 0x7f;                // RFC 5321 §4.2 reply text
        case Find::NonText: return control || c == 0x7f || c >= 0x80;   // RFC 5322 §2.2: VCHAR and WSP only
        case Find::LineData: return c == '\r' || c == '\n' || c == 0 || c >= 0x80;
        case Find::JsonEscape: return c < 0x20 || c == 0x7f || c >= 0x80 || c == '"' || c == '\\';  // RFC 8259 §7
    }
    return false;
}

std::size_t reference_find(Find f, const std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i)
        if (reference_class(f, static_cast<unsigned char>(s[i]))) return i;
    return s.size();
}

const Find kAll[] = {Find::Control, Find::NonText, Find::LineData, Find::JsonEscape};

}  // namespace

TEST_CASE("each class holds exactly the octets its rule names", "[octets]") {
    for (const Find f : kAll) {
        for (int c = 0; c < 256; ++c) {
            INFO("class " << static_cast<int>(f) << ", octet " << c);
            CHECK(octets::in_class(f, static_cast<unsigned char>(c)) == reference_class(f, static_cast<unsigned char>(c)));
        }
    }
}

TEST_CASE("the block scan finds the first octet of the class at every length and position", "[octets]") {
    Rng rng(2026);
    for (const Find f : kAll) {
        for (int n = 0; n < 6000; ++n) {
            // Lengths around the block sizes; at most one or two octets of
            // the class, anywhere, or none at all.
            const auto len = static_cast<std::size_t>(rng.uniform_int(0, 70));
            std::string s;
            for (std::size_t k = 0; k < len; ++k) s.push_back(static_cast<char>(rng.uniform_int(0x21, 0x7e)));
            const auto specials = rng.uniform_int(0, 2);
            for (std::int64_t k = 0; k < specials && len > 0; ++k) {
                const auto at = static_cast<std::size_t>(rng.uniform_int(0, static_cast<std::int64_t>(len) - 1));
                s[at] = static_cast<char>(rng.uniform_int(0, 255));
            }
            if (rng.uniform_int(0, 3) == 0) {  // and some octets of the class only by a neighbour's value
                for (auto& c : s) {
                    if (rng.uniform_int(0, 7) == 0) c = "\t \x1f\x20\x7e\x7f\x80\xff"[rng.uniform_int(0, 7)];
                }
            }
            // A heap block of exactly len octets: a read past it is an ASan error.
            const auto block = std::make_unique<char[]>(len == 0 ? 1 : len);
            std::copy(s.begin(), s.end(), block.get());
            const std::string_view view(block.get(), len);
            INFO("class " << static_cast<int>(f) << ", length " << len);
            const std::size_t want = reference_find(f, s);
            CHECK(octets::find_first(f, view) == want);
            CHECK(octets::find_first_bytewise(f, view) == want);
        }
    }
}

TEST_CASE("the block scan reads a view at any offset of its buffer", "[octets]") {
    // Sixteen-octet blocks read from every alignment, the class octet at
    // every place of a 40-octet view.
    std::string buffer(64, 'a');
    for (std::size_t offset = 0; offset < 16; ++offset) {
        for (std::size_t at = 0; at < 40; ++at) {
            std::string s = buffer;
            s[offset + at] = '\r';
            const std::string_view view = std::string_view(s).substr(offset, 40);
            CHECK(octets::find_first(Find::LineData, view) == at);
            CHECK(octets::find_first(Find::Control, view) == at);
            CHECK(octets::find_first(Find::NonText, view.substr(0, at)) == at);  // not in this view
        }
    }
}
