// scripted_policy.cpp — the transcript-driven policy (see the header).
#include "smtp/scripted_policy.hpp"

namespace postino::smtp::testing {
namespace {

std::set<std::string> split_lower(const std::string& v) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start <= v.size()) {
        const std::size_t comma = v.find(',', start);
        const std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) out.insert(mail::ascii_lower(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

std::string key_of(const mail::Mailbox& m) { return mail::ascii_lower(m.str()); }

}  // namespace

Status ScriptedPolicy::configure(const std::string& key, const std::string& value) {
    if (key == "connect") {
        connect_ = value;
    } else if (key == "local-domains") {
        local_domains_ = split_lower(value);
    } else if (key == "users") {
        users_ = split_lower(value);
    } else if (key == "full") {
        full_ = split_lower(value);
    } else if (key == "full-temp") {
        full_temp_ = split_lower(value);
    } else if (key == "reject-sender") {
        reject_sender_ = split_lower(value);
    } else if (key == "reject-message") {
        reject_message_ = value;
    } else if (key == "passwords") {
        std::size_t start = 0;
        while (start <= value.size()) {  // case kept: passwords are case-sensitive
            const std::size_t comma = value.find(',', start);
            const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            if (!item.empty()) passwords_.insert(item);
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
    } else if (key == "vrfy") {
        vrfy_verify_ = value == "verify";
    } else {
        return Error{"unknown @policy key " + key, ""};
    }
    return {};
}

Decision ScriptedPolicy::on_connect() {
    if (connect_ == "refuse") return Decision::refuse_client();
    if (connect_ == "shutdown") return Decision::shutting_down();
    if (connect_ == "bogus") return Decision::reject(300, "", "not a greeting code");
    return Decision::accept();
}

Decision ScriptedPolicy::on_mail(const SessionInfo& /*session*/, const mail::Mailbox& sender,
                                 const MailParams& /*params*/) {
    if (reject_sender_.count(key_of(sender)) || reject_sender_.count(mail::ascii_lower(sender.domain))) {
        return Decision::reject(550, "5.7.1", "Sender address rejected: Access denied");
    }
    return Decision::accept();
}

Decision ScriptedPolicy::on_rcpt(const SessionInfo& /*session*/, const Envelope& /*envelope*/,
                                 const mail::Mailbox& recipient) {
    const std::string k = key_of(recipient);
    if (!local_domains_.empty() && !local_domains_.count(mail::ascii_lower(recipient.domain))) {
        return Decision::relay_denied();
    }
    if (full_.count(k)) return Decision::mailbox_full();
    if (full_temp_.count(k)) return Decision::mailbox_full_temporary();
    if (!users_.empty() && !users_.count(k)) return Decision::unknown_user();
    return Decision::accept();
}

Decision ScriptedPolicy::on_message(const SessionInfo& /*session*/, const Envelope& /*envelope*/,
                                    std::string_view /*content*/) {
    if (reject_message_ == "permanent") return Decision::reject(554, "5.7.1", "Message rejected by policy");
    if (reject_message_ == "temporary") return Decision::reject(451, "4.3.0", "Try again later");
    if (reject_message_ == "bogus") return Decision::reject(354, "", "not an end-of-data code");
    return Decision::queued("Q" + std::to_string(next_queue_id_++));
}

Decision ScriptedPolicy::on_vrfy(std::string_view argument) {
    if (vrfy_verify_) return Decision::reject(250, "2.1.5", std::string(argument));
    return ServerPolicy::on_vrfy(argument);
}

bool ScriptedPolicy::check_password(std::string_view user, std::string_view password) {
    return passwords_.count(std::string(user) + ":" + std::string(password)) != 0;
}

}  // namespace postino::smtp::testing
