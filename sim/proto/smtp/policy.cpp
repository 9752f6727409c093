// policy.cpp — the ready-made decisions (RFC 3463 §3, RFC 5321 §3.1, §4.2.2).
#include "proto/smtp/policy.hpp"

namespace postino::smtp {

Decision Decision::queued(std::string id) {
    Decision d;
    d.queue_id = std::move(id);
    return d;
}

Decision Decision::reject(int code, std::string enhanced, std::string text) {
    Decision d;
    d.code = code;
    d.enhanced = std::move(enhanced);
    d.text = std::move(text);
    return d;
}

Decision Decision::unknown_user() { return reject(550, "5.1.1", "Recipient address rejected: User unknown"); }
Decision Decision::mailbox_full() { return reject(552, "5.2.2", "Mailbox full"); }
Decision Decision::mailbox_full_temporary() { return reject(452, "4.2.2", "Mailbox full, try again later"); }
Decision Decision::relay_denied() { return reject(554, "5.7.1", "Relay access denied"); }
Decision Decision::refuse_client() { return reject(554, "", "No SMTP service here"); }
Decision Decision::shutting_down() { return reject(421, "", "Service not available, closing transmission channel"); }

Decision AcceptAllPolicy::on_message(const SessionInfo& /*session*/, const Envelope& /*envelope*/,
                                     std::string_view /*content*/) {
    return Decision::queued("Q" + std::to_string(next_++));
}

}  // namespace postino::smtp
