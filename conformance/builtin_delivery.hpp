// builtin_delivery.hpp — deliberate defects of the builtin world's local
// delivery, off by default, so the message suite's checks on delivered mail
// (conformance/suites/message.yaml, M1–M6) can be shown to fail
// (`postino check --builtin smtp --suite message --fault NAME`). Each changes
// the content the SMTP server accepted before it is stored, breaking one rule:
// a delivering MTA adds trace fields (RFC 5321 §4.4) and otherwise stores the
// message as it came. unfold-headers lives with the bounces (builtin_bounce.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace postino::conformance {

// wrap-long-lines breaks body lines longer than this (text mail is often
// wrapped at 72; RFC 2045 §6.7/§6.8 encoded lines are up to 76 characters).
inline constexpr std::size_t kFaultWrapColumn = 72;

struct DeliveryFaults {
    bool drop_blank_body_lines = false;  // empty body lines removed (RFC 5322 §2.1, §3.5: the body is kept as sent)
    bool wrap_long_lines = false;        // body lines over kFaultWrapColumn split (RFC 2045 §6.7, §6.8)
    bool decode_subject = false;         // Subject encoded words decoded into raw UTF-8 (RFC 2047 §2; RFC 5322 §2.2)
    bool second_date = false;            // a Date: of the delivery added although one is there (RFC 5322 §3.6)
    [[nodiscard]] bool any() const { return drop_blank_body_lines || wrap_long_lines || decode_subject || second_date; }
};

// The content as the faulty delivery would store it (CRLF line ends in, CRLF out).
std::string apply_delivery_faults(std::string_view content, const DeliveryFaults& f);

}  // namespace postino::conformance
