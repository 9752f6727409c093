// smtp_server_fuzz.cpp — libFuzzer target: random octets into the SMTP
// server engine (sim/proto/smtp/server_engine.hpp).
//
// The first two octets choose a configuration (line-end mode, leniencies,
// extensions, limits) and the split points; the rest is the client's input,
// fed in pieces. Checked after every piece and at the end:
//  - nothing crashes (ASan/UBSan catch memory and UB errors);
//  - buffered_octets() stays under a fixed bound (no unbounded memory);
//  - the output is always a sequence of well-formed replies (RFC 5321 §4.2)
//    with lines of at most 512 octets (§4.5.3.1.5), and equals the replies
//    the events report;
//  - every command line gets exactly one reply, every finished message one
//    more, plus at most one unsolicited 421; after the timeout the engine
//    has replied or asked to close — it is never left silent.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/smtp/limits.hpp"
#include "proto/smtp/reply_parser.hpp"
#include "proto/smtp/server_engine.hpp"

using namespace postino;
using namespace postino::smtp;

namespace {

// Input, output and events the engine may hold at once, with room to spare.
constexpr std::size_t kBound = kMaxBufferedInput + 4 * kOutputHighWater + kDefaultMaxMessageOctets;

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "smtp_server_fuzz: %s\n", why);
    std::abort();
}

struct Counts {
    std::size_t commands = 0, messages = 0, replies = 0;
    std::string reply_raw;  // concatenation of ReplyEvent::raw
};

void drain(ServerEngine& e, std::string& out, Counts& n) {
    for (int guard = 0; guard < 1'000'000; ++guard) {
        bool any = false;
        while (auto ev = e.poll_event()) {
            any = true;
            if (std::holds_alternative<CommandEvent>(*ev)) ++n.commands;
            if (std::holds_alternative<MessageEvent>(*ev)) ++n.messages;
            if (const auto* r = std::get_if<ReplyEvent>(&*ev)) {
                ++n.replies;
                n.reply_raw += r->raw;
            }
        }
        std::string o = e.poll_output();
        if (!o.empty()) any = true;
        out += o;
        if (!any) return;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    const std::uint8_t c = data[0];
    std::uint32_t split = data[1] * 2654435761U + 1;
    ServerConfig cfg;
    cfg.leniency.line_ends = static_cast<LineEndMode>((c & 3U) % 3U);
    cfg.leniency.space_after_colon = (c & 4U) != 0;
    cfg.leniency.missing_brackets = (c & 8U) != 0;
    cfg.leniency.long_data_lines = (c & 16U) != 0;
    cfg.extensions.smtputf8 = (c & 32U) != 0;
    cfg.extensions.enhanced_status_codes = (c & 64U) == 0;
    cfg.max_errors = (c & 128U) != 0 ? 1'000'000 : kDefaultMaxErrors;
    if ((c & 16U) != 0) cfg.max_message_octets = 4096;
    AcceptAllPolicy policy;
    ServerEngine e(cfg, policy);
    std::string out;
    Counts n;
    Time now{};
    e.start(now);
    drain(e, out, n);

    std::string_view in(reinterpret_cast<const char*>(data + 2), size - 2);
    while (!in.empty()) {
        split = split * 1103515245U + 12345U;
        const std::size_t piece = 1 + (split >> 16) % (in.size() < 300 ? in.size() : 300);
        e.handle_bytes(now, in.substr(0, piece));
        in.remove_prefix(piece);
        now += milliseconds(1);
        // Drain only sometimes: the engine must bound itself when the host is slow.
        if ((split & 7U) != 0) drain(e, out, n);
        if (e.buffered_octets() > kBound) fail("buffers beyond the bound");
    }
    drain(e, out, n);
    if (auto d = e.next_deadline()) {
        e.handle_timeout(*d);
        drain(e, out, n);
    }
    if (!e.close_requested() && e.state() != ServerState::Closed) fail("neither a reply nor a close after the timeout");

    // The output is exactly the replies the events announced, and all of them parse.
    if (out != n.reply_raw) fail("output differs from the reply events");
    ReplyParser p;
    std::string_view rest = out;
    std::size_t parsed = 0;
    while (!rest.empty()) {
        const auto step = p.parse(rest);
        rest.remove_prefix(step.consumed);
        if (step.status != ReplyParser::Status::Complete) fail("server output is not a reply");
        ++parsed;
        p.next();
    }
    if (parsed != n.replies) fail("reply count mismatch");
    // One reply per command line and per finished message, the greeting, and
    // at most one 421 nobody asked for (timeout, overflow).
    const std::size_t expected = 1 + n.commands + n.messages;
    if (n.replies != expected && n.replies != expected + 1) fail("a command without exactly one reply");
    return 0;
}
