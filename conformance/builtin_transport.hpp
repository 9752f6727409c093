// builtin_transport.hpp — the runner against Postino's own server engines,
// in process: no sockets, virtual time (deterministic, and a "silence" of
// five minutes costs nothing). One small mail world: an SMTP server that
// delivers into a MailStore (with Return-Path: and Received:, RFC 5321
// §4.4), and POP3 and IMAP servers reading that same store, so a suite can
// send a message and fetch it back. Faults are switched on through the
// engine configs (proto/smtp/faults.hpp, proto/pop3/faults.hpp,
// proto/imap/faults.hpp). Mail for unreachable.invalid bounces
// (builtin_bounce.hpp). STARTTLS/STLS switch a stream to the simulator's
// TLS model (agents/tls_channel.hpp), no OpenSSL: what the checks test is
// the engines' behaviour around the switch, and the run stays deterministic.
#pragma once

#include <memory>
#include <string>

#include "conformance/builtin_bounce.hpp"
#include "conformance/builtin_delivery.hpp"
#include "conformance/transport.hpp"
#include "proto/imap/server_config.hpp"
#include "proto/pop3/server_config.hpp"
#include "proto/smtp/server_config.hpp"

namespace postino::conformance {

struct BuiltinWorld;

struct BuiltinOptions {
    std::string domain = "example.test";
    std::string user = "alice";
    std::string password = "secret";
    smtp::ServerConfig smtp;
    pop3::ServerConfig pop3;
    imap::ServerConfig imap;
    bool no_trace_fields = false;  // fault: delivery adds no Return-Path:/Received: (RFC 5321 §4.4)
    bool unfold_headers = false;   // fault: delivery joins folded header lines (RFC 5322 §2.2.3)
    DeliveryFaults delivery;       // faults of the local delivery (builtin_delivery.hpp)
    BounceFaults bounce;           // faults of the bounces of unreachable.invalid (builtin_bounce.hpp)
    bool greeting_421 = false;     // fault: every SMTP client is turned away with 421 (§3.1 allows 220 or 554)
    // The engines offer STARTTLS/STLS (RFC 3207, RFC 2595 §4, RFC 3501 §6.2.1),
    // switched over the simulator's TLS model; plaintext login stays allowed.
    bool tls = true;
};

// Switches on a named fault: an engine fault (proto/smtp/faults.hpp,
// proto/pop3/faults.hpp, proto/imap/faults.hpp) or one of the world's own (no-trace-fields,
// greeting-421, lf-ends-line: the SMTP-smuggling leniency, short-smtp-timeout,
// few-recipients, short-autologout, the delivery faults of builtin_delivery.hpp
// and the bounce faults of builtin_bounce.hpp). False for an unknown name.
bool apply_fault(BuiltinOptions& o, std::string_view name);
// Every name apply_fault knows, space-separated.
std::string builtin_fault_names();

class BuiltinTransport final : public Transport {
public:
    explicit BuiltinTransport(BuiltinOptions options);
    ~BuiltinTransport() override;
    Result<std::unique_ptr<Stream>> connect(Protocol p) override;
    [[nodiscard]] bool available(Protocol) const override { return true; }
    [[nodiscard]] Time now() const override;
    [[nodiscard]] bool virtual_time() const override { return true; }
    // Messages in the user's INBOX (for tests).
    [[nodiscard]] std::size_t inbox_size() const;
    // Puts `message` into the user's INBOX, as if delivered (for tests of
    // checks that read a maildrop without sending mail first).
    void insert(std::string_view message);

private:
    std::shared_ptr<BuiltinWorld> world_;
};

}  // namespace postino::conformance
