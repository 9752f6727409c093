// imap_mailbox_events.hpp — the `mailbox` trace events an IMAP store reports
// (docs/trace-format.md, "IMAP store changes"), built in one place for both
// stores: the simulator's agents::ImapMailStore (over store::MailStore) and
// `postino serve`'s wire::ImapMaildir (over Maildir++), so a simulated trace
// and a serve trace carry the same events with the same fields in the same
// order.
//
// Message changes (RFC 3501): `flags` (STORE §6.4.6, \Seen by FETCH BODY[]
// §6.4.5), `expunged` (EXPUNGE §6.4.3, CLOSE §6.4.2, the source of a MOVE,
// RFC 6851 §3.3), `copied` (COPY §6.4.7, MOVE), `appended` (APPEND §6.3.11).
// Folder changes: `folder-created` (CREATE §6.3.3, one per name made, the
// superior names first), `folder-deleted` (DELETE §6.3.4; `noselect` when
// the name stays because it has inferiors), `folder-renamed` (RENAME §6.3.5,
// one per folder moved, the named one first; RENAME INBOX moves its messages
// and leaves INBOX). A folder event's `uid` is 0, which is never a message's
// UID (RFC 3501 §2.3.1.1: UIDs are non-zero), so a reader that keys messages
// by UID can tell the two apart.
//
// The events come without a host and an address: the host that emits them
// sets both (set_origin below).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.hpp"

namespace postino::agents::imap_events {

// Every event's `by`.
inline constexpr std::string_view kBy = "imap";
// The `uid` of a folder event: no message has it (RFC 3501 §2.3.1.1).
inline constexpr std::int64_t kFolderUid = 0;

// Flags as the trace writes them: sorted, one space apart ("" for none).
[[nodiscard]] std::string flag_text(std::vector<std::string> flags);

[[nodiscard]] trace::Event flags(std::string_view account, std::string_view folder, std::uint32_t uid,
                                 const std::vector<std::string>& now);
[[nodiscard]] trace::Event expunged(std::string_view account, std::string_view folder, std::uint32_t uid,
                                    std::uint64_t size);
[[nodiscard]] trace::Event copied(std::string_view account, std::string_view folder, std::uint32_t uid,
                                  std::string_view from_folder, std::uint32_t from_uid, std::uint64_t size,
                                  const std::vector<std::string>& flags);
[[nodiscard]] trace::Event appended(std::string_view account, std::string_view folder, std::uint32_t uid,
                                    std::uint64_t size, const std::vector<std::string>& flags);
[[nodiscard]] trace::Event folder_created(std::string_view account, std::string_view folder,
                                          std::uint32_t uid_validity);
[[nodiscard]] trace::Event folder_deleted(std::string_view account, std::string_view folder, std::uint64_t messages,
                                          bool noselect);
[[nodiscard]] trace::Event folder_renamed(std::string_view account, std::string_view from_folder,
                                          std::string_view folder, std::uint64_t messages);

// The emitting host's part: the event's host, and `address` (the account at
// the first local domain, or at the host name when there is none).
void set_origin(trace::Event& e, std::string_view host, const std::vector<std::string>& domains);

}  // namespace postino::agents::imap_events
