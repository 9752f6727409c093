// policy.hpp — how a server engine asks its host for decisions.
//
// DESIGN.md §2.1: the engine never reaches into its host; at each decision
// point it calls one method of a ServerPolicy and gets back a Decision — a
// reply code, an enhanced status code and a text. Empty parts are filled in
// by the engine with the usual values for that step (RFC 3463 §3 subjects:
// X.1.0 sender, X.1.5 destination, X.0.0 other). The engine checks what it
// gets: a code that is not valid for the step becomes 451 4.3.0 (421 at the
// greeting) with a ViolationEvent, so a buggy host cannot break the protocol.
//
// Valid codes per step (RFC 5321 §4.3.2): connect 220/421/554 (§3.1);
// MAIL 250 or 4yz/5yz; RCPT 250/251 or 4yz/5yz; end of data 250 or 4yz/5yz;
// VRFY 250/251/252 or 4yz/5yz (§3.5.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "mail/mailbox.hpp"
#include "proto/smtp/envelope.hpp"

namespace postino::smtp {

struct Decision {
    int code = 250;
    std::string enhanced;  // "" → the engine's default for the step
    std::string text;      // "" → the engine's default for the step
    std::string queue_id;  // end of data, when accepted: "Ok: queued as <id>"

    [[nodiscard]] bool accepted() const { return code >= 200 && code < 300; }

    static Decision accept() { return {}; }
    // End of data accepted; the reply is "250 2.0.0 Ok: queued as <id>".
    static Decision queued(std::string id);
    static Decision reject(int code, std::string enhanced, std::string text);
    // The usual refusals (RFC 3463 §3.2, §3.3, §3.8; RFC 5321 §3.1, §4.2.2).
    static Decision unknown_user();            // 550 5.1.1
    static Decision mailbox_full();            // 552 5.2.2 (permanent)
    static Decision mailbox_full_temporary();  // 452 4.2.2
    static Decision relay_denied();            // 554 5.7.1
    static Decision refuse_client();           // 554 at the greeting
    static Decision shutting_down();           // 421 at the greeting
};

class ServerPolicy {
public:
    virtual ~ServerPolicy() = default;
    // A client connected: 220 (serve it), 554 (refuse, §3.1) or 421 (closing).
    virtual Decision on_connect() { return Decision::accept(); }
    virtual Decision on_mail(const SessionInfo& /*session*/, const mail::Mailbox& /*sender*/,
                             const MailParams& /*params*/) {
        return Decision::accept();
    }
    // `envelope` holds the recipients accepted so far.
    virtual Decision on_rcpt(const SessionInfo& /*session*/, const Envelope& /*envelope*/,
                             const mail::Mailbox& /*recipient*/) {
        return Decision::accept();
    }
    // The whole message arrived (unstuffed, CRLF lines). Accepting it means
    // taking responsibility for it (RFC 5321 §6.1): return queued(id).
    virtual Decision on_message(const SessionInfo& session, const Envelope& envelope, std::string_view content) = 0;
    // AUTH PLAIN (RFC 4954, RFC 4616): are these the credentials of a user?
    // Refuses everything unless the host says otherwise.
    virtual bool check_password(std::string_view /*user*/, std::string_view /*password*/) { return false; }
    // VRFY (§3.5.3): 252 by default — not verified, delivery will be attempted.
    virtual Decision on_vrfy(std::string_view /*argument*/) {
        return Decision::reject(252, "2.0.0", "Address not verified; delivery will be attempted");
    }
};

// Accepts everything, with queue ids "Q1", "Q2", … (tests, benchmarks).
class AcceptAllPolicy : public ServerPolicy {
public:
    Decision on_message(const SessionInfo& session, const Envelope& envelope, std::string_view content) override;
    [[nodiscard]] std::uint64_t messages() const { return next_ - 1; }

private:
    std::uint64_t next_ = 1;
};

}  // namespace postino::smtp
