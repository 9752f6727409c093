// faults.hpp — deliberate defects of the SMTP server engine, off by
// default, that exist to prove the conformance checks can fail
// (docs/conformance-format.md, "Proving the checks can fail"). Each breaks
// one rule of RFC 5321 on purpose; the harness's tests switch them on
// (`postino check --builtin smtp --fault NAME`) and assert FAIL or WARN.
// Tolerances of bad client input are leniencies (server_config.hpp), not faults.
#pragma once

#include <cstddef>
#include <string_view>

namespace postino::smtp {

struct ServerFaults {
    bool multiline_space = false;    // every line of a multi-line reply uses "ddd " (§4.2: "-" until the last)
    bool no_503 = false;             // commands out of sequence are carried out, not refused with 503 (§4.1.4)
    bool keep_dot_stuffing = false;  // the leading "." of a stuffed data line is kept (§4.5.2)
    bool ehlo_keeps_transaction = false;  // a repeated EHLO does not reset the transaction (§4.1.4)
    bool ignore_unknown_params = false;   // unknown MAIL/RCPT parameters are accepted, not 555 (§4.1.1.11)
    bool no_enhanced_codes = false;  // ENHANCEDSTATUSCODES advertised but the codes left out (RFC 2034 §3)
    bool quit_keeps_open = false;    // QUIT gets 221 but the connection stays open (§4.1.1.10)
    bool case_sensitive_verbs = false;  // only upper-case verbs are known (§2.4)
    bool close_on_error = false;     // the first protocol error ends the session with 421 (§4.2.4)
    bool refuse_null_sender = false; // MAIL FROM:<> is refused (§4.1.1.2, §4.5.5)
    bool too_many_is_552 = false;    // too many recipients get 552, not 452 (§4.5.3.1.10)
    bool ignore_size = false;        // a SIZE= above the limit is accepted (RFC 1870 §6)
    bool vrfy_verifies_all = false;  // VRFY says 250 for any name, verified or not (§3.5.3)
    bool refuse_8bitmime = false;    // BODY=8BITMIME refused although 8BITMIME is advertised (RFC 6152 §3)
    // STARTTLS (RFC 3207).
    bool starttls_ignores_argument = false;  // "STARTTLS now" gets 220, not 501 (§4)
    bool starttls_refused = false;           // STARTTLS advertised but answered 454 (§4)
    bool starttls_offered_again = false;     // EHLO inside TLS still lists STARTTLS (§4.2)
    bool starttls_keeps_session = false;     // the EHLO of before TLS is remembered, not discarded (§4.2)
    bool starttls_injection_answered = false;  // plaintext pipelined after STARTTLS is answered inside TLS (§4.2; CVE-2011-0411)
    // The rest of RFC 5321 and its extensions.
    bool help_250 = false;           // HELP answered with 250, not 211/214 (§4.1.1.8, §4.2.2)
    bool rcpt_refusal_aborts = false;  // a refused RCPT ends the transaction; the next RCPT gets 503 (§3.3)
    bool data_250 = false;           // DATA answered with 250, not the intermediate 354 (§4.1.1.4, §4.3.2)
    bool dot_line_ends_data = false; // any line beginning with "." ends the data, not "." alone (§4.1.1.4)
    bool cr_ends_line = false;       // a bare CR ends a data line, so <CR>.<CRLF> ends the data (§2.3.8)
    bool drop_nul = false;           // NUL octets in the data are dropped before the end is looked for (§4.1.1.4)
    bool store_bare_lf = false;      // a bare LF in the data is stored as it came (§2.3.8; RFC 5322 §2.3)
    bool short_command_line = false; // command lines over 256 octets get 500 (§4.5.3.1.4: 512)
    bool short_local_part = false;   // local parts over 32 octets get 501 (§4.5.3.1.1: 64)
    bool short_domain = false;       // domains over 64 octets get 501 (§4.5.3.1.2: 255)
    bool short_path = false;         // paths over 128 octets get 501 (§4.5.3.1.3: 256)
    bool short_text_line = false;    // data lines over 512 octets refuse the message (§4.5.3.1.6: 1000)
    bool small_message_limit = false;  // messages over 32 KiB refused with 552 (§4.5.3.1.7: 64 KiB)
    bool long_banner = false;        // the 220 greeting is one line of 600 octets (§4.5.3.1.5: 512)
    bool vrfy_500 = false;           // VRFY answered 500 as an unknown command (§4.5.1 requires VRFY; §3.5.3)
    bool pipelining_drops_input = false;  // with PIPELINING, input behind a command in the same read is lost (RFC 2920 §3.1)
    bool early_input_lost = false;   // commands that arrive before the greeting went out are discarded (RFC 2920 §3.1; §4.1.4)
    bool refuse_size_param = false;  // any SIZE= parameter refused with 555 although SIZE is advertised (RFC 1870 §6)
    bool refuse_body_7bit = false;   // BODY=7BIT refused with 501 although 8BITMIME is advertised (RFC 6152 §3)
    bool no_idle_timeout = false;    // the server never times out an idle client (§4.5.3.2.7, §3.8: 421)
    bool helo_multiline = false;     // HELO gets the multi-line EHLO reply (§4.1.1.1: HELO's is one line)
    bool noop_argument_501 = false;  // NOOP with an argument gets 501 (§4.1.1.9: the argument is ignored)
};

// The wrong limits of the short-* and small-message-limit faults, each below
// the RFC 5321 §4.5.3.1 minimum it breaks.
inline constexpr std::size_t kFaultCommandLineOctets = 256;   // §4.5.3.1.4 says 512
inline constexpr std::size_t kFaultLocalPartOctets = 32;      // §4.5.3.1.1 says 64
inline constexpr std::size_t kFaultDomainOctets = 64;         // §4.5.3.1.2 says 255
inline constexpr std::size_t kFaultPathOctets = 128;          // §4.5.3.1.3 says 256
inline constexpr std::size_t kFaultTextLineOctets = 512;      // §4.5.3.1.6 says 1000
inline constexpr std::size_t kFaultMessageOctets = std::size_t{32} * 1024;  // §4.5.3.1.7 says 64 KiB
// The long-banner fault's greeting line length, over §4.5.3.1.5's 512.
inline constexpr std::size_t kFaultBannerOctets = 600;

// Switches on the fault called `name` (the member names above, with '-'
// for '_'); false for an unknown name.
bool set_fault(ServerFaults& f, std::string_view name);
// The names, for help texts and errors.
const char* fault_names();

}  // namespace postino::smtp
