// faults.hpp — deliberate defects of the IMAP server engine, off by
// default, that exist to prove the conformance checks can fail
// (docs/conformance-imap.md, "Proving the checks can fail"). Each breaks one
// rule of RFC 3501 (or RFC 2177 / RFC 7888) on purpose;
// `postino check --builtin imap --fault NAME` switches one on.
#pragma once

#include <string_view>

namespace postino::imap {

struct ServerFaults {
    bool uids_reused = false;            // FETCH/SEARCH report sequence numbers as UIDs (§2.3.1.1)
    bool expunge_during_fetch = false;   // FETCH reports other sessions' EXPUNGEs (§7.4.1)
    bool literal_count_off = false;      // response literals announce one octet more than they carry (§4.3)
    bool no_tagged_noop = false;         // NOOP gets no tagged completion (§2.2.2, §6.1.2)
    bool wrong_exists = false;           // SELECT/EXAMINE report one message more than exist (§7.3.1)
    bool garbage_ok = false;             // an unknown command gets OK instead of BAD (§7.1.3)
    bool peek_sets_seen = false;         // BODY.PEEK[] sets \Seen (§6.4.5)
    bool logout_no_bye = false;          // LOGOUT closes without * BYE (§6.1.3)
    bool expunge_not_renumbered = false; // * n EXPUNGE numbers ignore the earlier ones (§7.4.1)
    bool append_creates = false;         // APPEND to a missing mailbox creates it (§6.3.11)
    bool examine_writable = false;       // EXAMINE selects read-write (§6.3.2)
    bool any_password = false;           // LOGIN accepts any password, and unknown users (§6.2.3)
    bool partial_full_label = false;     // partial FETCH answered as <o.n>, not <o> (§7.4.2)
    bool silent_echoes = false;          // STORE .SILENT still answers FETCH (§6.4.6)
    bool copy_drops_flags = false;       // COPY leaves the copies without flags (§6.4.7)
    bool any_charset = false;            // SEARCH accepts an unknown charset (§6.4.4)
    bool short_autologout = false;       // autologout after 10 minutes, below §5.4's 30
    // STARTTLS (§6.2.1).
    bool starttls_after_login = false;   // STARTTLS accepted in the authenticated state
    bool starttls_offered_again = false; // CAPABILITY inside TLS still lists STARTTLS
    bool starttls_injection_answered = false;  // plaintext pipelined after STARTTLS is answered inside TLS (CVE-2011-0411)
    bool greeting_no_star = false;  // the greeting lacks its "* " (§7.1: untagged)
    bool capability_no_rev1 = false;  // CAPABILITY does not list IMAP4rev1 (§6.1.1, §7.2.1)
    bool double_tagged_noop = false;  // NOOP is completed twice (§2.2.2: one tagged response)
    bool strict_tags = false;  // tags with other than letters and digits get BAD (§9: any ASTRING-CHAR but "+")
    bool untagged_after_tagged = false;  // LIST "" "" sends its data after the tagged OK (§7)
    bool ok_before_auth = false;  // commands that need a login get OK before it (§3, §6.3)
    bool ok_without_select = false;  // selected-state commands get OK with no mailbox selected (§3, §6.4)
    bool relogin_ok = false;  // LOGIN in the authenticated state gets OK (§6.2.3)
    bool syntax_error_no = false;  // a known command with bad arguments gets NO, not BAD (§7.1.3)
    bool create_existing_ok = false;  // CREATE of an existing name gets OK (§6.3.3)
    bool delete_inbox_ok = false;  // DELETE INBOX gets OK, deleting nothing (§6.3.4)
    bool rename_missing_ok = false;  // RENAME of a missing mailbox gets OK (§6.3.5)
    bool done_not_recognized = false;  // DONE is not recognised: the IDLE ends with BAD (RFC 2177 §3)
    bool noop_no = false;  // NOOP gets NO (§6.1.2)
    bool delimiter_unquoted = false;  // LIST gives the delimiter unquoted (§7.2.2, §9: a quoted char or NIL)
    bool unseen_always = false;  // SELECT says [UNSEEN 1] even when every message is seen (§7.1)
    bool uidnext_off = false;  // SELECT's UIDNEXT is one below the next UID (§2.3.1.1)
    bool uid_fetch_no_uid = false;  // UID FETCH answers without the UID item (§6.4.8)
    bool body_keeps_unseen = false;  // BODY[] does not set \\Seen (§6.4.5)
    bool close_sends_expunge = false;  // CLOSE reports its expunges with * n EXPUNGE (§6.4.2: silently)
    bool move_keeps_source = false;  // MOVE copies and leaves the source messages (RFC 6851 §3.3)
    // Parser, literals, login, SELECT, FETCH items and ENVELOPE (I1, I4–I12, I31).
    bool login_despite_logindisabled = false;  // CAPABILITY lists LOGINDISABLED, yet LOGIN is accepted (§6.2.3, §7.2.1)
    bool logindisabled_unadvertised = false;  // LOGIN refused as if plaintext login were barred, without LOGINDISABLED (§6.2.3, §7.2.1)
    bool starttls_not_offered_ok = false;  // CAPABILITY leaves STARTTLS out, yet STARTTLS gets OK (§6.2.1, §7.1.3)
    bool astring_literal_refused = false;  // a literal in place of an astring gets BAD: only APPEND's message may be one (§4.3, §9 astring)
    bool literal_plus_refused = false;  // a {n+} literal gets BAD though CAPABILITY lists LITERAL+ (RFC 7888 §3)
    bool quoted_escapes_kept = false;  // a quoted string keeps its backslashes: \" and \\ are not unescaped (§4.3, §9 quoted)
    bool atom_specials_allowed = false;  // a mailbox name given as an atom may hold ')' (§9 atom-specials)
    bool recent_flag_missing = false;  // FETCH FLAGS leave out \Recent, though RECENT counts the message (§2.3.2)
    bool failed_select_keeps_mailbox = false;  // a failed SELECT leaves the mailbox selected before it selected (§6.3.1)
    bool internaldate_no_zone = false;  // INTERNALDATE without its zone (§9 date-time: "+hhmm" is required)
    bool fast_as_all = false;  // the FAST macro also gives ENVELOPE, as ALL does (§6.4.5)
    bool full_bodystructure = false;  // the FULL macro gives BODYSTRUCTURE, not BODY (§6.4.5)
    bool envelope_no_sender_default = false;  // ENVELOPE's sender and reply-to are NIL, not from, when absent (§7.4.2)
    bool envelope_empty_not_nil = false;  // absent ENVELOPE strings (in-reply-to, message-id …) are "", not NIL (§7.4.2)
    // BODYSTRUCTURE, header fields, UIDs and SEARCH (I13, I14, I16, I17, I20).
    bool text_no_lines = false;  // BODYSTRUCTURE of a text part lacks its size in lines (§7.4.2)
    bool no_default_charset = false;  // a text part without Content-Type gets NIL parameters, not charset us-ascii (§7.4.2, RFC 2045 §5.2)
    bool multipart_no_subtype = false;  // BODYSTRUCTURE of a multipart lacks its subtype (§7.4.2)
    bool rfc822_part_basic = false;  // a message/rfc822 part has no envelope, body structure or line count (§7.4.2)
    bool fields_not_as_fields = false;  // HEADER.FIELDS.NOT answered as HEADER.FIELDS: only the listed fields (§6.4.5)
    bool uid_star_empty = false;  // UID n:* with n above every UID matches nothing, not the highest (§6.4.8, §9)
    bool missing_uids_no = false;  // a UID set matching no message gets NO, not an empty OK (§6.4.8)
    bool reversed_range_empty = false;  // a range written high to low (3:1) matches nothing (§9 seq-range)
    bool uid_search_seqnums = false;  // UID SEARCH answers sequence numbers (§6.4.8)
    bool uid_store_seqnums = false;  // UID STORE takes its set as sequence numbers (§6.4.8)
    bool uid_copy_seqnums = false;  // UID COPY takes its set as sequence numbers (§6.4.8)
    bool uids_descend = false;  // UIDs count down with each later message, everywhere they are shown or read (§2.3.1.1)
    bool uidvalidity_from_name = false;  // UIDVALIDITY is derived from the name, so a re-created mailbox keeps it (§2.3.1.1)
    bool search_flags_match_all = false;  // SEARCH flag keys (ANSWERED ... UNSEEN) match every message (§6.4.4)
    bool search_case_sensitive = false;  // SEARCH string keys match case-sensitively (§6.4.4)
    bool search_date_with_time = false;  // BEFORE/ON/SINCE compare the instant with the day's midnight, not the date (§6.4.4)
    bool search_size_swapped = false;  // SEARCH LARGER and SMALLER swapped (§6.4.4)
    bool search_or_as_and = false;  // SEARCH OR k1 k2 matches only messages matching both (§6.4.4)
    // Flags, expunges, COPY, APPEND, mailbox names, LIST, IDLE (I18, I19, I21, I22, I24–I29).
    bool store_echoes_old_flags = false;  // STORE's FETCH answer shows the flags before the change (§6.4.6)
    bool store_replace_adds = false;  // STORE FLAGS adds the flags instead of replacing the set (§6.4.6)
    bool store_from_stale_view = false;  // +FLAGS/-FLAGS write this session's stale view back, undoing another session's change (§6.4.6, §5.5)
    bool keyword_not_announced = false;  // a new keyword is used in FETCH without a FLAGS response first (§7.2.6)
    bool expunge_reported_twice = false;  // each expunged message is reported with two * n EXPUNGE (§7.4.1)
    bool expunge_during_store_search = false;  // SEARCH and STORE report other sessions' EXPUNGEs (§7.4.1)
    bool unsolicited_expunge = false;  // other sessions' changes, EXPUNGEs too, are sent while no command is in progress (§7.4.1, §5.2)
    bool copy_creates = false;  // COPY to a missing mailbox creates it (§6.4.7: NO [TRYCREATE])
    bool failed_copy_keeps_copies = false;  // COPY with a number past the end copies the others, then says NO (§6.4.7)
    bool append_ignores_date = false;  // APPEND's date-time is ignored: the internal date is the time of the APPEND (§6.3.11)
    bool exists_not_sent = false;  // new messages join the view without * n EXISTS (§7.3.1)
    bool own_append_hidden = false;  // a message this session APPENDs to its selected mailbox never joins its view (§6.3.11 SHOULD)
    bool rename_keeps_old_name = false;  // RENAME leaves an empty mailbox under the old name (§6.3.5)
    bool delete_removes_inferiors = false;  // DELETE of a parent removes its inferiors too (§6.3.4)
    bool delete_parent_kept = false;  // DELETE of a parent with inferiors says OK and removes nothing (§6.3.4)
    bool percent_matches_delimiter = false;  // LIST's '%' matches the hierarchy delimiter, like '*' (§6.3.8)
    bool inbox_case_sensitive = false;  // LIST matches INBOX case-sensitively ("inbox" lists nothing) (§5.1)
    bool lsub_ignores_subscriptions = false;  // LSUB lists every matching mailbox, subscribed or not (§6.3.9)
    bool list_utf8_names = false;  // LIST gives names decoded to UTF-8, not in modified UTF-7 (§5.1.3)
    bool idle_no_push = false;  // IDLE sends nothing until DONE (RFC 2177 §3: updates as they happen)
};

// Switches on the fault called `name` (the member names, '-' for '_').
bool set_fault(ServerFaults& f, std::string_view name);
// Every fault name, space-separated.
const char* fault_names();

}  // namespace postino::imap
