// replies.hpp — every reply the server engine writes on its own, in one
// catalogue (docs/smtp.md lists the same table for people).
//
// Codes: RFC 5321 §4.2.2 / §4.2.3 / §4.3.2; texts of the limit replies:
// §4.5.3.1.10; enhanced codes: RFC 3463 §3 (X.5.1 invalid command, X.5.2
// syntax error, X.5.3 too many recipients, X.5.4 invalid arguments, X.1.3 /
// X.1.7 bad recipient / sender address syntax, X.3.4 message too big, X.4.2
// bad connection, X.7.0 security/policy, X.3.2 not accepting messages, X.6.0
// media error), RFC 6531 §3.7.4.1 (5.6.7 non-ASCII address), RFC 1870 §6
// (552 for SIZE), RFC 2034 §3 (none on the greeting and on EHLO/HELO).
#pragma once

#include <string>
#include <string_view>

#include "proto/smtp/command.hpp"
#include "proto/smtp/reply.hpp"

namespace postino::smtp::replies {

// Greeting (§4.2, §3.1): "<host> ESMTP <banner>", or the policy's refusal.
Reply greeting(std::string_view host, std::string_view banner);
Reply greeting_with_text(int code, std::string_view host, std::string_view text);

Reply helo(std::string_view host);
Reply ok();                                     // 250 2.0.0 Ok (NOOP, RSET)
Reply data_go();                                // 354
Reply bye();                                    // 221 2.0.0
Reply closing_timeout(std::string_view host);   // 421 4.4.2
Reply closing_errors(std::string_view host);    // 421 4.7.0
Reply closing_shutdown(std::string_view host);  // 421 4.3.2
Reply closing_overflow(std::string_view host);  // 421 4.3.0
Reply local_error();                            // 451 4.3.0

// 500 / 502 / 503 / 504 / 501 / 555 / 552 / 553 / 554 / 452
Reply unknown_command();
Reply line_too_long();
Reply bare_line_end();
Reply bad_characters();
Reply not_implemented();
Reply bad_sequence(std::string_view text);
Reply syntax(std::string_view usage);                   // 501 5.5.4 "Syntax: …"
Reply bad_domain(std::string_view verb);                // 501 5.5.2
Reply bad_sender(std::string_view why);                 // 501 5.1.7
Reply bad_recipient(std::string_view why);              // 501 5.1.3
Reply non_ascii_address();                              // 553 5.6.7
Reply param_syntax();                                   // 501 5.5.4
Reply param_bad_value(std::string_view keyword);        // 501 5.5.4
Reply param_unknown(std::string_view keyword);          // 555 5.5.4
Reply param_not_implemented(std::string_view keyword);  // 504 5.5.4
Reply help_topic_unknown();                             // 504 5.5.4
Reply too_many_recipients();                            // 452 4.5.3
Reply size_exceeded();                                  // 552 5.3.4
Reply no_valid_recipients();                            // 554 5.5.1
Reply data_bare_line_end();                             // 554 5.6.0
Reply data_nul();                                       // 554 5.6.0
Reply data_line_too_long();                             // 500 5.5.2

// STARTTLS (RFC 3207 §4): 220 go ahead, 501 with a parameter, 503 when TLS
// is already up, 530 for MAIL before TLS when the server requires it.
Reply starttls_ready();    // 220 2.0.0
Reply tls_active();        // 503 5.5.1
Reply tls_required();      // 530 5.7.0
Reply tls_unavailable();   // 454 4.7.0 (RFC 3207 §4)

}  // namespace postino::smtp::replies

namespace postino::smtp::replies {

// Usage line of an implemented verb, for HELP <verb> and 501 "Syntax: …".
std::string_view usage(Verb v);
// 214 reply to HELP (no topic) and HELP <verb>.
Reply help();
Reply help_topic(Verb v);

}  // namespace postino::smtp::replies
