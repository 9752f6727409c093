// imap_server_fuzz.cpp — libFuzzer target: random octets into the IMAP
// server engine (sim/proto/imap/server_engine.hpp, RFC 3501) over the
// simulator's mailbox store (sim/agents/imap_mailstore.hpp).
//
// The first octet chooses a configuration (plaintext login, IDLE,
// LITERAL+, error limits) and the split points; then a LOGIN is sent so most
// inputs reach the authenticated and selected states; the rest is the
// client's input, fed in pieces with time advancing. Checked:
//  - nothing crashes (ASan/UBSan catch memory and UB errors);
//  - the greeting is an untagged OK or PREAUTH (RFC 3501 §7.1);
//  - after the autologout time the session has ended: the engine asked to
//    close (it is never left waiting for ever);
//  - the store stays consistent: UIDs strictly ascending in every folder,
//    and below the folder's next UID (RFC 3501 §2.3.1.1).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "agents/imap_mailstore.hpp"
#include "proto/imap/limits.hpp"
#include "proto/imap/server_engine.hpp"
#include "store/mail_store.hpp"

using namespace postino;
using namespace postino::imap;

namespace {

[[noreturn]] void fail(const char* why) {
    std::fprintf(stderr, "imap_server_fuzz: %s\n", why);
    std::abort();
}

void drain(ServerEngine& e, std::string& out) {
    for (int guard = 0; guard < 1'000'000; ++guard) {
        bool any = false;
        while (e.poll_event()) any = true;
        std::string o = e.poll_output();
        if (!o.empty()) any = true;
        out += o;
        if (out.size() > std::size_t{64} * 1024 * 1024) out.clear();  // keep memory bounded; only the start is checked
        if (!any) return;
    }
    fail("the engine keeps producing output with no input");
}

void check_store(const store::MailStore& s) {
    const store::Account* a = s.find("alice");
    if (a == nullptr) fail("the account vanished");
    for (const auto& [name, folder] : a->folders) {
        std::uint32_t last = 0;
        for (const auto& m : folder.messages) {
            if (m.uid <= last) fail("UIDs not strictly ascending");
            if (m.uid >= folder.next_uid) fail("a UID at or above the folder's next UID");
            last = m.uid;
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const std::uint8_t c = data[0];
    std::uint32_t split = c * 2654435761U + 1;
    store::MailStore st;
    st.add_account("alice", "secret");
    st.insert("alice", "From: bob@b.example\r\nSubject: one\r\n\r\nhello\r\n", Time{}, store::kInbox);
    st.insert("alice",
              "From: bob@b.example\r\nSubject: two\r\nMIME-Version: 1.0\r\n"
              "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n"
              "--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--b--\r\n",
              Time{}, store::kInbox);
    agents::ImapMailStore adapter(st);
    ServerConfig cfg;
    cfg.allow_plaintext_login = (c & 1U) == 0;
    cfg.idle = (c & 2U) == 0;
    cfg.literal_plus = (c & 4U) == 0;
    if ((c & 8U) != 0) {
        cfg.max_errors = 1'000'000;
        cfg.max_auth_failures = 1'000'000;
    }
    ServerEngine e(cfg, adapter);
    std::string out;
    Time now{};
    e.start(now);
    drain(e, out);
    if (out.rfind("* OK", 0) != 0 && out.rfind("* PREAUTH", 0) != 0) fail("the greeting is not * OK or * PREAUTH");
    if ((c & 16U) == 0) {
        e.handle_bytes(now, "a LOGIN alice secret\r\n");
        drain(e, out);
    }
    std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
    while (!in.empty() && !e.close_requested()) {
        split = split * 1103515245U + 12345U;
        const std::size_t piece = 1 + (split >> 16) % (in.size() < 300 ? in.size() : 300);
        e.handle_bytes(now, in.substr(0, piece));
        in.remove_prefix(piece);
        now += milliseconds(100);
        if (auto d = e.next_deadline(); d && *d <= now) e.handle_timeout(now);
        if ((split & 7U) != 0) drain(e, out);
        if ((split & 63U) == 0) e.handle_mailbox_changed(now);
    }
    drain(e, out);
    check_store(st);
    // Silence from the client: the autologout timer must end the session.
    for (int i = 0; i < 1000 && !e.close_requested(); ++i) {
        const auto d = e.next_deadline();
        if (!d) fail("no deadline while the session is open");
        if (*d < now) fail("a deadline in the past");
        now = *d;
        e.handle_timeout(now);
        drain(e, out);
    }
    if (!e.close_requested()) fail("the session never ended");
    e.handle_closed(now);
    drain(e, out);
    return 0;
}
