// policy.hpp — how the POP3 server engine asks its host for decisions
// (DESIGN.md §2.1): is this password right, what is the APOP secret, can the
// maildrop be locked and opened, and the UPDATE state's removals.
//
// RFC 1939 §4: after a successful authentication the server acquires an
// exclusive-access lock on the maildrop; if it cannot, it answers -ERR
// (RFC 2449 §8.1.1: [IN-USE]). §6: in UPDATE it removes the messages marked
// as deleted, then releases the lock. §3: a session that ends any other way
// removes nothing — the engine then only calls release().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/maildrop.hpp"

namespace postino::pop3 {

enum class OpenStatus : std::uint8_t {
    Opened,  // locked; `messages` is the session's maildrop
    InUse,   // another session holds the lock: -ERR [IN-USE] (RFC 2449 §8.1.1)
    Failed,  // the maildrop cannot be opened now: -ERR [SYS/TEMP] (RFC 3206 §4)
};

struct OpenResult {
    OpenStatus status = OpenStatus::Opened;
    Maildrop messages;
};

class ServerPolicy {
public:
    virtual ~ServerPolicy() = default;
    // USER/PASS (RFC 1939 §7). True when the password is right.
    virtual bool check_password(std::string_view user, std::string_view password) = 0;
    // APOP (RFC 1939 §7): the shared secret of `user`, or nullopt for an
    // unknown user (who then fails exactly like a wrong digest).
    virtual std::optional<std::string> apop_secret(std::string_view /*user*/) { return std::nullopt; }
    // The user is authenticated: lock and snapshot the maildrop.
    virtual OpenResult open(std::string_view user) = 0;
    // UPDATE (§6): remove these messages (their unique-ids, in message-number
    // order), then keep the lock until release(). False on a failure to
    // remove some of them ("-ERR [SYS/TEMP]", §6 allows a partial removal).
    virtual bool update(std::string_view user, const std::vector<std::string>& deleted) = 0;
    // The session is over: release the lock (after UPDATE, or without it).
    virtual void release(std::string_view user) = 0;
};

}  // namespace postino::pop3
