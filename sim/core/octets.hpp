// octets.hpp — finding the first octet of a class in a buffer, sixteen
// octets at a time.
//
// The protocol engines check every line they read or write octet by octet:
// a reply line may hold no control character (RFC 5321 §4.2, §2.3.8), a
// header field body only printable ASCII and WSP (RFC 5322 §2.2), and
// outgoing DATA is cut into lines at CR and LF (RFC 5321 §2.3.8, §4.5.2),
// and the trace's encoder copies a string to JSON up to the next octet it
// must escape (RFC 8259 §7). These scans are most of what such a check
// costs, and the answer is almost always "none": so they test a 16-octet
// block with SSE2 (every x86-64 has it) and fall back to an octet loop
// elsewhere. Both give the same index; tests/core/octets_test.cpp compares
// them, and a plain loop, on random buffers. in_class() is the one
// definition of each class: callers that look at a single octet use it too.
#pragma once

#include <cstddef>
#include <string_view>

namespace postino::octets {

// The classes, by what they find.
enum class Find {
    Control,   // a C0 control other than HTAB, or DEL (8-bit octets pass)
    NonText,   // anything but SP..'~' and HTAB: a control, DEL or an 8-bit octet
    LineData,  // CR, LF, NUL or an 8-bit octet: what ends or marks a line of DATA
    JsonEscape,  // a control, DEL, '"', '\\' or an 8-bit octet: not copied as is into a JSON string
};

// True when `c` is in class `f`, the one-octet definition of the classes.
constexpr bool in_class(Find f, unsigned char c) {
    switch (f) {
        case Find::Control: return (c < 0x20 && c != '\t') || c == 0x7f;
        case Find::NonText: return (c < 0x20 && c != '\t') || c >= 0x7f;
        case Find::LineData: return c == '\r' || c == '\n' || c == 0 || c >= 0x80;
        case Find::JsonEscape: return c < 0x20 || c >= 0x7f || c == '"' || c == '\\';
    }
    return false;
}

// Index of the first octet of `s` in class `f`, or s.size() when there is none.
std::size_t find_first(Find f, std::string_view s);

// The same, one octet at a time (what find_first does without SSE2).
std::size_t find_first_bytewise(Find f, std::string_view s);

}  // namespace postino::octets
