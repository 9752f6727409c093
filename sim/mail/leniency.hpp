// leniency.hpp — the named, opt-in tolerances of the sim/mail parsers.
//
// Parsers are strict by default (DESIGN.md §4): every departure from the RFCs
// that a parser can tolerate has a name here, is off unless the caller turns
// it on, and, when it was actually needed, is recorded on the result (e.g.
// Part::used) so the visualizer can show that a message was read leniently.
// docs/mail.md lists them with the RFC section each one relaxes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postino::mail {

#define POSTINO_MAIL_LENIENCIES(X)                                                       \
    /* RFC 5322 §2.3: lines end in CRLF; accept a bare LF as a line end. */               \
    X(bare_lf, "bare-lf")                                                                 \
    /* RFC 5322 §2.1.1: at most 998 octets a line; accept longer lines. */                \
    X(long_lines, "long-lines")                                                           \
    /* RFC 5322 §2.2: header fields are US-ASCII; accept raw 8-bit octets (RFC 6532). */  \
    X(eight_bit_headers, "8bit-headers")                                                  \
    /* RFC 5322 §4.5.1 obs-optional (WSP before ':') and §4.2 obs-FWS (blank folds). */   \
    X(obs_header_syntax, "obs-header-syntax")                                             \
    /* RFC 2045 §2.7: 7bit, base64 and QP parts hold no 8-bit octets; accept them. */     \
    X(eight_bit_in_7bit, "8bit-in-7bit")                                                  \
    /* RFC 2046 §5.1.1: a multipart ends with a close delimiter; accept EOF instead. */    \
    X(missing_close_delimiter, "missing-close-delimiter")                                 \
    /* RFC 2045 §6.4: treat an unknown Content-Transfer-Encoding as octet-stream. */      \
    X(unknown_transfer_encoding, "unknown-transfer-encoding")                             \
    /* RFC 2045 §5.2: an invalid Content-Type is read as text/plain; us-ascii. */         \
    X(invalid_content_type, "invalid-content-type")                                       \
    /* RFC 2045 §6.8: skip characters outside the base64 alphabet (ON by default:         \
       the RFC requires it; turning it off makes them an error). */                       \
    X(base64_ignore_garbage, "base64-ignore-garbage")                                     \
    /* RFC 4648 §3.2 / RFC 2045 §6.8: accept base64 whose final '=' padding is missing. */\
    X(base64_missing_padding, "base64-missing-padding")                                   \
    /* RFC 2045 §6.8: ignore base64 data after the '=' padding. */                        \
    X(base64_data_after_padding, "base64-data-after-padding")                             \
    /* RFC 2045 §6.7 (1): accept lower-case hex in '=xx'. */                              \
    X(qp_lowercase_hex, "qp-lowercase-hex")                                               \
    /* RFC 2045 §6.7 note (2): keep a '=' that starts no valid escape as itself. */       \
    X(qp_bad_escape, "qp-bad-escape")                                                     \
    /* RFC 2045 §6.7 (5): accept quoted-printable lines longer than 76 characters. */     \
    X(qp_long_lines, "qp-long-lines")                                                     \
    /* RFC 2045 §6.7 (2): pass through control and 8-bit octets left unencoded. */        \
    X(qp_raw_octets, "qp-raw-octets")                                                     \
    /* RFC 5321 §4.1.2: a domain is LDH labels; accept any RFC 5322 dot-atom. */          \
    X(rfc5322_domain, "rfc5322-domain")                                                   \
    /* RFC 5322 §4.4 obs-local-part / obs-domain: CFWS around the dots. */                \
    X(obs_address, "obs-address")

enum class Leniency : std::uint8_t {
#define POSTINO_X(id, name) id,
    POSTINO_MAIL_LENIENCIES(POSTINO_X)
#undef POSTINO_X
    count_
};

// The stable name of a leniency, e.g. "bare-lf".
std::string_view leniency_name(Leniency l);

// A set of leniencies (a bit set over Leniency).
class Leniencies {
public:
    constexpr Leniencies() = default;
    constexpr Leniencies(std::initializer_list<Leniency> ls) {
        for (Leniency l : ls) bits_ |= bit(l);
    }
    static constexpr Leniencies all() {
        Leniencies s;
        s.bits_ = (std::uint32_t{1} << static_cast<unsigned>(Leniency::count_)) - 1;
        return s;
    }
    [[nodiscard]] constexpr bool has(Leniency l) const { return (bits_ & bit(l)) != 0; }
    [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
    constexpr Leniencies& add(Leniency l) { bits_ |= bit(l); return *this; }
    constexpr Leniencies& remove(Leniency l) { bits_ &= ~bit(l); return *this; }
    constexpr Leniencies& operator|=(Leniencies o) { bits_ |= o.bits_; return *this; }
    friend constexpr Leniencies operator|(Leniencies a, Leniencies b) { return a |= b; }
    friend constexpr bool operator==(Leniencies a, Leniencies b) = default;
    [[nodiscard]] constexpr std::uint32_t bits() const { return bits_; }
    // "bare-lf, long-lines" (empty string for none), in declaration order.
    [[nodiscard]] std::string names() const;

private:
    static constexpr std::uint32_t bit(Leniency l) { return std::uint32_t{1} << static_cast<unsigned>(l); }
    std::uint32_t bits_ = 0;
};

// What a caller allows a parser to tolerate. The default is strict except
// for RFC 2045 §6.8's own rule that base64 decoders skip non-alphabet
// characters (still recorded when it happens).
struct ParseOptions {
    Leniencies allow{Leniency::base64_ignore_garbage};

    static ParseOptions strict() { return ParseOptions{Leniencies{}}; }
    static ParseOptions lenient() { return ParseOptions{Leniencies::all()}; }
    [[nodiscard]] bool allows(Leniency l) const { return allow.has(l); }
};

}  // namespace postino::mail
