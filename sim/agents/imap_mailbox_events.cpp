// imap_mailbox_events.cpp — the IMAP stores' `mailbox` trace events (RFC 3501
// §6.3.3–6.3.5, §6.3.11, §6.4.3, §6.4.5–6.4.7). See imap_mailbox_events.hpp.
#include "agents/imap_mailbox_events.hpp"

#include <algorithm>

namespace postino::agents::imap_events {
namespace {

// ev, mailbox, uid, folder: the head every IMAP store event starts with.
trace::Event base(const char* ev, std::string_view account, std::int64_t uid, std::string_view folder) {
    trace::Event e("mailbox", "");
    e.set("ev", ev).set("mailbox", account).set("uid", uid).set("folder", folder);
    return e;
}

std::int64_t as_uid(std::uint32_t uid) { return static_cast<std::int64_t>(uid); }

}  // namespace

std::string flag_text(std::vector<std::string> flags) {
    std::sort(flags.begin(), flags.end());
    std::string s;
    for (const auto& f : flags) s += (s.empty() ? "" : " ") + f;
    return s;
}

trace::Event flags(std::string_view account, std::string_view folder, std::uint32_t uid,
                   const std::vector<std::string>& now) {
    trace::Event e = base("flags", account, as_uid(uid), folder);
    e.set("flags", flag_text(now)).set("by", kBy);
    return e;
}

trace::Event expunged(std::string_view account, std::string_view folder, std::uint32_t uid, std::uint64_t size) {
    trace::Event e = base("expunged", account, as_uid(uid), folder);
    e.set("size", size).set("by", kBy);
    return e;
}

trace::Event copied(std::string_view account, std::string_view folder, std::uint32_t uid, std::string_view from_folder,
                    std::uint32_t from_uid, std::uint64_t size, const std::vector<std::string>& flags) {
    trace::Event e = base("copied", account, as_uid(uid), folder);
    e.set("from_folder", from_folder).set("from_uid", as_uid(from_uid));
    e.set("size", size).set("flags", flag_text(flags)).set("by", kBy);
    return e;
}

trace::Event appended(std::string_view account, std::string_view folder, std::uint32_t uid, std::uint64_t size,
                      const std::vector<std::string>& flags) {
    trace::Event e = base("appended", account, as_uid(uid), folder);
    e.set("size", size).set("flags", flag_text(flags)).set("by", kBy);
    return e;
}

trace::Event folder_created(std::string_view account, std::string_view folder, std::uint32_t uid_validity) {
    trace::Event e = base("folder-created", account, kFolderUid, folder);
    e.set("uid_validity", static_cast<std::int64_t>(uid_validity)).set("by", kBy);
    return e;
}

trace::Event folder_deleted(std::string_view account, std::string_view folder, std::uint64_t messages, bool noselect) {
    trace::Event e = base("folder-deleted", account, kFolderUid, folder);
    e.set("messages", messages).set("noselect", noselect).set("by", kBy);
    return e;
}

trace::Event folder_renamed(std::string_view account, std::string_view from_folder, std::string_view folder,
                            std::uint64_t messages) {
    trace::Event e = base("folder-renamed", account, kFolderUid, folder);
    e.set("from_folder", from_folder).set("messages", messages).set("by", kBy);
    return e;
}

void set_origin(trace::Event& e, std::string_view host, const std::vector<std::string>& domains) {
    e.host = std::string(host);
    e.set("address", e.get_str("mailbox") + "@" + (domains.empty() ? std::string(host) : domains.front()));
}

}  // namespace postino::agents::imap_events
