// data_writer.hpp — the client's side of DATA: turns a message into the
// octets sent after the 354 reply.
//
// RFC 5321 §2.3.8 (a client sends CR and LF only as CRLF), §4.5.2 (a line
// starting with "." gets another "." — dot-stuffing), §4.1.1.4 (the data ends
// with <CRLF>.<CRLF>), §4.5.3.1.6 (1000-octet lines); RFC 1870 §4 (the SIZE
// value counts CRLFs but not stuffing dots nor the final dot line); RFC 6152
// §3 (8-bit octets need BODY=8BITMIME).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postino::smtp {

struct PreparedData {
    std::string wire;         // dot-stuffed lines, then ".\r\n"
    std::uint64_t size = 0;   // RFC 1870 message size (CRLF-normalized, unstuffed)
    bool eight_bit = false;   // an octet >= 0x80: needs 8BITMIME
    bool long_line = false;   // a line over kMaxTextLineOctets: cannot be sent as is
    bool nul = false;         // a NUL octet: cannot be sent as text
    bool normalized = false;  // a bare CR or LF was turned into CRLF, or a final CRLF added
};

// Normalizes line ends to CRLF (a client must never send a bare CR or LF),
// adds a final CRLF if missing, dot-stuffs, and appends the end-of-data line.
PreparedData prepare_data(std::string_view message);

}  // namespace postino::smtp
