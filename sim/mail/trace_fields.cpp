// trace_fields.cpp — Received and Return-Path fields (RFC 5321 §4.4).
// (Built with append rather than operator+ chains: GCC 12 -O3 reports a
// false -Wrestrict on the latter.)
#include "mail/trace_fields.hpp"

namespace postino::mail {

Result<HeaderField> make_received(const ReceivedInfo& info, const DateContext& ctx) {
    std::string v = "from ";
    v.append(info.from_helo);
    if (!info.from_tcp_info.empty()) v.append(" (").append(info.from_tcp_info).append(")");
    v.append(" by ").append(info.by_host);
    if (!info.with.empty()) v.append(" with ").append(info.with);
    if (!info.id.empty()) v.append(" id ").append(info.id);
    if (info.for_recipient) v.append(" for <").append(info.for_recipient->str()).append(">");
    v.append("; ").append(format_date(info.when, ctx));
    return HeaderField::make("Received", v);
}

Result<HeaderField> make_return_path(const Mailbox& reverse_path) {
    std::string v = "<";
    v.append(reverse_path.str()).append(">");
    return HeaderField::make("Return-Path", v);
}

}  // namespace postino::mail
