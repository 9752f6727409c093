// mail_address_fuzz.cpp — libFuzzer target for RFC 5322 address parsing.
//
// The input is parsed as an address list, a mailbox and an addr-spec,
// strictly and with every leniency; when it is a message (the golden seeds),
// each address field is parsed too. Invariant: a list that parses formats
// back into text that parses to the same list.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mail/address.hpp"
#include "mail/message.hpp"

using namespace postino::mail;

namespace {
void check_list(std::string_view text, Leniencies allow) {
    auto list = parse_address_list(text, allow);
    if (!list.ok()) return;
    auto again = parse_address_list(format_address_list(*list), allow);
    if (!again.ok() || !(*again == *list)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    for (Leniencies allow : {Leniencies{}, Leniencies::all()}) {
        check_list(in, allow);
        (void)parse_mailbox(in, allow);
        (void)parse_mailbox_list(in, allow);
        (void)parse_addr_spec(in, allow);
    }
    auto m = Message::parse(in, ParseOptions::lenient());
    if (m.ok()) {
        for (const HeaderField& f : m->header.fields) {
            if (f.is("From") || f.is("To") || f.is("Cc") || f.is("Bcc") || f.is("Reply-To") || f.is("Sender")) {
                check_list(f.value(), Leniencies{});
                check_list(f.value(), Leniencies::all());
            }
        }
    }
    return 0;
}
