// message_id.hpp — deterministic Message-ID values.
//
// RFC 5322 §3.6.4 (msg-id = "<" id-left "@" id-right ">", with dot-atom-text
// on both sides). Generated ids mix the simulated time and 64 bits from the
// caller's RNG stream (core/rng.hpp: one named stream per host) with the
// host name, so a run with the same seed gives the same ids and two hosts
// never collide. No wall clock, no process id (DESIGN.md §2.2).
#pragma once

#include <string>
#include <string_view>

#include "core/rng.hpp"
#include "core/time.hpp"
#include "mail/date.hpp"

namespace postino::mail {

// "<20240101000500.3f9a6c0e12b4d877@mx.a.example>"
std::string make_message_id(Rng& rng, std::string_view host, Time now, const DateContext& ctx = {});

// RFC 5322 §3.6.4 msg-id syntax (no obsolete forms, no CFWS).
bool is_valid_message_id(std::string_view id);

}  // namespace postino::mail
