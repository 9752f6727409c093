// mail_header_fuzz.cpp — libFuzzer target for RFC 5322 header sections and
// messages. Invariants: a parsed message serializes to exactly its input;
// the incremental parser fed in two pieces agrees with the one-shot parser;
// field helpers (unfold, encoded words, dates, MIME fields) never crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mail/content_type.hpp"
#include "mail/date.hpp"
#include "mail/header.hpp"
#include "mail/message.hpp"

using namespace postino::mail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    for (const ParseOptions& opt : {ParseOptions{}, ParseOptions::lenient()}) {
        auto m = Message::parse(in, opt);
        if (m.ok()) {
            if (m->serialize() != in) std::abort();
            (void)check_field_counts(m->header);
            for (const HeaderField& f : m->header.fields) {
                (void)f.text();
                const std::string v = f.value();
                (void)parse_date_time(v);
                (void)parse_content_type(v);
                (void)parse_content_disposition(v);
                (void)parse_transfer_encoding(v);
            }
        }
        // One-shot and incremental (split at a point the input chooses) agree.
        auto whole = parse_header_section(in, opt);
        HeaderParser p(opt);
        const std::size_t cut = size == 0 ? 0 : data[0] % (size + 1);
        auto st = p.feed(in.substr(0, cut));
        if (st == HeaderParser::State::need_more) st = p.feed(in.substr(cut));
        if (st == HeaderParser::State::need_more) st = p.finish();
        if (whole.ok() != (st == HeaderParser::State::complete)) std::abort();
        if (whole.ok() && (whole->consumed != p.section().consumed ||
                           whole->header.fields.size() != p.section().header.fields.size()))
            std::abort();
        if (!whole.ok() && whole.error().message() != p.error().message()) std::abort();
    }
    classify(in);
    return 0;
}
