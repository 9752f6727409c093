// server_engine.hpp — the sans-I/O IMAP4rev1 server engine (DESIGN.md §2.1).
//
// RFC 3501 §3 (states: not authenticated, authenticated, selected, logout),
// §5.2 and §7.4.1 (mailbox updates: EXISTS, RECENT, FETCH FLAGS at any
// response, EXPUNGE never while no command is in progress nor during FETCH,
// STORE or SEARCH), §5.4 (autologout), §6.1–6.4 (the commands), §7 (the
// responses); RFC 2177 (IDLE), RFC 2342 (NAMESPACE), RFC 3348 (CHILDREN),
// RFC 3691 (UNSELECT), RFC 4959 (SASL-IR), RFC 4616 (PLAIN), RFC 5530
// (response codes), RFC 6851 (MOVE), RFC 7888 (LITERAL+).
//
// Use: construct with a config and a store policy, call start(now) when the
// TCP connection is up, feed handle_bytes / handle_closed / handle_timeout,
// call handle_mailbox_changed(now) when the host's store changed (another
// session, a delivery) so an IDLE session hears of it; after every call
// drain poll_output() and poll_event() and arm a timer for next_deadline().
// Time passed in never decreases. Commands are answered in order, so
// pipelined input works; docs/imap.md has the details.
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "proto/imap/command.hpp"
#include "proto/imap/events.hpp"
#include "proto/imap/framer.hpp"
#include "proto/imap/policy.hpp"
#include "proto/imap/server_config.hpp"

namespace postino::imap {

enum class ServerState : std::uint8_t { Start, NotAuthenticated, Authenticated, Selected, Logout };
const char* to_string(ServerState s);

class ServerEngine {
public:
    ServerEngine(ServerConfig config, MailStorePolicy& store);

    // --- inputs ---
    void start(Time now);
    void handle_bytes(Time now, std::string_view bytes);
    void handle_closed(Time now);
    void handle_timeout(Time now);
    // The host is shutting down: `* BYE` and close (RFC 3501 §7.1.5).
    void handle_shutdown(Time now);
    void handle_mailbox_changed(Time now);
    // After a StartTlsEvent: the TLS handshake is done; input from now on is
    // what TLS carries. The session stays not authenticated (RFC 3501 §6.2.1).
    void handle_tls_started(Time now);

    // --- outputs ---
    std::string poll_output();
    std::optional<Event> poll_event();
    [[nodiscard]] std::optional<Time> next_deadline() const;

    // --- state, for hosts and tests ---
    [[nodiscard]] ServerState state() const { return state_; }
    [[nodiscard]] bool close_requested() const { return close_requested_; }
    [[nodiscard]] const std::string& user() const { return user_; }
    [[nodiscard]] const std::string& selected() const { return mailbox_; }
    [[nodiscard]] bool read_only() const { return read_only_; }
    [[nodiscard]] bool idling() const { return mode_ == Mode::Idle; }
    // Whether handle_mailbox_changed can send anything now: while idling
    // (or, with the fault unsolicited_expunge, at any time outside a command).
    [[nodiscard]] bool wants_mailbox_changes() const {
        return mode_ == Mode::Idle || (config_.faults.unsolicited_expunge && !in_input_);
    }
    [[nodiscard]] std::size_t exists() const { return view_.size(); }
    [[nodiscard]] std::string capabilities() const;
    [[nodiscard]] bool tls_active() const { return tls_active_; }
    [[nodiscard]] bool tls_pending() const { return tls_pending_; }

private:
    enum class Mode : std::uint8_t { Command, AuthResponse, Idle };
    struct Msg {
        std::uint32_t uid = 0;
        std::vector<std::string> flags;  // as last reported to the client
        Time internal_date{};
        std::uint64_t size = 0;
        bool recent = false;
        bool gone = false;  // expunged by another session, not yet reported
    };

    void drain_input();
    void on_frame_error(const CommandFramer::Step& s);
    void on_command(std::string_view framed);
    void dispatch(const Command& c);
    void on_auth_response(std::string_view line);
    void on_idle_line(std::string_view line);

    // not authenticated (§6.2)
    void on_login(const Command& c);
    void on_authenticate(const Command& c);
    void finish_plain(const std::string& tag, std::string_view b64);
    void logged_in(const std::string& tag, const std::string& user, const char* method);
    void auth_failed(const std::string& tag, const std::string& user);
    // authenticated (§6.3)
    void on_select(const Command& c, bool read_only);
    void on_create(const Command& c);
    void on_delete(const Command& c);
    void on_rename(const Command& c);
    void on_subscribe(const Command& c, bool on);
    void on_list(const Command& c, bool lsub);
    void on_status(const Command& c);
    void on_append(const Command& c);
    void on_idle(const Command& c);
    // selected (§6.4)
    void on_close(const Command& c, bool expunge);
    void on_expunge(const Command& c);
    void on_search(const Command& c);
    void on_fetch(const Command& c);
    void on_store(const Command& c);
    void on_copy(const Command& c, bool move);

    // The view's indices a set names; nullopt (and BAD sent) for sequence
    // numbers out of range (RFC 3501 §9: "*" is the last message).
    // `uids`: the set holds UIDs (c.uid, unless a *-seqnums fault of faults.hpp says otherwise).
    std::optional<std::vector<std::size_t>> resolve(const Command& c, bool uids);
    // A UID and a UIDVALIDITY as the client sees them: unchanged, but for
    // the faults uids_descend and uidvalidity_from_name (faults.hpp).
    [[nodiscard]] std::uint32_t shown_uid(std::uint32_t uid) const;
    [[nodiscard]] std::uint32_t shown_uid_validity(std::string_view mailbox, std::uint32_t uid_validity) const;
    // Brings the view up to date with the store and reports the changes;
    // EXPUNGE only when `expunge_allowed` (§7.4.1).
    void refresh(bool expunge_allowed);
    void deselect();
    void report_keywords(const std::vector<std::string>& flags);
    [[nodiscard]] std::string flags_of(const Msg& m) const;
    [[nodiscard]] std::string flag_list_response() const;

    void untagged(std::string_view text);
    void tagged(const std::string& tag, std::string_view status_and_text);
    void bad(const std::string& tag, std::string_view text);
    void send_raw(std::string bytes);
    void bye(std::string_view text);
    void request_close(std::string reason);

    ServerConfig config_;
    MailStorePolicy& store_;
    ServerState state_ = ServerState::Start;
    Mode mode_ = Mode::Command;
    std::string pending_tag_;  // AUTHENTICATE or IDLE in progress
    std::string user_;
    int errors_ = 0;
    int auth_failures_ = 0;
    bool close_requested_ = false;
    bool in_uid_command_ = false;
    bool tls_pending_ = false;         // OK to STARTTLS sent, handshake not done
    bool tls_active_ = false;
    std::uint64_t tls_discarded_ = 0;  // octets received in that time (never read)
    std::string tls_held_;             // fault imap-starttls-injection-answered: those octets, kept
    void discard_before_tls(std::string_view in);
    [[nodiscard]] bool login_allowed() const { return config_.allow_plaintext_login || tls_active_; }
    void on_starttls(const Command& c);

    // selected mailbox
    std::string mailbox_;
    bool read_only_ = false;
    std::uint32_t uid_validity_ = 0;
    std::vector<Msg> view_;  // index + 1 is the sequence number
    std::set<std::string> keywords_;  // announced in FLAGS
    std::set<std::uint32_t> hidden_uids_;  // fault own_append_hidden: never joins the view
    bool in_input_ = false;  // reading input (a command may be changing the store)

    CommandFramer framer_;
    std::string in_;
    std::size_t in_off_ = 0;
    std::string out_;
    std::deque<Event> events_;
    Time now_{};
    std::optional<Time> deadline_;
};

}  // namespace postino::imap
