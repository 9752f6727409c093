// server_auth.cpp — the AUTH command of the SMTP server engine: RFC 4954
// §4 (AUTH mechanism [initial-response]; 334 challenge; "*" cancels; 235,
// 535, 501, 504, 538; "=" is an empty initial response), §6 (530 when AUTH
// is required), with the PLAIN mechanism of RFC 4616 §2
// ([authzid] NUL authcid NUL passwd). The only mechanism offered is PLAIN;
// the host decides the credentials (ServerPolicy::check_password).
//
// Deviation from RFC 4954 §4: the command line and the response line are
// read with the engine's 512-octet command bound (RFC 5321 §4.5.3.1.4), not
// the 12288 octets §4 asks servers to accept; PLAIN credentials of up to
// about 380 octets fit.
#include <algorithm>

#include "mail/base64.hpp"
#include "proto/smtp/replies.hpp"
#include "proto/smtp/server_engine.hpp"

namespace postino::smtp {
namespace {

bool equals_ci(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
               if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
               return x == y;
           });
}

}  // namespace

void ServerEngine::on_auth(const CommandLine& cmd) {
    if (!session_.esmtp) return protocol_error(make_reply(503, "5.5.1", "Error: send EHLO first"));
    if (!session_.auth_user.empty()) return protocol_error(make_reply(503, "5.5.1", "Error: already authenticated"));
    if (cmd.args.empty()) return protocol_error(replies::syntax(replies::usage(Verb::Auth)));
    const auto sp = cmd.args.find(' ');
    const std::string_view mech = cmd.args.substr(0, sp);
    if (!equals_ci(mech, "PLAIN")) {
        return protocol_error(make_reply(504, "5.5.4", "Error: unrecognized authentication type"));
    }
    if (!config_.auth.allow_plaintext && !session_.tls) {  // inside TLS the channel is private (RFC 4954 §4)
        return send(make_reply(538, "5.7.11", "Error: encryption required for requested authentication mechanism"));
    }
    if (sp == std::string_view::npos) {
        // §4: an empty challenge; the client's next line is the response.
        // continue-req = "334" SP [base64] CRLF: the SP is required, so it is
        // written here rather than by send(), which drops a space before no text.
        auth_pending_ = true;
        ReplyEvent e;
        e.reply.code = 334;
        e.reply.lines.emplace_back("");
        e.raw = "334 \r\n";
        out_ += e.raw;
        events_.emplace_back(std::move(e));
        return;
    }
    const std::string_view initial = cmd.args.substr(sp + 1);
    finish_auth_plain(initial == "=" ? std::string_view{} : initial);  // §4: "=" is an empty response
}

void ServerEngine::on_auth_response(std::string_view line) {
    auth_pending_ = false;
    events_.emplace_back(CommandEvent{"", "", "(authentication data)\r\n", line.size() + 2});
    if (line == "*") return protocol_error(make_reply(501, "5.0.0", "Authentication cancelled"));  // §4
    finish_auth_plain(line);
}

void ServerEngine::finish_auth_plain(std::string_view base64) {
    auto decoded = mail::base64_decode_strict(base64);
    if (!decoded.ok()) return protocol_error(make_reply(501, "5.5.2", "Error: cannot decode the response"));
    const std::string& d = *decoded;
    const auto a = d.find('\0');
    const auto b = a == std::string::npos ? a : d.find('\0', a + 1);
    if (b == std::string::npos || d.find('\0', b + 1) != std::string::npos) {
        return protocol_error(make_reply(501, "5.5.2", "Error: malformed PLAIN response (RFC 4616 section 2)"));
    }
    const std::string authz = d.substr(0, a), user = d.substr(a + 1, b - a - 1), pass = d.substr(b + 1);
    // RFC 4616 §2: acting for another identity is not allowed here.
    if (user.empty() || (!authz.empty() && authz != user) || !policy_.check_password(user, pass)) {
        return protocol_error(make_reply(535, "5.7.8", "Error: authentication credentials invalid"));
    }
    session_.auth_user = user;
    send(make_reply(235, "2.7.0", "Authentication successful"));
}

}  // namespace postino::smtp
