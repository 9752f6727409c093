// trace_json.hpp — the canonical JSON Lines encoding of trace events.
//
// Hand-written (sim/core includes the standard library only, DESIGN.md §1)
// and byte-stable: fields in a fixed order, integers in decimal, no spaces.
// The format is specified in docs/trace-format.md.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

#include "core/trace.hpp"

namespace postino::trace {

// Appends the JSON object for `e` (no trailing newline) to `out`.
void append_json(std::string& out, const Event& e);
std::string to_json(const Event& e);
std::string to_json(const Header& h);

// Appends a JSON string literal. Text: valid UTF-8 is kept, control
// characters and invalid bytes become \u00XX. Bytes: every byte outside
// 0x20..0x7E becomes \u00XX, so the literal decodes to code points 0..255
// that map one-to-one back to the octets.
void append_json_text(std::string& out, std::string_view s);
void append_json_bytes(std::string& out, std::string_view s);

// The low-level encoder: json_bound(e) octets are always enough for the
// JSON object of `e`; write_json writes it at `p` and returns its end.
std::size_t json_bound(const Event& e);
char* write_json(char* p, const Event& e);

// Writes a header line, then one line per event, to a stream.
class JsonlWriter final : public Sink {
public:
    JsonlWriter(std::ostream& out, const Header& header);
    void on_event(const Event& e) override;
    // From a recorder: writes the line it already encoded.
    void on_event_line(const Event& e, std::string_view line) override;
    void on_packet_line(const PacketRecord& p, std::string_view line, const LazyPacketEvent& e) override;
    void on_smtp_line(const SmtpLineRecord& r, std::string_view line, const LazySmtpLineEvent& e) override;
    void on_tcp_line(const TcpRecord& r, std::string_view line, const LazyTcpEvent& e) override;

private:
    void write_line(std::string_view line);
    std::ostream& out_;
    LineEncoder encoder_;
};

}  // namespace postino::trace
