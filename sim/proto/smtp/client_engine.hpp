// client_engine.hpp — the sans-I/O SMTP client engine (DESIGN.md §2.1).
//
// Drives one session for a list of transactions: waits for the 220, sends
// EHLO (HELO when EHLO is refused with 5yz), then per transaction MAIL, one
// RCPT per recipient and DATA — as one pipelined group when the server
// offers PIPELINING (RFC 2920 §3.1), one command at a time otherwise — the
// dot-stuffed content, and finally QUIT. RFC 5321 §3.3 (transactions),
// §4.1.1 (commands), §4.2 (replies), §4.5.2 (transparency), §4.5.3.2
// (timeouts), §3.8 (421 and lost connections); RFC 1870 (SIZE), RFC 6152
// (8BITMIME), RFC 6531 (SMTPUTF8), RFC 3207 (STARTTLS: after EHLO, when
// configured and offered; then EHLO again inside TLS).
//
// Every recipient ends with an outcome (result()); a broken session records
// where it broke. Use like the server engine: start(now), handle_* with the
// current time, then drain poll_output() and poll_event() and re-arm
// next_deadline().
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "proto/smtp/client_config.hpp"
#include "proto/smtp/client_result.hpp"
#include "proto/smtp/data_writer.hpp"
#include "proto/smtp/events.hpp"
#include "proto/smtp/extensions.hpp"
#include "proto/smtp/reply_parser.hpp"

namespace postino::smtp {

class ClientEngine {
public:
    ClientEngine(ClientConfig config, std::vector<Transaction> transactions);

    // --- inputs ---
    // The connection is up: start waiting for the greeting.
    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);
    // After a StartTlsEvent: the host finished the TLS handshake; the client
    // greets again with EHLO (RFC 3207 §4.2).
    void handle_tls_started(Time now);

    // --- outputs ---
    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const;

    // --- state ---
    [[nodiscard]] const SessionResult& result() const { return result_; }
    // The step whose reply the client is waiting for (Done when finished).
    [[nodiscard]] Stage stage() const;
    [[nodiscard]] const Extensions& extensions() const { return ext_; }
    [[nodiscard]] bool finished() const { return result_.finished; }
    [[nodiscard]] bool close_requested() const { return close_requested_; }
    [[nodiscard]] bool tls_active() const { return tls_active_; }
    [[nodiscard]] std::size_t buffered_octets() const { return out_.size() + parser_.buffered(); }

private:
    struct Pending {
        Stage stage;
        std::size_t rcpt = 0;  // recipient index for Rcpt
    };

    void on_reply(const Reply& r);
    void on_greeting(const Reply& r);
    void on_ehlo(const Reply& r, bool ehlo);
    void on_mail(const Reply& r);
    void on_rcpt(const Reply& r, std::size_t i);
    void on_data(const Reply& r);
    void on_data_end(const Reply& r);
    void on_starttls(const Reply& r);
    void tls_unavailable(const std::optional<Reply>& r, const std::string& detail);
    void after_rcpts();

    void begin_transaction();
    void emit_transaction();  // decided: report it, move txn_ on
    void end_transaction();   // emit_transaction(), then begin the next one
    void send_command(Stage stage, std::string verb, std::string args, std::size_t rcpt = 0);
    void send_rset_or_next();
    void send_quit();
    void decide(std::size_t i, Outcome o, Stage stage, std::optional<Reply> reply, std::string detail, bool local);
    void decide_by_reply(std::size_t i, Stage stage, const Reply& r);
    void fail_session(FailureKind kind, Stage stage, const std::optional<Reply>& reply, const std::string& detail);
    void finish(bool by_engine, std::string reason);
    void arm(Duration d);
    [[nodiscard]] Duration timeout_for(Stage s) const;
    [[nodiscard]] TransactionResult& txn() { return result_.transactions[txn_]; }

    ClientConfig config_;
    std::vector<Transaction> transactions_;
    SessionResult result_;
    Extensions ext_;
    ReplyParser parser_;
    std::deque<Pending> pending_;
    std::string out_;
    std::deque<Event> events_;
    Time now_{};
    std::optional<Time> deadline_;
    bool close_requested_ = false;
    bool started_ = false;
    bool tls_pending_ = false;         // 220 to STARTTLS read, handshake not done
    bool tls_active_ = false;
    std::uint64_t tls_discarded_ = 0;  // reply octets received in that time (never read)

    // The transaction in progress.
    std::size_t txn_ = 0;
    PreparedData data_;
    std::vector<std::size_t> sent_;  // recipient indexes sent in RCPT commands, in order
    std::size_t rcpt_next_ = 0;      // next entry of sent_ to send (no pipelining)
    std::size_t rcpt_ok_ = 0;        // recipients the server accepted
    bool mail_ok_ = false;
    bool mail_sent_ = false;   // MAIL of the transaction txn_ was written
    bool dummy_data_ = false;  // sent "." after an unexpected 354 (RFC 2920 §3.1)
};

}  // namespace postino::smtp
