// mailbox_view.hpp — every mailbox's folders and messages at the cursor
// (rows worked out by model/mailbox_rows): UID, flags as badges (Seen,
// Flagged, Deleted, Answered, Draft, keywords), state, where it came from
// (the spool entry, an APPEND, a COPY/MOVE from another folder), size and
// when it arrived. New messages are highlighted (a yellow strip), a flags
// change at the current event is tinted, a removed message (POP3 UPDATE,
// IMAP expunge, the source of a MOVE) is shown struck through in red at that
// moment and is gone afterwards. Click a row to open the message in the
// message inspector.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_mailboxes(UiContext& ui);

}  // namespace postino::viz::ui
