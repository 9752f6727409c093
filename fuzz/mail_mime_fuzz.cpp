// mail_mime_fuzz.cpp — libFuzzer target for the MIME parser and the codecs.
// Invariants: a parsed message rebuilds to exactly its input; every part can
// be decoded (or fails with a typed error) and rendered; base64 and
// quoted-printable encodings of the input decode back to it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mail/base64.hpp"
#include "mail/error.hpp"
#include "mail/mime.hpp"
#include "mail/mime_tree.hpp"
#include "mail/quoted_printable.hpp"

using namespace postino::mail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    for (const ParseOptions& opt : {ParseOptions{}, ParseOptions::lenient()}) {
        auto m = parse_mime(in, opt);
        if (!m.ok()) {
            if (!error_code(m.error()) || error_offset(m.error()).value_or(size + 1) > size) std::abort();
            continue;
        }
        if (rebuild(*m) != in) std::abort();
        (void)render_mime_tree(*m, opt);
    }
    for (Leniencies allow : {Leniencies{}, Leniencies::all()}) {
        (void)base64_decode_mime(in, allow);
        (void)qp_decode(in, allow);
    }
    (void)base64_decode_strict(in);
    if (base64_decode_mime(base64_encode(in))->bytes != in) std::abort();
    if (qp_decode(qp_encode(in))->bytes != in) std::abort();
    if (qp_decode(qp_encode(in, QpMode::binary))->bytes != in) std::abort();
    return 0;
}
