// smtp_trace.cpp — the simulator's SMTP trace shape for a server on a real socket.
#include "wire/smtp_trace.hpp"

#include <type_traits>

namespace postino::wire {

void trace_smtp_server_event(TraceLog& rec, const std::string& host, const std::string& peer,
                             std::uint64_t conn, const smtp::Event& ev, bool in_tls) {
    auto mark = [in_tls](trace::Event& e) {
        if (in_tls) e.set("tls", true);  // carried inside TLS (after STARTTLS)
    };
    std::visit(
        [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, smtp::CommandEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "smtp").set("dir", "recv").set_bytes("bytes", x.raw);
                if (!x.verb.empty()) e.set("verb", x.verb);
                mark(e);
                rec.emit(std::move(e));
            } else if constexpr (std::is_same_v<T, smtp::ReplyEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "smtp").set("dir", "send").set_bytes("bytes", x.raw).set("code", x.reply.code);
                if (!x.reply.enhanced.empty()) e.set("enhanced", x.reply.enhanced);
                mark(e);
                rec.emit(std::move(e));
            } else if constexpr (std::is_same_v<T, smtp::DataEvent>) {
                trace::Event e("line", host, peer, conn);
                e.set("proto", "smtp").set("dir", "recv").set_bytes("bytes", x.raw).set("verb", "DATA-CONTENT");
                mark(e);
                rec.emit(std::move(e));
            } else if constexpr (std::is_same_v<T, smtp::MessageEvent>) {
                rec.emit(trace::Event("proto", host, peer, conn)
                             .set("proto", "smtp")
                             .set("ev", "transaction")
                             .set("detail", x.accepted ? "message accepted as " + x.queue_id
                                                       : "message refused: " + std::to_string(x.reply.code)));
            } else if constexpr (std::is_same_v<T, smtp::ViolationEvent>) {
                rec.emit(trace::Event("proto", host, peer, conn)
                             .set("proto", "smtp")
                             .set("ev", "violation")
                             .set("detail", x.what)
                             .set("section", x.rfc));
            }
        },
        ev);
}

}  // namespace postino::wire
