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
        {"help_250", &ServerFaults::help_250},
        {"rcpt_refusal_aborts", &ServerFaults::rcpt_refusal_aborts},
        {"data_250", &ServerFaults::data_250},
        {"dot_line_ends_data", &ServerFaults::dot_line_ends_data},
        {"cr_ends_line", &ServerFaults::cr_ends_line},
        {"drop_nul", &ServerFaults::drop_nul},
        {"store_bare_lf", &ServerFaults::store_bare_lf},
        {"short_command_line", &ServerFaults::short_command_line},
        {"short_local_part", &ServerFaults::short_local_part},
        {"short_domain", &ServerFaults::short_domain},
        {"short_path", &ServerFaults::short_path},
        {"short_text_line", &ServerFaults::short_text_line},
        {"small_message_limit", &ServerFaults::small_message_limit},
        {"long_banner", &ServerFaults::long_banner},
        {"vrfy_500", &ServerFaults::vrfy_500},
        {"pipelining_drops_input", &ServerFaults::pipelining_drops_input},
        {"early_input_lost", &ServerFaults::early_input_lost},
        {"refuse_size_param", &ServerFaults::refuse_size_param},
        {"refuse_body_7bit", &ServerFaults::refuse_body_7bit},
        {"no_idle_timeout", &ServerFaults::no_idle_timeout},
        {"helo_multiline", &ServerFaults::helo_multiline},
        {"noop_argument_501", &ServerFaults::noop_argument_501},
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
           "starttls-offered-again starttls-keeps-session starttls-injection-answered"
           " help-250 rcpt-refusal-aborts data-250 dot-line-ends-data cr-ends-line drop-nul"
           " store-bare-lf short-command-line short-local-part short-domain short-path"
           " short-text-line small-message-limit long-banner vrfy-500 pipelining-drops-input"
           " early-input-lost refuse-size-param refuse-body-7bit no-idle-timeout"
           " helo-multiline noop-argument-501";
}

}  // namespace postino::smtp
