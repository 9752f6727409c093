// md5.hpp — the MD5 message digest (RFC 1321), for POP3 APOP (RFC 1939 §7).
//
// MD5 is broken for collision resistance; Postino uses it only where a
// protocol requires it (APOP digests), never to protect anything. The
// implementation follows the algorithm of RFC 1321 §3 (padding, length,
// four rounds of sixteen steps over 512-bit blocks) and is checked against
// the test suite of RFC 1321 Appendix A.5 (tests/pop3/md5_test.cpp).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace postino {

class Md5 {
public:
    using Digest = std::array<std::uint8_t, 16>;

    Md5();
    // Adds octets; may be called any number of times.
    void update(std::string_view data);
    // Pads, appends the length and returns the digest (RFC 1321 §3.1–3.5).
    // The object must not be updated afterwards.
    Digest finish();

    // The digest of `data` as 32 lower-case hex digits (RFC 1939 §7 APOP form).
    static std::string hex(std::string_view data);
    static std::string to_hex(const Digest& d);

private:
    void block(const std::uint8_t* p);

    std::array<std::uint32_t, 4> state_;
    std::array<std::uint8_t, 64> buf_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  // octets hashed so far
};

}  // namespace postino
