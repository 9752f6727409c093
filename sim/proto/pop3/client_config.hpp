// client_config.hpp — what a POP3 client session should do.
//
// "Download and delete" (RETR then DELE each message, removed in UPDATE
// after QUIT, RFC 1939 §6) or "leave on server" (RETR only the messages
// whose unique-id, RFC 1939 §7 UIDL, is not among those already fetched).
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "core/time.hpp"
#include "proto/pop3/limits.hpp"

namespace postino::pop3 {

enum class FetchMode : std::uint8_t { DownloadAndDelete, LeaveOnServer };
const char* to_string(FetchMode m);

// STLS use (RFC 2595 §4): Off never sends it; WhenOffered sends it when CAPA
// lists STLS and logs in in plaintext if it is refused; Required sends
// nothing but QUIT (failure tls-unavailable) when it is not offered or refused.
enum class StartTls : std::uint8_t { Off, WhenOffered, Required };

struct ClientConfig {
    std::string user;
    std::string password;
    // APOP (RFC 1939 §7) instead of USER/PASS; needs a timestamp in the greeting.
    bool use_apop = false;
    bool use_capa = true;  // ask CAPA first (RFC 2449 §5)
    FetchMode mode = FetchMode::DownloadAndDelete;
    std::set<std::string> known_uidls;  // LeaveOnServer: already downloaded, skip them
    // false: after the last message the client drops the connection instead
    // of sending QUIT (a client crash: RFC 1939 §3, nothing is deleted).
    bool send_quit = true;
    Duration timeout = kDefaultClientTimeout;
    StartTls stls = StartTls::Off;
};

}  // namespace postino::pop3
