// message_view.hpp — the message inspector: the messages the trace carried
// up to the cursor (composed, enqueued, DSNs built), one at a time: its
// header fields, its MIME tree with IMAP part numbers, each part encoded
// and decoded side by side (base64, quoted-printable), the delivery-status
// fields of a bounce, and the raw text.
#pragma once

#include "views/ui_context.hpp"

namespace postino::viz::ui {

void draw_message(UiContext& ui);

}  // namespace postino::viz::ui
