// mermaid_export.hpp — a trace as a Mermaid sequence diagram, which GitHub,
// GitLab and most Markdown viewers render natively (DESIGN.md §2.3: the
// trace is the exporter's only input).
//
// Implements the subset of Mermaid's `sequenceDiagram` syntax it needs:
// `participant ID as Label`, solid arrows `->>` (protocol lines, DNS),
// dashed arrows `-->>` (TCP), crossed arrows `-x` / `--x` (lost or failed),
// `Note over A` / `Note over A,B`, and Mermaid's entity codes (`#35;` for
// `#`, `#59;` for `;`, `#60;` for `<`, …) for the characters its grammar or
// its HTML labels would otherwise take for syntax.
//
// What becomes what (docs/exporters.md has an example):
//   line (dir send)      A->>B: the first line of the bytes, "…" if more follow
//                        (message content: "(message, N octets)"); A-xB with
//                        "(never sent)" when the sender's segments on that
//                        connection never carried the line's first octet
//                        (the connection was aborted first, or the run ended)
//   dns                  query/retry A->>S, answers S->>A, timeout as a note
//   spool, mailbox, ua,  Note over the host
//   host, proto violation
//   note                 Note over its host, or over everyone for world notes
//   fault                Note over the target host (or everyone)
//   tcp (fold_tcp)       one dashed arrow per connection attempt, crossed
//                        when it was refused or timed out; resets as notes
//   segment (!fold_tcp)  one dashed arrow per segment sent (SYN, SYN,ACK,
//                        ACK, PSH,ACK, FIN,ACK, RST…), crossed when lost
// Participants are declared up front: first the hosts that send or receive
// an arrow, in order of their first arrow, then hosts with notes only.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.hpp"

namespace postino::exporter {

struct MermaidOptions {
    // true: TCP shows as one arrow per connection attempt; false: one arrow
    // per segment sent (handshake, acknowledgements, data, FIN, RST).
    bool fold_tcp = true;
    // Wrap the diagram in a ```mermaid fence, ready to paste into Markdown.
    bool fenced = false;
    // Use a note's Italian text ("it" field) where the trace has one.
    bool italian = false;
    // Longest label, in characters; longer ones end with "…".
    std::size_t max_label = 100;
};

std::string export_mermaid(const std::vector<trace::Event>& events, const MermaidOptions& options = {});

// Text made safe for a Mermaid message or note: controls become spaces,
// invalid UTF-8 becomes U+FFFD, `#` `;` `<` `>` `&` `%` `"` become entity
// codes; cut to `max` characters with "…". Never empty ("(empty)").
std::string mermaid_text(std::string_view text, std::size_t max);

// A participant id for a host name: letters, digits and '_' only, prefixed
// with "h_" so no id can be read as one of Mermaid's keywords.
std::string mermaid_id(std::string_view host);

}  // namespace postino::exporter
