// mail_dsn_fuzz.cpp — libFuzzer target for delivery status notifications.
// The input is read as a whole report (MIME, then RFC 3464 fields) and as a
// bare message/delivery-status body. Invariant: a body that parses formats
// back into fields that parse to the same recipients and statuses.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mail/dsn.hpp"
#include "mail/mime.hpp"
#include "mail/status_code.hpp"

using namespace postino::mail;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string in(reinterpret_cast<const char*>(data), size);
    for (const ParseOptions& opt : {ParseOptions{}, ParseOptions::lenient()}) {
        auto m = parse_mime(in, opt);
        if (m.ok()) (void)parse_dsn(*m, opt);
        auto ds = parse_delivery_status(in, opt);
        if (ds.ok()) {
            auto again = parse_delivery_status(format_delivery_status(*ds), opt);
            if (!again.ok() || again->recipients.size() != ds->recipients.size()) std::abort();
            for (std::size_t i = 0; i < ds->recipients.size(); ++i) {
                if (again->recipients[i].status != ds->recipients[i].status ||
                    again->recipients[i].action != ds->recipients[i].action)
                    std::abort();
                (void)describe_delivery_status(*ds);
            }
        }
    }
    auto st = EnhancedStatus::parse(in);
    if (st.ok() && (EnhancedStatus::parse(st->str()).value() != *st)) std::abort();
    return 0;
}
