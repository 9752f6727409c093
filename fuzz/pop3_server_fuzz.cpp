// pop3_server_fuzz.cpp — libFuzzer target: random octets into the POP3
// server engine (sim/proto/pop3/server_engine.hpp).
//
// The first two octets choose a configuration (APOP, TOP/UIDL, USER/PASS,
// bad-password delay, error limits, a locked or failing maildrop) and the
// split points; the rest is the client's input, fed in pieces, with time
// advancing so bad-password delays expire. Checked after every piece and at
// the end:
//  - nothing crashes (ASan/UBSan catch memory and UB errors);
//  - buffered_octets() stays under a fixed bound;
//  - the output is exactly the responses the events announced, and reads
//    back as +OK/-ERR responses with status lines of at most 512 octets
//    (RFC 1939 §3), multi-line ones properly terminated;
//  - every command line gets at most one response, and after the timeout
//    the engine has asked to close (it is never left waiting);
//  - the maildrop lock is released by the end, and UPDATE removed only
//    messages that were marked (RFC 1939 §6).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "proto/pop3/limits.hpp"
#include "proto/pop3/response_parser.hpp"
#include "proto/pop3/server_engine.hpp"

using namespace postino;
using namespace postino::pop3;

namespace {

constexpr std::size_t kBound = kMaxBufferedInput + 4 * kOutputHighWater + std::size_t{1} * 1024 * 1024;

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "pop3_server_fuzz: %s\n", why);
    std::abort();
}

class FuzzPolicy : public ServerPolicy {
public:
    bool in_use = false, open_fails = false, update_fails = false;
    bool locked = false;
    std::size_t removed = 0;
    Maildrop drop{{"1.1", "Subject: a\r\n\r\n.dot\r\n"}, {"1.2", "b\nbare\rcr"}, {"1.3", ""}};

    bool check_password(std::string_view user, std::string_view pw) override { return user == "u" && pw == "p"; }
    std::optional<std::string> apop_secret(std::string_view user) override {
        if (user == "u") return std::string("p");
        return std::nullopt;
    }
    OpenResult open(std::string_view) override {
        if (in_use || locked) return {OpenStatus::InUse, {}};
        if (open_fails) return {OpenStatus::Failed, {}};
        locked = true;
        return {OpenStatus::Opened, drop};
    }
    bool update(std::string_view, const std::vector<std::string>& deleted) override {
        if (!locked) fail("UPDATE without the lock");
        for (const auto& d : deleted) {
            bool known = false;
            for (const auto& m : drop) known = known || m.uidl == d;
            if (!known) fail("UPDATE of an unknown message");
        }
        removed += deleted.size();
        return !update_fails;
    }
    void release(std::string_view) override {
        if (!locked) fail("release without the lock");
        locked = false;
    }
};

struct Counts {
    std::size_t commands = 0, responses = 0;
    std::string announced;
    std::vector<bool> multiline;
};

void drain(ServerEngine& e, std::string& out, Counts& n) {
    for (int guard = 0; guard < 1'000'000; ++guard) {
        bool any = false;
        while (auto ev = e.poll_event()) {
            any = true;
            if (std::holds_alternative<CommandEvent>(*ev)) ++n.commands;
            if (const auto* r = std::get_if<ResponseEvent>(&*ev)) {
                ++n.responses;
                n.announced += r->raw_status + r->raw_body;
                n.multiline.push_back(r->multiline);
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
    cfg.apop = (c & 1U) != 0;
    cfg.top = (c & 2U) == 0;
    cfg.uidl = (c & 4U) == 0;
    cfg.user_pass = (c & 8U) == 0 || !cfg.apop;
    cfg.bad_password_delay = (c & 16U) != 0 ? Duration{} : kDefaultBadPasswordDelay;
    cfg.max_errors = (c & 32U) != 0 ? 1'000'000 : kDefaultMaxErrors;
    cfg.max_auth_failures = (c & 32U) != 0 ? 1'000'000 : kDefaultMaxAuthFailures;
    FuzzPolicy policy;
    policy.in_use = (c & 192U) == 64U;
    policy.open_fails = (c & 192U) == 128U;
    policy.update_fails = (c & 192U) == 192U;
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
        now += milliseconds(500);
        if (auto d = e.next_deadline(); d && *d <= now) e.handle_timeout(now);
        if ((split & 7U) != 0) drain(e, out, n);
        if (e.buffered_octets() > kBound) fail("buffers beyond the bound");
    }
    drain(e, out, n);
    // Let every pending delay and then the autologout timer expire.
    for (int i = 0; i < 1000 && !e.close_requested() && e.state() != ServerState::Closed; ++i) {
        const auto d = e.next_deadline();
        if (!d) fail("no deadline while the session is open");
        now = *d;
        e.handle_timeout(now);
        drain(e, out, n);
    }
    if (!e.close_requested() && e.state() != ServerState::Closed) fail("the session never ended");
    if (policy.locked) fail("the maildrop lock was not released");

    if (out != n.announced) fail("output differs from the response events");
    ResponseParser p;
    std::string_view rest = out;
    for (bool multi : n.multiline) {
        p.expect_multiline(multi);
        const auto step = p.parse(rest);
        rest.remove_prefix(step.consumed);
        if (step.status != ResponseParser::Status::Complete) fail("server output is not a response");
        if (p.raw_status().size() > kMaxResponseLineOctets) fail("status line over 512 octets");
        p.next();
    }
    if (!rest.empty()) fail("octets after the last response");
    // One greeting, then at most one response per command line (an
    // autologout closes silently; an overflow adds one).
    if (n.responses > 1 + n.commands + 1) fail("more responses than commands");
    return 0;
}
