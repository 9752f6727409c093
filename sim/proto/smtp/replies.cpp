// replies.cpp — the server's own replies (RFC 5321 §4.2, §4.5.3.1.10;
// RFC 3463 §3; RFC 1870 §6; RFC 6531 §3.7.4.1). See replies.hpp.
#include "proto/smtp/replies.hpp"

namespace postino::smtp::replies {
namespace {

Reply r(int code, const char* enhanced, std::string text) { return make_reply(code, enhanced, std::move(text)); }
std::string s(std::string_view v) { return std::string(v); }

}  // namespace

Reply greeting(std::string_view host, std::string_view banner) {
    std::string text = s(host) + " ESMTP";
    if (!banner.empty()) text += " " + s(banner);
    return r(220, "", std::move(text));
}
Reply greeting_with_text(int code, std::string_view host, std::string_view text) {
    return r(code, "", s(host) + " " + s(text));
}

Reply helo(std::string_view host) { return r(250, "", s(host)); }
Reply ok() { return r(250, "2.0.0", "Ok"); }
Reply data_go() { return r(354, "", "End data with <CR><LF>.<CR><LF>"); }
Reply bye() { return r(221, "2.0.0", "Bye"); }
Reply closing_timeout(std::string_view host) { return r(421, "4.4.2", s(host) + " Error: timeout exceeded"); }
Reply closing_errors(std::string_view host) { return r(421, "4.7.0", s(host) + " Error: too many errors"); }
Reply closing_shutdown(std::string_view host) {
    return r(421, "4.3.2", s(host) + " Service shutting down, closing transmission channel");
}
Reply closing_overflow(std::string_view host) {
    return r(421, "4.3.0", s(host) + " Error: too much unread input, closing transmission channel");
}
Reply local_error() { return r(451, "4.3.0", "Error: local error in processing"); }

Reply unknown_command() { return r(500, "5.5.2", "Error: command not recognized"); }
Reply line_too_long() { return r(500, "5.5.2", "Error: line too long"); }
Reply bare_line_end() { return r(500, "5.5.2", "Error: bare CR or LF in command"); }
Reply bad_characters() { return r(500, "5.5.2", "Error: control characters in command"); }
Reply not_implemented() { return r(502, "5.5.1", "Error: command not implemented"); }
Reply bad_sequence(std::string_view text) { return r(503, "5.5.1", s(text)); }
Reply syntax(std::string_view usage) { return r(501, "5.5.4", "Syntax: " + s(usage)); }
Reply bad_domain(std::string_view verb) { return r(501, "5.5.2", "Error: invalid " + s(verb) + " argument"); }
Reply bad_sender(std::string_view why) { return r(501, "5.1.7", "Bad sender address: " + s(why)); }
Reply bad_recipient(std::string_view why) { return r(501, "5.1.3", "Bad recipient address: " + s(why)); }
Reply non_ascii_address() { return r(553, "5.6.7", "Non-ASCII address requires SMTPUTF8"); }
Reply param_syntax() { return r(501, "5.5.4", "Error: bad parameter syntax"); }
Reply param_bad_value(std::string_view keyword) { return r(501, "5.5.4", "Error: bad " + s(keyword) + " value"); }
Reply param_unknown(std::string_view keyword) {
    return r(555, "5.5.4", "Error: parameter " + s(keyword) + " not recognized");
}
Reply param_not_implemented(std::string_view keyword) {
    return r(504, "5.5.4", "Error: parameter value of " + s(keyword) + " not implemented");
}
Reply starttls_ready() { return r(220, "2.0.0", "Ready to start TLS"); }
Reply tls_active() { return r(503, "5.5.1", "Error: TLS already active"); }
Reply tls_required() { return r(530, "5.7.0", "Must issue a STARTTLS command first"); }
Reply tls_unavailable() { return r(454, "4.7.0", "TLS not available due to temporary reason"); }
Reply help_topic_unknown() { return r(504, "5.5.4", "Error: HELP topic not recognized"); }
Reply too_many_recipients() { return r(452, "4.5.3", "Error: too many recipients"); }
Reply size_exceeded() { return r(552, "5.3.4", "Error: message size exceeds fixed maximum message size"); }
Reply no_valid_recipients() { return r(554, "5.5.1", "Error: no valid recipients"); }
Reply data_bare_line_end() { return r(554, "5.6.0", "Error: bare CR or LF in message (RFC 5321 section 2.3.8)"); }
Reply data_nul() { return r(554, "5.6.0", "Error: NUL octet in message"); }
Reply data_line_too_long() { return r(500, "5.5.2", "Error: message line longer than 1000 octets"); }

}  // namespace postino::smtp::replies

namespace postino::smtp::replies {

std::string_view usage(Verb v) {
    switch (v) {
        case Verb::Ehlo:
            return "EHLO <domain>";
        case Verb::Helo:
            return "HELO <domain>";
        case Verb::Mail:
            return "MAIL FROM:<address> [SIZE=<octets>] [BODY=7BIT|8BITMIME]";
        case Verb::Rcpt:
            return "RCPT TO:<address>";
        case Verb::Data:
            return "DATA";
        case Verb::Auth:
            return "AUTH PLAIN [initial-response]";
        case Verb::Rset:
            return "RSET";
        case Verb::Noop:
            return "NOOP [<string>]";
        case Verb::Vrfy:
            return "VRFY <address>";
        case Verb::Help:
            return "HELP [<command>]";
        case Verb::Quit:
            return "QUIT";
        default:
            return "";
    }
}

Reply help() {
    Reply h;
    h.code = 214;
    h.enhanced = "2.0.0";
    h.lines = {"Commands supported:", "EHLO HELO MAIL RCPT DATA RSET NOOP VRFY HELP QUIT"};
    return h;
}

Reply help_topic(Verb v) { return make_reply(214, "2.0.0", std::string(usage(v))); }

}  // namespace postino::smtp::replies
