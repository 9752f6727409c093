// faults.cpp — the POP3 server engine's named faults (faults.hpp).
#include "proto/pop3/faults.hpp"

#include <string>

namespace postino::pop3 {

bool set_fault(ServerFaults& f, std::string_view name) {
    std::string n(name);
    for (auto& c : n) c = c == '-' ? '_' : c;
    struct Entry {
        const char* name;
        bool ServerFaults::*flag;
    };
    static constexpr Entry kFaults[] = {
        {"lowercase_status", &ServerFaults::lowercase_status},
        {"no_byte_stuffing", &ServerFaults::no_byte_stuffing},
        {"list_size_lf", &ServerFaults::list_size_lf},
        {"stat_counts_deleted", &ServerFaults::stat_counts_deleted},
        {"deleted_still_readable", &ServerFaults::deleted_still_readable},
        {"rset_keeps_marks", &ServerFaults::rset_keeps_marks},
        {"update_on_drop", &ServerFaults::update_on_drop},
        {"quit_no_update", &ServerFaults::quit_no_update},
        {"case_sensitive_commands", &ServerFaults::case_sensitive_commands},
        {"user_after_login", &ServerFaults::user_after_login},
        {"uidl_per_session", &ServerFaults::uidl_per_session},
        {"top_whole_message", &ServerFaults::top_whole_message},
        {"wrong_pass_closes", &ServerFaults::wrong_pass_closes},
        {"no_capa", &ServerFaults::no_capa},
        {"uidl_too_long", &ServerFaults::uidl_too_long},
        {"stls_refused", &ServerFaults::stls_refused},
        {"stls_offered_again", &ServerFaults::stls_offered_again},
        {"stls_injection_answered", &ServerFaults::stls_injection_answered},
        {"ok_before_login", &ServerFaults::ok_before_login},
        {"apop_any_digest", &ServerFaults::apop_any_digest},
        {"scan_listing_two_spaces", &ServerFaults::scan_listing_two_spaces},
        {"list_missing_ok", &ServerFaults::list_missing_ok},
        {"noop_err", &ServerFaults::noop_err},
        {"unknown_closes", &ServerFaults::unknown_closes},
        {"auth_quit_keeps_open", &ServerFaults::auth_quit_keeps_open},
        {"top_past_body_err", &ServerFaults::top_past_body_err},
        {"stat_no_size", &ServerFaults::stat_no_size},
        {"uidl_listed_not_offered", &ServerFaults::uidl_listed_not_offered},
        {"split_long_commands", &ServerFaults::split_long_commands},
        {"resp_code_unclosed", &ServerFaults::resp_code_unclosed},
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
    return "lowercase-status no-byte-stuffing list-size-lf stat-counts-deleted deleted-still-readable "
           "rset-keeps-marks update-on-drop quit-no-update case-sensitive-commands user-after-login "
           "uidl-per-session top-whole-message wrong-pass-closes no-capa uidl-too-long stls-refused stls-offered-again "
           "stls-injection-answered ok-before-login apop-any-digest "
           "scan-listing-two-spaces list-missing-ok noop-err unknown-closes auth-quit-keeps-open top-past-body-err "
           "stat-no-size uidl-listed-not-offered split-long-commands resp-code-unclosed";
}

}  // namespace postino::pop3
