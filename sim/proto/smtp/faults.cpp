// faults.cpp — the SMTP server engine's named faults (faults.hpp).
#include "proto/smtp/faults.hpp"

#include <string>

namespace postino::smtp {

bool set_fault(ServerFaults& f, std::string_view name) {
    std::string n(name);
    for (auto& c : n) c = c == '-' ? '_' : c;
    struct Entry {
        const char* name;
        bool ServerFaults::*flag;
    };
    static constexpr Entry kFaults[] = {
        {"multiline_space", &ServerFaults::multiline_space},
        {"no_503", &ServerFaults::no_503},
        {"keep_dot_stuffing", &ServerFaults::keep_dot_stuffing},
        {"ehlo_keeps_transaction", &ServerFaults::ehlo_keeps_transaction},
        {"ignore_unknown_params", &ServerFaults::ignore_unknown_params},
        {"no_enhanced_codes", &ServerFaults::no_enhanced_codes},
        {"quit_keeps_open", &ServerFaults::quit_keeps_open},
        {"case_sensitive_verbs", &ServerFaults::case_sensitive_verbs},
        {"close_on_error", &ServerFaults::close_on_error},
        {"refuse_null_sender", &ServerFaults::refuse_null_sender},
        {"too_many_is_552", &ServerFaults::too_many_is_552},
        {"ignore_size", &ServerFaults::ignore_size},
        {"vrfy_verifies_all", &ServerFaults::vrfy_verifies_all},
        {"refuse_8bitmime", &ServerFaults::refuse_8bitmime},
        {"starttls_ignores_argument", &ServerFaults::starttls_ignores_argument},
        {"starttls_refused", &ServerFaults::starttls_refused},
        {"starttls_offered_again", &ServerFaults::starttls_offered_again},
        {"starttls_keeps_session", &ServerFaults::starttls_keeps_session},
        {"starttls_injection_answered", &ServerFaults::starttls_injection_answered},
    };
    for (const auto& e : kFaults) {
        if (n == e.name) {
            f.*e.flag = true;
            return true;
        }
    }
    return false;
}

const char* fault_names() {
    return "multiline-space no-503 keep-dot-stuffing ehlo-keeps-transaction ignore-unknown-params "
           "no-enhanced-codes quit-keeps-open case-sensitive-verbs close-on-error refuse-null-sender "
           "too-many-is-552 ignore-size vrfy-verifies-all refuse-8bitmime starttls-ignores-argument starttls-refused "
           "starttls-offered-again starttls-keeps-session starttls-injection-answered";
}

}  // namespace postino::smtp
