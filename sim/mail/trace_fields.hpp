// trace_fields.hpp — the trace fields an MTA adds: Received and Return-Path.
//
// RFC 5321 §4.4 (Time-stamp-line "Received:" with from/by/via/with/id/for
// clauses and a date-time; Return-line "Return-Path: <reverse-path>" added at
// final delivery), RFC 5322 §3.6.7 (trace fields go at the top, newest
// first: prepend them to Message::header).
#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "core/time.hpp"
#include "mail/date.hpp"
#include "mail/header.hpp"
#include "mail/mailbox.hpp"

namespace postino::mail {

struct ReceivedInfo {
    std::string from_helo;      // what the client said in HELO/EHLO
    std::string from_tcp_info;  // e.g. "pc.alice [192.0.2.10]" (RFC 5321 TCP-info), may be empty
    std::string by_host;        // the receiving host
    std::string with = "ESMTP"; // SMTP, ESMTP, ESMTPS, ESMTPA, LMTP (RFC 3848)
    std::string id;             // queue id, may be empty
    std::optional<Mailbox> for_recipient;
    Time when;
};

Result<HeaderField> make_received(const ReceivedInfo& info, const DateContext& ctx = {});
// Return-Path: <reverse-path>; an empty Mailbox gives the null path "<>".
Result<HeaderField> make_return_path(const Mailbox& reverse_path);

}  // namespace postino::mail
