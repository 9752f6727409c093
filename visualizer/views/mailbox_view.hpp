// mailbox_view.hpp — every mailbox's messages at the cursor: UID, size,
// flags, when stored and from which spool entry. Messages that just arrived
// are highlighted, deleted ones (POP3 after QUIT, IMAP expunge) are marked
// and struck through, IMAP flags are shown as set. Click a row to open the
// message in the message inspector.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_mailboxes(UiContext& ui);

}  // namespace postino::viz::ui
