// faults.cpp — the IMAP server engine's named faults (faults.hpp).
#include "proto/imap/faults.hpp"

#include <string>

namespace postino::imap {

namespace {

struct Entry {
    const char* name;
    bool ServerFaults::*flag;
};

constexpr Entry kFaults[] = {
    {"uids-reused", &ServerFaults::uids_reused},
    {"expunge-during-fetch", &ServerFaults::expunge_during_fetch},
    {"literal-count-off", &ServerFaults::literal_count_off},
    {"no-tagged-noop", &ServerFaults::no_tagged_noop},
    {"wrong-exists", &ServerFaults::wrong_exists},
    {"garbage-ok", &ServerFaults::garbage_ok},
    {"peek-sets-seen", &ServerFaults::peek_sets_seen},
    {"logout-no-bye", &ServerFaults::logout_no_bye},
    {"expunge-not-renumbered", &ServerFaults::expunge_not_renumbered},
    {"append-creates", &ServerFaults::append_creates},
    {"examine-writable", &ServerFaults::examine_writable},
    {"any-password", &ServerFaults::any_password},
    {"partial-full-label", &ServerFaults::partial_full_label},
    {"silent-echoes", &ServerFaults::silent_echoes},
    {"copy-drops-flags", &ServerFaults::copy_drops_flags},
    {"any-charset", &ServerFaults::any_charset},
    {"short-imap-autologout", &ServerFaults::short_autologout},
    {"imap-starttls-after-login", &ServerFaults::starttls_after_login},
    {"imap-starttls-offered-again", &ServerFaults::starttls_offered_again},
    {"imap-starttls-injection-answered", &ServerFaults::starttls_injection_answered},
    {"greeting-no-star", &ServerFaults::greeting_no_star},
    {"capability-no-rev1", &ServerFaults::capability_no_rev1},
    {"double-tagged-noop", &ServerFaults::double_tagged_noop},
    {"strict-tags", &ServerFaults::strict_tags},
    {"untagged-after-tagged", &ServerFaults::untagged_after_tagged},
    {"ok-before-auth", &ServerFaults::ok_before_auth},
    {"ok-without-select", &ServerFaults::ok_without_select},
    {"relogin-ok", &ServerFaults::relogin_ok},
    {"syntax-error-no", &ServerFaults::syntax_error_no},
    {"create-existing-ok", &ServerFaults::create_existing_ok},
    {"delete-inbox-ok", &ServerFaults::delete_inbox_ok},
    {"rename-missing-ok", &ServerFaults::rename_missing_ok},
    {"done-not-recognized", &ServerFaults::done_not_recognized},
    {"noop-no", &ServerFaults::noop_no},
    {"delimiter-unquoted", &ServerFaults::delimiter_unquoted},
    {"unseen-always", &ServerFaults::unseen_always},
    {"uidnext-off", &ServerFaults::uidnext_off},
    {"uid-fetch-no-uid", &ServerFaults::uid_fetch_no_uid},
    {"body-keeps-unseen", &ServerFaults::body_keeps_unseen},
    {"close-sends-expunge", &ServerFaults::close_sends_expunge},
    {"move-keeps-source", &ServerFaults::move_keeps_source},
    // Parser, literals, login, SELECT, FETCH items and ENVELOPE (I1, I4–I12, I31).
    {"login-despite-logindisabled", &ServerFaults::login_despite_logindisabled},
    {"logindisabled-unadvertised", &ServerFaults::logindisabled_unadvertised},
    {"imap-starttls-not-offered-ok", &ServerFaults::starttls_not_offered_ok},
    {"astring-literal-refused", &ServerFaults::astring_literal_refused},
    {"literal-plus-refused", &ServerFaults::literal_plus_refused},
    {"quoted-escapes-kept", &ServerFaults::quoted_escapes_kept},
    {"atom-specials-allowed", &ServerFaults::atom_specials_allowed},
    {"recent-flag-missing", &ServerFaults::recent_flag_missing},
    {"failed-select-keeps-mailbox", &ServerFaults::failed_select_keeps_mailbox},
    {"internaldate-no-zone", &ServerFaults::internaldate_no_zone},
    {"fast-as-all", &ServerFaults::fast_as_all},
    {"full-bodystructure", &ServerFaults::full_bodystructure},
    {"envelope-no-sender-default", &ServerFaults::envelope_no_sender_default},
    {"envelope-empty-not-nil", &ServerFaults::envelope_empty_not_nil},
    // BODYSTRUCTURE, header fields, UIDs and SEARCH (I13, I14, I16, I17, I20).
    {"text-no-lines", &ServerFaults::text_no_lines},
    {"no-default-charset", &ServerFaults::no_default_charset},
    {"multipart-no-subtype", &ServerFaults::multipart_no_subtype},
    {"rfc822-part-basic", &ServerFaults::rfc822_part_basic},
    {"fields-not-as-fields", &ServerFaults::fields_not_as_fields},
    {"uid-star-empty", &ServerFaults::uid_star_empty},
    {"missing-uids-no", &ServerFaults::missing_uids_no},
    {"reversed-range-empty", &ServerFaults::reversed_range_empty},
    {"uid-search-seqnums", &ServerFaults::uid_search_seqnums},
    {"uid-store-seqnums", &ServerFaults::uid_store_seqnums},
    {"uid-copy-seqnums", &ServerFaults::uid_copy_seqnums},
    {"uids-descend", &ServerFaults::uids_descend},
    {"uidvalidity-from-name", &ServerFaults::uidvalidity_from_name},
    {"search-flags-match-all", &ServerFaults::search_flags_match_all},
    {"search-case-sensitive", &ServerFaults::search_case_sensitive},
    {"search-date-with-time", &ServerFaults::search_date_with_time},
    {"search-size-swapped", &ServerFaults::search_size_swapped},
    {"search-or-as-and", &ServerFaults::search_or_as_and},
    // Flags, expunges, COPY, APPEND, mailbox names, LIST, IDLE (I18, I19, I21, I22, I24–I29).
    {"store-echoes-old-flags", &ServerFaults::store_echoes_old_flags},
    {"store-replace-adds", &ServerFaults::store_replace_adds},
    {"store-from-stale-view", &ServerFaults::store_from_stale_view},
    {"keyword-not-announced", &ServerFaults::keyword_not_announced},
    {"expunge-reported-twice", &ServerFaults::expunge_reported_twice},
    {"expunge-during-store-search", &ServerFaults::expunge_during_store_search},
    {"unsolicited-expunge", &ServerFaults::unsolicited_expunge},
    {"copy-creates", &ServerFaults::copy_creates},
    {"failed-copy-keeps-copies", &ServerFaults::failed_copy_keeps_copies},
    {"append-ignores-date", &ServerFaults::append_ignores_date},
    {"exists-not-sent", &ServerFaults::exists_not_sent},
    {"own-append-hidden", &ServerFaults::own_append_hidden},
    {"rename-keeps-old-name", &ServerFaults::rename_keeps_old_name},
    {"delete-removes-inferiors", &ServerFaults::delete_removes_inferiors},
    {"delete-parent-kept", &ServerFaults::delete_parent_kept},
    {"percent-matches-delimiter", &ServerFaults::percent_matches_delimiter},
    {"inbox-case-sensitive", &ServerFaults::inbox_case_sensitive},
    {"lsub-ignores-subscriptions", &ServerFaults::lsub_ignores_subscriptions},
    {"list-utf8-names", &ServerFaults::list_utf8_names},
    {"idle-no-push", &ServerFaults::idle_no_push},
};

}  // namespace

bool set_fault(ServerFaults& f, std::string_view name) {
    std::string n(name);
    for (auto& c : n) c = c == '_' ? '-' : c;
    for (const auto& e : kFaults) {
        if (n == e.name) {
            f.*e.flag = true;
            return true;
        }
    }
    return false;
}

const char* fault_names() {
    return "uids-reused expunge-during-fetch literal-count-off no-tagged-noop wrong-exists garbage-ok "
           "peek-sets-seen logout-no-bye expunge-not-renumbered append-creates examine-writable any-password "
           "partial-full-label silent-echoes copy-drops-flags any-charset short-imap-autologout imap-starttls-after-login "
           "imap-starttls-offered-again imap-starttls-injection-answered "
           "greeting-no-star capability-no-rev1 double-tagged-noop strict-tags untagged-after-tagged ok-before-auth ok-without-select relogin-ok "
           "syntax-error-no create-existing-ok delete-inbox-ok rename-missing-ok done-not-recognized noop-no delimiter-unquoted "
           "unseen-always uidnext-off uid-fetch-no-uid body-keeps-unseen close-sends-expunge move-keeps-source"
           // Parser, literals, login, SELECT, FETCH items and ENVELOPE (each name with a leading space).
           " login-despite-logindisabled logindisabled-unadvertised imap-starttls-not-offered-ok astring-literal-refused literal-plus-refused quoted-escapes-kept atom-specials-allowed"
           " recent-flag-missing failed-select-keeps-mailbox internaldate-no-zone fast-as-all full-bodystructure envelope-no-sender-default envelope-empty-not-nil"
           // BODYSTRUCTURE, header fields, UIDs and SEARCH.
           " text-no-lines no-default-charset multipart-no-subtype rfc822-part-basic fields-not-as-fields uid-star-empty missing-uids-no reversed-range-empty uid-search-seqnums"
           " uid-store-seqnums uid-copy-seqnums uids-descend uidvalidity-from-name search-flags-match-all search-case-sensitive search-date-with-time search-size-swapped search-or-as-and"
           // Flags, expunges, COPY, APPEND, mailbox names, LIST, IDLE.
           " store-echoes-old-flags store-replace-adds store-from-stale-view keyword-not-announced expunge-reported-twice expunge-during-store-search unsolicited-expunge copy-creates failed-copy-keeps-copies"
           " append-ignores-date exists-not-sent own-append-hidden rename-keeps-old-name delete-removes-inferiors percent-matches-delimiter inbox-case-sensitive lsub-ignores-subscriptions list-utf8-names idle-no-push"
           " delete-parent-kept"
           "";
}

}  // namespace postino::imap
